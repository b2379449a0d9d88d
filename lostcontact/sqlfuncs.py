"""SQL functions that both engines spell differently, written once for every query that needs them."""
from __future__ import annotations

from sqlalchemy import Date, func
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
