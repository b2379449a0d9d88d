"""Statements of the hot paths (a lifecycle step, opening a case, a search entry), written once as SQLAlchemy
constructs, compiled once per dialect and run on the driver's cursor of the unit of work's connection.

A cached SQLAlchemy execution still costs ~50 µs of Python per statement (cache-key lookup, parameter
processing, result set-up, events), ten times what SQLite takes for a primary-key read; a step runs seven
or eight of them. Here a statement is compiled to its SQL string with its parameter order, its bind
processors (e.g. a date written as ISO text on SQLite) and its result processors (ISO text read back as a
date, 0/1 as a bool), so each call is the driver's own `execute` plus those processors (models.db.driver_execute). What stays as
SQLAlchemy gives it: the same transaction (the unit of work's connection), driver errors raised as
SQLAlchemy's (so a busy database or a duplicate key is still a Conflict), and `before_cursor_execute`
listeners called (the race tests hold a writer there). Not for expanding (IN-list) parameters.
"""
from __future__ import annotations

from collections import namedtuple
from datetime import date
from typing import Any, Callable

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

from models.db import driver_execute


def connection_of(session_or_connection) -> Connection:
    """The connection of a session's transaction, or the connection itself: the hot paths pass the unit of
    work's connection to helpers that other callers give a session."""
    if isinstance(session_or_connection, Connection):
        return session_or_connection
    return session_or_connection.connection()


_PROBES = (date(2016, 1, 4), date(999, 12, 31))


def _iso_dates_first(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`processor`, but a date it would write as its ISO text (SQLite's DATE) is written by `date.isoformat`:
    a step binds a dozen dates, and SQLAlchemy's processor formats each through a dict."""
    try:
        iso = all(processor(day) == day.isoformat() for day in _PROBES)
    except Exception:  # a processor of other values (a number, JSON) may refuse a date any way it likes
        iso = False
    if not iso:
        return processor

    def process(value):
        return value.isoformat() if value.__class__ is date else processor(value)
    return process


class _Form:
    """One statement compiled for one dialect."""

    def __init__(self, statement: ClauseElement, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.defaults = compiled.construct_params(_check=False)  # literals bound as anonymous parameters
        self.order = tuple(compiled.positiontup) if compiled.positional else None
        # columns whose value Python computes when none is given (e.g. `updated_at`'s onupdate), as SQLAlchemy's
        # execution would
        self.computed = tuple((column.key, default) for column, default in
                              [(c, c.default) for c in compiled.insert_prefetch] +
                              [(c, c.onupdate) for c in compiled.update_prefetch])
        processors = {}  # by name: a parameter used twice (e.g. the policy day of two subqueries) is one value
        for bind, name in compiled.bind_names.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = _iso_dates_first(processor)
        if any(bind.expanding for bind in compiled.bind_names):
            raise ValueError("prepared statements take no expanding parameters")
        # the arguments laid out once: a slot per parameter the driver takes (by position, or one per name),
        # then the slots whose value is computed when none is given and those a processor converts
        self.names = None if self.order is not None else tuple(self.defaults)
        slots = self.order if self.order is not None else self.names
        self.slots = tuple((name, self.defaults.get(name)) for name in slots)
        computed = dict(self.computed)
        self.computed_slots = tuple((i, name, computed[name]) for i, name in enumerate(slots) if name in computed)
        self.processed_slots = tuple((i, processors[name]) for i, name in enumerate(slots) if name in processors)
        columns = list(getattr(statement, "exported_columns", ()) or ())
        self.row = namedtuple("Row", [c.key for c in columns], rename=True) if columns else None
        processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        self.result_processors = (tuple(processors) if any(p is not None for p in processors) else None)

    def arguments(self, params: dict[str, Any]):
        get = params.get
        values = [get(name, default) for name, default in self.slots]
        for i, name, default in self.computed_slots:
            if name not in params:
                values[i] = default.arg(None) if default.is_callable else default.arg
        for i, processor in self.processed_slots:
            values[i] = processor(values[i])
        return values if self.names is None else dict(zip(self.names, values))

    def make_row(self, raw: tuple):
        processors = self.result_processors
        if processors is None:
            return self.row._make(raw)
        return self.row._make([value if p is None else p(value) for p, value in zip(processors, raw)])


class Result:
    """What a prepared statement returned: its rows (for a SELECT or RETURNING), its rowcount and, on
    SQLite, the id of an inserted row."""
    __slots__ = ("rows", "rowcount", "lastrowid")

    def __init__(self, rows: list, rowcount: int, lastrowid: int | None):
        self.rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid

    def first(self):
        return self.rows[0] if self.rows else None

    def scalar(self):
        return self.rows[0][0] if self.rows else None


class Prepared:
    """A statement built once (with bound parameters) and run as `prepared.run(connection, params)`."""

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._forms: dict[str, _Form] = {}

    def form(self, dialect: Dialect) -> _Form:
        form = self._forms.get(dialect.name)
        if form is None:
            form = self._forms[dialect.name] = _Form(self.statement, dialect)
        return form

    def run(self, connection: Connection, params: dict[str, Any] | None = None) -> Result:
        form = self.form(connection.dialect)
        cursor = driver_execute(connection, form.sql, form.arguments(params or {}))
        try:
            rows = [form.make_row(raw) for raw in cursor.fetchall()] if form.row is not None else []
            return Result(rows, cursor.rowcount, cursor.lastrowid)
        finally:
            cursor.close()
