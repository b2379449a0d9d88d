"""A discipline register entry's state on a day, written once for the list, the entry's page and the forms."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, literal, or_

from models import DisciplineEntry

_entries = DisciplineEntry.__table__


def state_on(day: date):
    """An entry's state on a day by which it was made: the state it ended in from the day it ended, 在册 before.
    This is its history's latest record on or before the day, read from the entry's own row: the shared machine
    takes an entry from open to one ending and no further, never before the entry was made, and the step writes
    the ending's state and day on the entry with the ending's record (services/discipline/register.py)."""
    return case((_entries.c.ended_on <= day, _entries.c.state), else_=literal("open"))


def in_state_on(day: date, state: str):
    """WHERE state_on(day) is `state`, written so that an ended state reads the state column (an index's)."""
    if state == "open":
        return or_(_entries.c.ended_on.is_(None), _entries.c.ended_on > day)
    return and_(_entries.c.state == state, _entries.c.ended_on <= day)
