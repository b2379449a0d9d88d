"""Building a benchmark's world faster without changing it: indexes created after a bulk load rather than kept
up row by row, a world built once on SQLite copied row for row to PostgreSQL, and worlds built side by side.

The suite (bench/__main__.py) builds the worlds with derived rows (超期预警's, the web lists' and pages':
`case_steps`, by the migration's set-based statement, costs PostgreSQL several times what it costs SQLite) on
SQLite and copies them, so both engines measure the very same rows. The copy has the schema of `models.Base`
(as the worlds' create_all gives it), every row, the sequences moved past the ids, and fresh planner
statistics. Worlds that do not depend on each other are built at once, a process each (`in_parallel`): one
build keeps one core busy, and nothing is timed while they run.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import closing, contextmanager
from functools import partial
from typing import Callable, Iterator, Sequence

from sqlalchemy import text
from sqlalchemy.engine import make_url

COPY_ROWS = 50_000  # rows a COPY: a bounded buffer whatever the table's size
SPECIAL = "*[\\\t\n\r]*"  # a GLOB matching the strings COPY's text format needs escaped


def _plain_indexes(conn, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, its CREATE statement) of every index on `tables` that no primary key or unique constraint owns."""
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(tables))
        return conn.exec_driver_sql(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                    f"AND tbl_name IN ({marks})", tuple(tables)).all()
    return conn.execute(text(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(:tables) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
        "AND c.connamespace = current_schema()::regnamespace)"), {"tables": list(tables)}).all()


