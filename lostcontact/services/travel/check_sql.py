"""The pieces every check's SELECT is written with (lostcontact/services/travel/checks.py, trip_checks.py,
report_checks.py): the run's `Scope`, evidence in SQL with the masks of lostcontact.masking and the CLI's
labels, a day plus a number of days in either dialect, and the registration status of a person on a day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, String, and_, case, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from models import PersonEvent
from statemachines.policy import TravelPolicy
from statemachines.travel.codes import DOCUMENT_KINDS, ON_FILE

_person_events = PersonEvent.__table__
_STARS = "*" * 40


@dataclass(frozen=True)
class Scope:
    day: date
    policy: TravelPolicy
    persons: object   # table: person_id, org_id, status, rank (as of the day), id_number, name, birth_date — in scope

    @property
    def on_file(self):
        return self.persons.c.status.in_(ON_FILE)


def masked_id(column):
    """lostcontact.masking.mask_id in SQL: the first six and the last four characters."""
    return _masked(column, shortest=10, head=6, tail=4)


def masked_document(column):
    """lostcontact.masking.mask_document in SQL: the first and the last three characters."""
    return _masked(column, shortest=6, head=1, tail=3)


def _masked(column, *, shortest: int, head: int, tail: int):
    length = func.length(column)
    return case((length < shortest, func.substr(literal(_STARS), 1, length)),
                else_=func.substr(column, 1, head).concat(func.substr(literal(_STARS), 1, length - head - tail))
                .concat(func.substr(column, length - tail + 1, tail)))


def kind_label(column):
    return case(*((column == k, v.label) for k, v in DOCUMENT_KINDS.items()), else_=column)


def day_text(column):
    return cast(column, String)


def text(*parts):
    out = literal("")
    for part in parts:
        out = out.concat(literal(part) if isinstance(part, str) else part)
    return out


def doc_subject(kind, number):
    return text("doc:", kind, ":", number)


def valid_holding(h, day: date):
    return and_(h.c.status == "valid", h.c.issued_on <= day, h.c.expires_on >= day)


class plus_days(FunctionElement):
    """`day + n` for a date column and a constant number of days: SQLite has no date arithmetic of its own."""
    type = Date()
    inherit_cache = True
    name = "plus_days"


@compiles(plus_days)
def _plus_days_postgresql(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"({compiler.process(day, **kw)} + {compiler.process(days, **kw)})"


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element, compiler, **kw):
    day, days = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+' || {compiler.process(days, **kw)} || ' days')"


def on_file_on(person_id, day):
    """Whether the person was on file (登记备案) on `day` (a column): their registration history that day."""
    e = _person_events
    status = (select(e.c.to_status).where(e.c.person_id == person_id, e.c.effective_on <= day)
              .order_by(e.c.seq.desc()).limit(1).scalar_subquery())
    return status.in_(ON_FILE)
