"""`lostcontact backup FILE` copies the embedded database while it is in use: the copy opens, passes
SQLite's integrity check and holds exactly what had been committed; it refuses to overwrite a file without
`--force`, to overwrite the database itself, and to copy a PostgreSQL database (naming pg_dump instead)."""
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest


@pytest.fixture
def live(cli) -> Path:
    """The CLI's database, holding a small tree and a table of numbered writes."""
    assert cli("import", "orgs", "examples/orgs.csv").exit_code == 0
    path = Path(cli.url.removeprefix("sqlite:///"))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE writes (n INTEGER PRIMARY KEY)")
        connection.executemany("INSERT INTO writes VALUES (?)", [(n,) for n in range(1, 101)])
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file then holds every write: its size is final
    return path


def read_copy(path: Path) -> tuple[str, list[int], int]:
    with closing(sqlite3.connect(path)) as copy:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        writes = [n for (n,) in copy.execute("SELECT n FROM writes ORDER BY n")]
        orgs = copy.execute("SELECT count(*) FROM orgs").fetchone()[0]
    return verdict, writes, orgs


def test_a_backup_taken_during_an_open_write_transaction_holds_only_what_was_committed(cli, live, tmp_path):
    writer = sqlite3.connect(live, isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO writes VALUES (101)")

    result = cli("backup", tmp_path / "copy.db")

    writer.execute("COMMIT")
    writer.close()
    assert result.exit_code == 0, result.output
    verdict, writes, orgs = read_copy(tmp_path / "copy.db")
    assert verdict == "ok"
    assert writes == list(range(1, 101))
    assert orgs == 7


def test_backups_taken_while_another_process_keeps_writing_are_each_a_whole_committed_prefix(cli, live, tmp_path):
    stop = threading.Event()

    def keep_writing() -> None:
        with closing(sqlite3.connect(live, isolation_level=None, timeout=30)) as writer:
            n = 100
            while not stop.is_set():
                n += 1
                writer.execute("BEGIN IMMEDIATE")
                writer.execute("INSERT INTO writes VALUES (?)", (n,))
                writer.execute("COMMIT")

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        results = [cli("backup", tmp_path / f"copy{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()

    assert [r.exit_code for r in results] == [0] * 5, [r.output for r in results]
    for i in range(5):
        verdict, writes, orgs = read_copy(tmp_path / f"copy{i}.db")
        assert verdict == "ok"
        assert writes == list(range(1, len(writes) + 1)) and len(writes) >= 100
        assert orgs == 7


def test_the_copy_is_a_database_lostcontact_opens(cli, live, tmp_path):
    assert cli("backup", tmp_path / "copy.db").exit_code == 0
    assert not Path(f"{tmp_path / 'copy.db'}-wal").exists()  # one self-contained file

    cli.url = f"sqlite:///{tmp_path / 'copy.db'}"
    tally = cli.json("tally", "--org", "410000")

    assert tally["org"] == "410000"


def test_an_existing_file_is_left_alone_without_force_and_replaced_with_it(cli, live, tmp_path):
    target = tmp_path / "copy.db"
    target.write_bytes(b"an older backup")

    refused = cli("backup", target)

    assert refused.exit_code == 2
    assert "--force" in refused.stderr and "已存在" in refused.stderr
    assert target.read_bytes() == b"an older backup"

    replaced = cli("backup", target, "--force")

    assert replaced.exit_code == 0, replaced.output
    assert read_copy(target)[0] == "ok"
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_the_database_itself_is_never_the_target_even_with_force(cli, live):
    before = live.read_bytes()

    result = cli("backup", live, "--force")

    assert result.exit_code == 2
    assert "数据库本身" in result.stderr and "the database itself" in result.stderr
    assert read_copy(live)[1] == list(range(1, 101))
    assert len(live.read_bytes()) == len(before)


def test_a_missing_database_file_is_refused_and_not_created(cli, tmp_path):
    cli.url = f"sqlite:///{tmp_path / 'nowhere.db'}"

    result = cli("backup", tmp_path / "copy.db")

    assert result.exit_code == 4
    assert not (tmp_path / "nowhere.db").exists() and not (tmp_path / "copy.db").exists()


def test_a_postgresql_database_is_refused_with_the_pg_dump_command_to_use(cli, tmp_path):
    cli.url = "postgresql+psycopg2://app:secret@db.example:5433/lostcontact"

    result = cli("backup", tmp_path / "copy.db")

    assert result.exit_code == 4
    assert "pg_dump --format=custom --host db.example --port 5433 --username app" in result.stderr
    assert "secret" not in result.stderr
    assert not (tmp_path / "copy.db").exists()
