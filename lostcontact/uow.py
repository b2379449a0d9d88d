"""The unit of work: one transaction per service call, rolled back unless committed.

A concurrent change is a refusal (Conflict, exit 3) wherever it surfaces — at the commit, at a flush or at
any statement in between: a stale case version, a unique key another transaction has just taken, SQLite's
write lock held past the busy timeout, a PostgreSQL serialization failure or deadlock. Services need not
catch these one by one; one that knows better words for its duplicate passes them as `duplicate`.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import Session

from models.db import Database
from statemachines.errors import Conflict

from .calendars import refresh_installed_calendar

_STALE = Conflict("案件已被他人修改，请刷新后重试", "the case was changed by someone else: reload and retry")
_DUPLICATE = Conflict("他人刚刚做了同样的修改，请刷新后重试", "someone else has just made the same change: reload and retry")
_BUSY = Conflict("数据库正忙（他人同时修改），请重试", "the database is busy with a concurrent change: retry")
_BUSY_WORDS = ("database is locked", "could not serialize", "deadlock detected")
_PG_UNIQUE_VIOLATION = "23505"


# Lent read transactions (see `lending_reads`), per engine, of the request under way; None outside one.
_LENT: ContextVar[dict | None] = ContextVar("lostcontact_lent_reads", default=None)


@contextmanager
def lending_reads() -> Iterator[dict]:
    """Around one web request: a read unit of work that ends cleanly leaves its transaction open, and the
    request's next read unit of work takes it over instead of checking out a connection of its own (the pool's
    pre-ping and the calendar check are a round trip each, and a page reads in several units of work: the
    session lookup, then e.g. a case, its actions, its attachments, the names in its history). So a request's
    reads are one transaction on one connection. A write unit of work ends a lent transaction first (a read
    after a write sees the write); one nobody took over ends with the request. Outside this block (the CLI, the
    flows) nothing is lent. The holder is mutable, so a unit of work in any thread of the request (each runs
    in a copy of the request's context) lends to and takes from the same one."""
    lent: dict = {}
    token = _LENT.set(lent)
    try:
        yield lent
    finally:
        _LENT.reset(token)
        end_lent(lent)


def end_lent(lent: dict | None) -> None:
    """End the transactions `lent` still holds (an async caller runs this in a thread: it is a round trip)."""
    while lent:
        _engine, connection = lent.popitem()
        try:
            if connection.in_transaction():
                connection.rollback()
        finally:
            connection.close()


def _may_lend(db: Database) -> bool:
    """A pool with a free slot: a request keeps at most one connection lent between its session lookup and
    its page's reads (a thread hop apart), and only while other requests' units of work can still check
    theirs out, so lending never makes a request wait on another's lent connection."""
    pool = db.engine.pool
    size = getattr(pool, "size", None)
    checked_out = getattr(pool, "checkedout", None)
    return callable(size) and callable(checked_out) and checked_out() < size()


def is_unique_violation(exc: IntegrityError) -> bool:
    """A duplicate key (someone else's row took it first), not a NOT NULL, foreign-key or check failure:
    those are bugs and must stay loud."""
    orig = exc.orig
    if isinstance(orig, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(orig)
    return getattr(orig, "pgcode", None) == _PG_UNIQUE_VIOLATION


def concurrent_change(exc: BaseException, duplicate: Conflict | None = None) -> Conflict | None:
    """The refusal a concurrent change deserves, or None when `exc` is not one."""
    if isinstance(exc, StaleDataError):
        return _STALE
    if isinstance(exc, IntegrityError) and is_unique_violation(exc):
        return duplicate or _DUPLICATE
    if isinstance(exc, OperationalError) and any(words in str(exc).lower() for words in _BUSY_WORDS):
        return _BUSY
    return None


class UnitOfWork:
    """One transaction on one connection, begun at the first statement (on SQLite a writer's BEGIN IMMEDIATE
    takes the write lock then). `connection` is for Core and prepared statements; `session`, made on first
    use, is an ORM session joined to that same transaction, so both commit together in `commit` or not at all.
    (The hot paths never touch the session: a session's own transaction bookkeeping cost more than a step's
    SQL.)"""

    def __init__(self, db: Database, *, write: bool = True, duplicate: Conflict | None = None):
        self.db = db
        self.write = write
        self.duplicate = duplicate
        self._connection: Connection | None = None
        self._session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        if not (self.write and self.db.is_sqlite):
            # begins now, so the stored holiday calendar is installed before the work counts any day; a SQLite
            # writer begins at its first statement instead, as beginning takes the write lock
            self.connection
        return self

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            lent = _LENT.get()
            if lent:
                if not self.write:
                    taken = lent.pop(self.db.engine, None)
                    if taken is not None and taken.in_transaction():
                        self._connection = taken  # begun, and the calendar checked, a moment ago
                        return taken
                    if taken is not None:
                        taken.close()
                else:
                    end_lent(lent)
            connection = (self.db.writer if self.write else self.db.engine).connect()
            try:
                connection.begin()
                # counts working days with the holiday years stored now: another process may have loaded one
                refresh_installed_calendar(self.db, connection.connection.dbapi_connection)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    @property
    def session(self) -> Session:
        if self._session is None:
            # joined to the unit of work's transaction: the session's commit flushes, only `commit` commits
            self._session = Session(bind=self.connection, expire_on_commit=False, autoflush=False,
                                    join_transaction_mode="rollback_only")
        return self._session

    def commit(self) -> None:
        try:
            if self._session is not None:
                self._session.commit()  # flushes what the ORM holds
            if self._connection is not None:
                self._connection.commit()
        except (StaleDataError, IntegrityError, OperationalError) as exc:
            self._rollback()
            refusal = concurrent_change(exc, self.duplicate)
            if refusal is None:
                raise
            raise _fresh(refusal) from None

    def _lends(self) -> bool:
        """Inside a request (`lending_reads`), when nothing of this engine is lent yet and the pool can spare it."""
        lent = _LENT.get()
        return lent is not None and self.db.engine not in lent and _may_lend(self.db)

    def _rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc is None and not self.write and self._connection is not None and self._lends():
            if self._session is not None:  # joined, not owning: closing it leaves the transaction open
                self._session.close()
                self._session = None
            _LENT.get()[self.db.engine] = self._connection
            self._connection = None
            return
        try:
            self._rollback()
        finally:
            try:
                if self._session is not None:
                    self._session.close()
            finally:
                if self._connection is not None:
                    self._connection.close()
                self._session = self._connection = None
        refusal = concurrent_change(exc, self.duplicate) if exc is not None else None
        if refusal is not None:
            raise _fresh(refusal) from None


def _fresh(refusal: Conflict) -> Conflict:
    return Conflict(refusal.zh, refusal.en)