def _foreign_keys(conn, tables: Sequence[str]) -> list[tuple[str, str, str]]:
    """(table, constraint, its definition) of the foreign keys of `tables` (PostgreSQL)."""
    return conn.execute(text(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(:tables)"), {"tables": list(tables)}).all()


def _dropping(conn, indexes: Sequence[tuple[str, str]], keys: Sequence[tuple[str, str, str]]) -> list[str]:
    """Drop `indexes` and foreign `keys` on `conn`; returns the statements that make them again, indexes first."""
    quote = conn.dialect.identifier_preparer.quote
    for table, name, _definition in keys:
        conn.exec_driver_sql(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _statement in indexes:
        conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
    return [statement for _name, statement in indexes] + [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}" for table, name, definition in keys]


@contextmanager
def foreign_keys_deferred(conn, tables: Sequence[str]) -> Iterator[None]:
    """Within a bulk load on `conn`: on PostgreSQL the foreign keys of `tables` dropped (a trigger a row) and
    added back afterwards, each then checked once over the whole table. Nothing else changes: the indexes are
    kept up row by row, so they are laid out as a table filled over time has them. SQLite: nothing to do."""
    remake = _dropping(conn, [], _foreign_keys(conn, tables) if conn.dialect.name == "postgresql" else [])
    yield
    for statement in remake:
        conn.exec_driver_sql(statement)


@contextmanager
def indexes_deferred(conn, tables: Sequence[str]) -> Iterator[None]:
    """Within a bulk load on `conn`: the plain indexes of `tables` dropped and made again afterwards from their
    own statements (one sort each instead of a B-tree insert a row), and their foreign keys deferred too. Unique
    and primary keys stay. The rows are the same; the indexes come out packed, as after a REINDEX, where a table
    filled over time has them looser: fine where both sides of a comparison are built so (the two sizes of a
    scaling goal), not where a floor reads the same tables."""
    keys = _foreign_keys(conn, tables) if conn.dialect.name == "postgresql" else []
    remake = _dropping(conn, _plain_indexes(conn, tables), keys)
    yield
    for statement in remake:
        conn.exec_driver_sql(statement)


def _on_threads(calls: Sequence[Callable[[], object]]) -> list:
    """`calls` on a thread a core (the work is SQLite's and PostgreSQL's, outside Python's lock); results in order."""
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        return [future.result() for future in [pool.submit(call) for call in calls]]


def _as_copy_text(column) -> str:
    """SQLite's expression of `column` as a field of COPY's text format: NULL as \\N, strings with their
    backslashes, tabs and line breaks escaped; SQLite's 0/1 booleans and ISO dates are PostgreSQL's input too."""
    from sqlalchemy import Float, String

    value = f'"{column.name}"'
    if isinstance(column.type, String):  # Text too; ?1 is SPECIAL: one test a value, the replaces on a match
        escaped = value
        for raw, replacement in (("'\\'", "'\\\\'"), ("char(10)", "'\\n'"), ("char(13)", "'\\r'"),
                                 ("char(9)", "'\\t'")):
            escaped = f"replace({escaped}, {raw}, {replacement})"
        value = f"CASE WHEN {value} GLOB ?1 THEN {escaped} ELSE {value} END"
    elif isinstance(column.type, Float):
        value = f"printf('%.17g', {value})"  # every digit: SQLite's own text of a REAL keeps 15
    return f"ifnull({value}, '\\N')"


def _copy_table(db, path: str, table) -> int:
    """The table's rows, each made a line of COPY's text format by SQLite itself (Python only joins them), on a
    connection of each engine of its own."""
    columns = [column for column in table.columns if column.computed is None]  # generated: computed again
    line = " || char(9) || ".join(_as_copy_text(column) for column in columns)
    listed = ", ".join(f'"{column.name}"' for column in columns)
    source = sqlite3.connect(path)
    copied = 0
    try:
        with db.writer.connect() as conn, conn.begin():
            # SQLite keeps timestamps as UTC text without an offset: read them as UTC
            conn.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")
            cursor = conn.connection.cursor()
            rows = source.execute(f'SELECT {line} FROM "{table.name}"', (SPECIAL,) if "?1" in line else ())
            while batch := rows.fetchmany(COPY_ROWS):
                cursor.copy_expert(f'COPY "{table.name}" ({listed}) FROM STDIN',
                                   io.StringIO("".join(f"{text_line}\n" for (text_line,) in batch)))
                copied += len(batch)
            cursor.close()
    finally:
        source.close()
    return copied


def copy_to_postgresql(sqlite_url: str, pg_url: str) -> dict[str, int]:
    """Copy the world in the SQLite file at `sqlite_url` into the empty PostgreSQL database at `pg_url`; returns
    the rows copied per table. The tables are copied, then their indexes and foreign keys made and the tables
    analysed, two at a time: reading SQLite and writing PostgreSQL keep both cores busy."""
    from models import Base
    from models.db import open_database

    path = make_url(sqlite_url).database
    tables = Base.metadata.sorted_tables
    with closing(sqlite3.connect(path)) as source:  # the largest tables first: the last to finish is a small one
        rows = {table.name: source.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] for table in tables}
    largest = sorted(tables, key=lambda table: -rows[table.name])
    db = open_database(pg_url)

    def run(statement: str) -> None:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(statement)
    try:
        Base.metadata.create_all(db.engine)
        with db.writer.begin() as conn:
            names = [table.name for table in tables]
            remake = _dropping(conn, _plain_indexes(conn, names), _foreign_keys(conn, names))
        copied = dict(zip([table.name for table in largest],
                          _on_threads([partial(_copy_table, db, path, table) for table in largest])))
        indexes = [statement for statement in remake if not statement.startswith("ALTER TABLE")]
        _on_threads([partial(run, statement) for statement in indexes])
        for statement in remake[len(indexes):]:  # a foreign key locks both its tables: one at a time
            run(statement)
        for table in tables:  # rows came with their ids: the next id a sequence gives is past them
            if copied[table.name] and "id" in table.columns:  # (setval of no sequence, NULL, does nothing)
                run(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"(SELECT max(id) FROM \"{table.name}\"))")
        _on_threads([partial(run, f'VACUUM ANALYZE "{table.name}"') for table in largest if copied[table.name]])
        return copied
    finally:
        db.dispose()


def in_parallel(tasks: Sequence[Callable[[], object]]) -> list:
    """Run `tasks` (picklable: module-level functions, or partials of them) a fresh process each, as many at
    once as there are cores, the first ones first (so give the longest first); their results in order."""
    if len(tasks) < 2:
        return [task() for task in tasks]
    workers = min(len(tasks), os.cpu_count() or 1)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return [future.result() for future in [pool.submit(task) for task in tasks]]


def build_and_copy(build: Callable[[str, int], object], size: int, sqlite_url: str, pg_url: str | None) -> None:
    """`build(sqlite_url, size)`, then (when a PostgreSQL database is given) the copy of it there."""
    build(sqlite_url, size)
    if pg_url is not None:
        copy_to_postgresql(sqlite_url, pg_url)
