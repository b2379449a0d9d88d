"""Shared fixtures. `db` runs a test on SQLite and on a real PostgreSQL (see tests/pg.py)."""
from __future__ import annotations

import copy
import functools
import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text

from lostcontact.policies import ensure_default_policy
from lostcontact.uow import UnitOfWork
from models import Base
from models.db import open_database

from .pg import NoPostgres, Server

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

if UNDER_CI:  # CI draws the same examples every run, whichever worker runs a test: a red CI run can be replayed
    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = Server()
    except NoPostgres as exc:
        if UNDER_CI:
            pytest.fail(f"PostgreSQL is required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL tests SKIPPED (not a pass): {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server):
    """One database for the session; each test starts from empty tables."""
    url = pg_server.create_database()
    database = open_database(url)
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()
    pg_server.drop_database(url)


def _empty_tables(database) -> None:
    """Every table emptied and every id sequence back at its start. DELETE, children first, rather than
    TRUNCATE: on a handful of rows TRUNCATE costs ~10x more (new files for every table and index)."""
    with database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(text("SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
                          "FROM pg_sequences WHERE schemaname = current_schema()"))


def reset_pg_database(database) -> None:
    """The session's PostgreSQL database as a test starts from it: every table empty, the default policy loaded.
    Each reset is counted (`resets_of`), so a world a module's tests share can tell that a test in between
    wiped it (SharedWorld)."""
    _empty_tables(database)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    _RESETS[database.url] = resets_of(database) + 1


_RESETS: dict[str, int] = {}


def resets_of(database) -> int:
    return _RESETS.get(database.url, 0)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An initialised SQLite file (schema and default policy), built once a session: each test starts from
    a copy, which costs a tenth of creating the schema again."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    database = open_database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    database.dispose()  # the last connection closing folds the WAL into the file
    return path


def _sqlite_copy(template, path):
    shutil.copyfile(template, path)
    return open_database(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """An SQLite file as `lostcontact init` leaves it (every migration run, the default policy loaded), built
    once a session: a command-line test starts from a copy instead of migrating afresh (about a second)."""
    from lostcontact.services.setup import init_database

    path = tmp_path_factory.mktemp("migrated-template") / "template.db"
    database = open_database(f"sqlite:///{path}")
    init_database(database)
    database.dispose()
    return path


def fold_wal(path: Path) -> None:
    """Every write in the file itself, none left in its write-ahead log, so that copying the one file copies
    them all. Closing the last connection does this too, but a builder may leave one open (a command line run
    in the builder keeps its engine until it is collected)."""
    with closing(sqlite3.connect(path)) as connection:
        busy, _log, _moved = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert not busy, f"{path}: a connection still reads or writes it, its log could not be folded in"


@pytest.fixture(scope="session")
def made_once(tmp_path_factory):
    """`made_once(key, make, name)`: the path of a file `make(path)` wrote, in a folder of its own, made the first
    time a test of the session asks for `key` and read again by every test after it (a bomb of a hundred
    megabytes is made once, not once for each engine; a world's database is built once, not once a test).
    `made_once.made[key]` is what `make` returned. `make` must be deterministic: every test naming the key
    gets the same file."""
    made: dict[str, tuple[Path, object]] = {}

    def made_once(key: str, make, name: str = "roster.xlsx") -> Path:
        if key not in made:
            path = tmp_path_factory.mktemp(f"made-{key}") / name
            made[key] = (path, make(path))
        return made[key][0]
    made_once.made = made
    return made_once


@dataclass(frozen=True)
class Snapshot:
    """A database file built once a session, what its builder returned (ids, names, a World) and the database
    the builder wrote through: copy it per test, or once a module (`world_once_a_module`)."""
    path: Path
    built: object
    builder: object

    def copy_to(self, path: Path) -> str:
        shutil.copyfile(self.path, path)
        return f"sqlite:///{path}"

    def built_in(self, database):
        """What the builder returned, its references to the builder's database turned to `database` (a World
        built in the snapshot writes to the copy it is handed with, never to the snapshot)."""
        return copy.deepcopy(self.built, {id(self.builder): database})


@pytest.fixture(scope="session")
def sqlite_snapshot(made_once, migrated_template):
    """`sqlite_snapshot(key, build)`: the migrated template with `build(database)` applied, built the first
    time a test asks for `key` and copied by every test after it, so a world that takes seconds to build
    (sweeps run over weeks, a scenario of dozens of cases) is built once a session, not once a test. The
    builder must be deterministic: every test that names the key gets the same file."""
    def build_file(build, path: Path) -> Snapshot:
        shutil.copyfile(migrated_template, path)
        database = open_database(f"sqlite:///{path}")
        try:
            built = build(database)
        finally:
            database.dispose()
        fold_wal(path)
        return Snapshot(path, built, database)

    def snapshot(key: str, build) -> Snapshot:
        made_once(f"snapshot-{key}", functools.partial(build_file, build), "snapshot.db")
        return made_once.made[f"snapshot-{key}"][1]
    return snapshot


def built_on(db, sqlite_snapshot, key: str, build):
    """What `build(db)` returns, and the world it builds in the test's `db`: on PostgreSQL built for the test,
    on SQLite built once a session (sqlite_snapshot) and copied into the file the `db` fixture opened (its
    connections closed first). For a test that writes; a module whose tests only read shares one world
    (`world_once_a_module`)."""
    if not db.is_sqlite:
        return build(db)
    snapshot = sqlite_snapshot(key, build)
    db.dispose()
    path = Path(db.engine.url.database)
    for journal in ("-wal", "-shm"):
        path.with_name(path.name + journal).unlink(missing_ok=True)
    snapshot.copy_to(path)
    return snapshot.built_in(db)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


class SharedWorld:
    """What `build(database)` returns, shared by a module's tests that write nothing. On SQLite the module has a
    file of its own (a copy of a snapshot built once a session). On PostgreSQL the module shares the session's
    database with every other test: when one of them reset it after the world was built (`resets_of`: a test
    of another module, or of the same module using `db`, run in between), the world is built again before it
    is handed out."""

    def __init__(self, database, build, built=None):
        self.database, self.build, self._built = database, build, built
        self._built_at = resets_of(database) if built is not None else None

    def world(self):
        if self._built is None or self._built_at != resets_of(self.database):
            reset_pg_database(self.database)
            self._built, self._built_at = self.build(self.database), resets_of(self.database)
        return self._built


def world_once_a_module(request, tmp_path_factory, key: str, build):
    """For a module-scoped fixture parametrized over ENGINES: a SharedWorld of `build`, built once a module on
    the engine (on SQLite a copy of the session's snapshot `key`; on PostgreSQL built again only when a test in
    between wiped it); tests take `.world()`."""
    if request.param == "sqlite":
        snapshot = request.getfixturevalue("sqlite_snapshot")(key, build)
        database = open_database(snapshot.copy_to(tmp_path_factory.mktemp(key) / "world.db"))
        yield SharedWorld(database, build, snapshot.built_in(database))
        database.dispose()
    else:
        yield SharedWorld(request.getfixturevalue("pg_database"), build)


def read_only_world(key: str, build, name: str, *, db: bool = False):
    """`shared_world, NAME = read_only_world(key, build, "NAME")` in a module whose tests only read NAME (what
    `build` returned): one world a module on each engine (`world_once_a_module`), not one a test. With `db`,
    `shared_world, NAME, db = …`: the module's tests that take `db` read that world's database too (a module
    whose tests write through a `db`-built fixture of their own must leave `db` alone)."""
    @pytest.fixture(scope="module", params=ENGINES, name="shared_world")
    def shared(request, tmp_path_factory):
        yield from world_once_a_module(request, tmp_path_factory, key, build)

    @pytest.fixture(name=name)
    def built(shared_world):
        return shared_world.world()

    @pytest.fixture(name="db")
    def database(shared_world):
        shared_world.world()
        return shared_world.database
    return (shared, built, database) if db else (shared, built)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request, tmp_path):
    """A fresh, initialised database with the default policy, on each engine."""
    if request.param == "sqlite":
        database = _sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
    else:
        database = request.getfixturevalue("pg_database")
        reset_pg_database(database)
    yield database
    if request.param == "sqlite":
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path, sqlite_template):
    """SQLite only, for tests about the embedded default itself."""
    database = _sqlite_copy(sqlite_template, tmp_path / "test.db")
    yield database
    database.dispose()


TODAY = date(2016, 6, 20)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(scope="session")
def prefect_server():
    """The orchestrated path: one Prefect test server a session (a worker's session under xdist), heartbeat
    off. Defined here, once, for tests/workflows, tally and scaleout alike: a fixture each conftest imported
    was a fixture of its own, and started a server of its own."""
    from prefect.settings import temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with temporary_settings(updates={"flows.heartbeat_frequency": None}), prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items):
    """Slow by what they start: a Chromium page (the `browser` mark), the Prefect test server, or a PostgreSQL
    database (the `postgresql` mark). The fast tier, `-m "not slow"`, runs every rule on the embedded engine;
    the full suite, which CI runs, runs each of them on PostgreSQL as well."""
    for item in items:
        if "prefect_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("browser") or item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def tables_laid_out_as_for_a_pipe(monkeypatch):
    """The command line lays tables out to COLUMNS when set (lostcontact/cli/tables.py); test runners set it
    or not (pytest-xdist's workers inherit 80 columns), so every test starts from 'not a terminal' (120
    columns) and a test about widths sets its own."""
    monkeypatch.delenv("COLUMNS", raising=False)
