"""SQL functions that both engines spell differently, written once for every query that needs them."""
from __future__ import annotations

from sqlalchemy import Date, func
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class latest_date(FunctionElement):
    """The latest of its date arguments. PostgreSQL's greatest() ignores NULLs, SQLite's scalar max()
    returns NULL if any is NULL: pass non-NULL arguments, or use latest_of. (A plain FunctionElement:
    "greatest" as a GenericFunction name clashes with Prefect's own and warns.)"""
    type = Date()
    inherit_cache = True


@compiles(latest_date)
def _greatest(element, compiler, **kw):
    return "greatest(%s)" % compiler.process(element.clauses, **kw)


@compiles(latest_date, "sqlite")
def _scalar_max(element, compiler, **kw):
    return "max(%s)" % compiler.process(element.clauses, **kw)


def latest_of(first, *others):
    """The latest of `first` (never NULL) and `others` (NULL when absent), alike on both engines."""
    return latest_date(first, *(func.coalesce(o, first) for o in others))


class in_ids(ColumnElement):
    """`column IN (ids)` for a SELECT of a few ids out of many, read by the column's index on both engines:
    PostgreSQL plans `= ANY(ARRAY(…))` as index probes (the ids an init plan), where for `IN (…)` it may hash a
    sequential scan of the whole table; SQLite runs the subquery once and probes the index anyway. (Untyped:
    as a Boolean SQLAlchemy would write `… IN (…) = 1` on SQLite, which no index serves.)"""
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement),
                           ("ids", InternalTraversal.dp_clauseelement)]
    inherit_cache = True

    def __init__(self, column, ids):
        self.column, self.ids = column, ids.scalar_subquery()

    @property
    def _from_objects(self):
        return self.column._from_objects


@compiles(in_ids)
def _in(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.ids, **kw)}"


@compiles(in_ids, "postgresql")
def _any_array(element, compiler, **kw):
    return f"{compiler.process(element.column, **kw)} = ANY(ARRAY{compiler.process(element.ids, **kw)})"
