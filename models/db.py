"""The engine factory. Engines are made on demand, never at import."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import make_url

# How long a SQLite writer waits for another process's write lock before it is refused as busy (exit 3,
# 数据库正忙): long enough for any interactive write or import batch, short enough that nobody stares at a
# hung command. LOSTCONTACT_SQLITE_BUSY_SECONDS changes it (docs/postgresql-protections.md).
SQLITE_BUSY_SECONDS = 10.0


@dataclass(frozen=True)
class Database:
    url: str
    engine: Engine   # reads (and PostgreSQL writes)
    writer: Engine   # writes: on SQLite its transactions take the write lock up front (BEGIN IMMEDIATE)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, busy_seconds: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (SQLAlchemy's pysqlite recipe)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY when another
        # writer committed in between; taking the lock first makes writers queue instead.
        immediate = conn.get_execution_options().get("sqlite_write", False)
        driver_execute(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN").close()


def driver_execute(connection: Connection, sql: str, args=()):
    """Run `sql` on a cursor of `connection`'s driver connection, as SQLAlchemy would but without its
    per-statement machinery (~40 µs against SQLite's few for a BEGIN or a primary-key read): the
    `before_cursor_execute` listeners are called (tests hold a writer there), a driver error is raised as
    SQLAlchemy's (so "database is locked" is still an OperationalError) and a lost connection is invalidated.
    Returns the cursor, open, for the caller to read and close."""
    dialect = connection.dialect
    dbapi_connection = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()
    try:
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            listeners(connection, cursor, sql, args, None, False)
        cursor.execute(sql, args)
        return cursor
    except dialect.loaded_dbapi.Error as error:
        cursor.close()
        disconnected = dialect.is_disconnect(error, dbapi_connection, cursor)
        if disconnected:
            connection.invalidate(error)
        raise exc.DBAPIError.instance(sql, args, error, dialect.loaded_dbapi.Error,
                                      connection_invalidated=disconnected, dialect=dialect) from error
    except BaseException:
        cursor.close()
        raise


def open_database(url: str, *, busy_seconds: float | None = None) -> Database:
    busy_seconds = SQLITE_BUSY_SECONDS if busy_seconds is None else busy_seconds
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_seconds})
        _configure_sqlite(engine, busy_seconds)
        return Database(url, engine, engine.execution_options(sqlite_write=True))
    from . import Base  # every table (models/__init__.py)
    from .base import attach_postgresql_options
    attach_postgresql_options(Base.metadata)  # the indexes' PostgreSQL-only options (models.base)
    engine = create_engine(url, pool_pre_ping=True)
    return Database(url, engine, engine)


def schema_exists(db: Database) -> bool:
    return inspect(db.engine).has_table("alembic_version")
