"""backup: a consistent copy of the embedded SQLite database while other processes keep using it.

SQLite's online backup API copies every page under one read transaction, so the copy is the database as
of one commit even while the web app and a sweep write (WAL mode lets writers go on meanwhile). The copy
is made beside the target and renamed into place only once it passes an integrity check: a failed or
interrupted backup never leaves a half-written file, and `--force` keeps the old copy until the new one
is whole. PostgreSQL is backed up with its own tools (pg_dump), which this refuses with the command to use.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from statemachines.errors import BadInput, UsageError


@dataclass(frozen=True)
class BackupResult:
    source: Path
    target: Path
    size_bytes: int


def pg_dump_command(url: str) -> str:
    """The pg_dump line an operator runs instead (the password never printed)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    parts = ["pg_dump", "--format=custom"]
    if parsed.host:
        parts += ["--host", parsed.host]
    if parsed.port:
        parts += ["--port", str(parsed.port)]
    if parsed.username:
        parts += ["--username", parsed.username]
    parts += ["--file", "lostcontact.dump", parsed.database or "lostcontact"]
    return " ".join(parts)


def sqlite_path(url: str) -> Path:
    """The database file of an SQLite URL; anything else (PostgreSQL, an in-memory database) is refused."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        command = pg_dump_command(url) if parsed.get_backend_name() == "postgresql" else "the database's own tools"
        raise BadInput(f"backup 只复制内置的 SQLite 数据库；此数据库请用 PostgreSQL 自带的工具备份：{command}",
                       f"backup copies the embedded SQLite database only; back this database up with its own "
                       f"tools: {command}")
    if not parsed.database or parsed.database == ":memory:":
        raise BadInput("内存数据库无法备份", "an in-memory database cannot be backed up")
    return Path(parsed.database)


def backup_database(url: str, target: Path, *, force: bool = False) -> BackupResult:
    """Copy the database of `url` into `target`, whole and consistent, while it is in use."""
    import sqlite3
    from contextlib import closing

    source = sqlite_path(url)
    if not source.is_file():
        raise BadInput(f"数据库文件不存在：{source}", f"the database file does not exist: {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise UsageError(f"备份文件不能是数据库本身：{target}", f"the backup cannot be the database itself: {target}")
    if target.is_dir():
        raise UsageError(f"备份文件是一个文件夹：{target}", f"the backup file is a folder: {target}")
    if target.exists() and not force:
        raise UsageError(f"备份文件已存在，未覆盖：{target}", f"the backup file already exists and was left alone: {target}",
                         "--force 覆盖")
    if not target.parent.is_dir():
        raise BadInput(f"备份文件所在的文件夹不存在：{target.parent}",
                       f"the folder of the backup file does not exist: {target.parent}")
    if not os.access(target.parent, os.W_OK):
        raise BadInput(f"备份文件所在的文件夹不可写：{target.parent}",
                       f"the folder of the backup file is not writable: {target.parent}")

    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        # mode=rw: never create an empty database where the file was expected
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=30)) as live, \
                closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)  # all pages in one step: one read transaction, one snapshot
            # The copy stands alone as one file (no -wal beside it); the app turns WAL back on when it opens it.
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise BadInput(f"备份副本未通过完整性检查：{verdict}", f"the copy failed its integrity check: {verdict}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(source=source, target=target, size_bytes=target.stat().st_size)

