"""The staging table: checked rows of the file go, batch by batch, into a temporary table on the
import's own connection and transaction. The checks that need the whole file (duplicates, the org tree,
members already recorded) and the writes are then set-based SQL from it, so memory stays flat however
long the file is. The table is dropped (or vanishes with a rolled-back transaction) at the end."""
from __future__ import annotations

import csv
import io
import uuid
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from sqlalchemy import Column, Connection, Integer, MetaData, Table


# SQLite's default page cache is 2 MB; a bulk load that updates indexes in key order unrelated to the
# table's (ID numbers, member ids) thrashes it. Any bulk loader on this connection should use the same
# (the benchmark's floor does).
BULK_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_settings(conn: Connection) -> Iterator[None]:
    """A larger SQLite page cache for the duration of a bulk load, restored afterwards (the connection
    goes back to the pool); nothing to do on PostgreSQL."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def temp_table(conn: Connection, prefix: str, columns: Sequence[Column]) -> Table:
    """Create a temporary table with a unique name on this connection."""
    table = Table(f"lc_{prefix}_{uuid.uuid4().hex[:10]}", MetaData(), *columns, prefixes=["TEMPORARY"])
    table.create(conn)
    return table


def create_temporary(conn: Connection, table: Table) -> Table:
    """Create a temporary table defined once at module level (the same object every run, so the statements that
    read it are compiled once a process), dropping first one a run left behind on this pooled connection after
    committing. A temporary table is the connection's own and vanishes with a rolled-back transaction."""
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {conn.dialect.identifier_preparer.format_table(table)}")
    table.create(conn)
    return table


def analyze(conn: Connection, table: Table) -> None:
    """PostgreSQL never auto-analyses temporary tables: without statistics it plans the whole-file
    checks for a table of a few rows. (SQLite plans these joins well without.)"""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ANALYZE {conn.dialect.identifier_preparer.format_table(table)}")


def drop(conn: Connection, *tables: Table) -> None:
    for table in tables:
        table.drop(conn)


def bulk_insert(conn: Connection, table: Table, rows: Iterable[Sequence], columns: Sequence[str] | None = None) -> None:
    """Insert rows (tuples in the order of `columns`, default all the table's) by the driver's fastest
    path: one prepared executemany on SQLite, COPY on PostgreSQL. Dates come as ISO strings and booleans
    as bool, which both engines read into their DATE and BOOLEAN columns."""
    prepare = conn.dialect.identifier_preparer
    columns = list(columns or (c.name for c in table.columns))
    names = ", ".join(prepare.quote(name) for name in columns)
    target = prepare.format_table(table)
    cursor = conn.connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            buffer.seek(0)
            cursor.copy_expert(f"COPY {target} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)
        else:
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {target} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def row_number_column() -> Column:
    return Column("row_no", Integer, primary_key=True, autoincrement=False)
