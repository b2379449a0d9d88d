"""The discipline register's forms as rows (seed 000 附件1-1…1-4): the entries open on a day in an org's
subtree, and their counts by unit — one query each."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DisciplineEntry, Org, Person

from ..orgtree import in_subtree
from .discipline_state import in_state_on

_entries, _persons, _orgs = DisciplineEntry.__table__, Person.__table__, Org.__table__


def _open_on(day: date):
    """WHERE: the entry was made by the day and was still open on it (the state rule of queries.discipline)."""
    return (_entries.c.opened_on <= day, in_state_on(day, "open"))


def open_entries(session: Session, root: Org, day: date, category: str) -> list:
    """The entries of a category open on the day in the root's subtree, with their person, by unit then date."""
    return session.execute(
        select(_entries, _persons.c.name, _persons.c.former_names, _persons.c.sex, _persons.c.birth_date,
               _persons.c.political_status, _persons.c.work_unit, _persons.c.post, _persons.c.rank,
               _persons.c.id_number)
        .join(_persons, _persons.c.id == _entries.c.person_id).join(_orgs, _orgs.c.id == _entries.c.org_id)
        .where(_entries.c.category == category, *_open_on(day), in_subtree(_orgs.c.path, root.path))
        .order_by(_orgs.c.path, _entries.c.since_on, _entries.c.id)).all()


@dataclass
class SummaryRow:
    name: str
    path: str
    counts: Counter = field(default_factory=Counter)   # lost / absconded / fled_domestic / fled_abroad

    @property
    def fled(self) -> int:
        return self.counts["fled_domestic"] + self.counts["fled_abroad"]

    @property
    def total(self) -> int:
        return self.counts["lost"] + self.counts["absconded"] + self.fled


def summary(session: Session, root: Org, day: date) -> tuple[list[SummaryRow], SummaryRow]:
    """附件1-4's rows: the root's own entries (本级, when it has any) and each org directly below it with its
    subtree, then the 总计 row (the whole subtree). One GROUP BY."""
    children = session.execute(select(_orgs.c.name, _orgs.c.path).where(_orgs.c.parent_id == root.id)
                               .order_by(_orgs.c.path)).all()
    rows = [SummaryRow(f"{root.name}本级", root.path), *(SummaryRow(c.name, c.path) for c in children)]
    total = SummaryRow("总计", root.path)
    key = _entries.c.whereabouts  # a fled entry always has one (services.discipline.register)
    for path, category, whereabouts, n in session.execute(
            select(_orgs.c.path, _entries.c.category, key, func.count())
            .join(_orgs, _orgs.c.id == _entries.c.org_id)
            .where(*_open_on(day), in_subtree(_orgs.c.path, root.path))
            .group_by(_orgs.c.path, _entries.c.category, key)):
        column = f"fled_{whereabouts}" if category == "fled" else category
        total.counts[column] += n
        own = rows[0] if path == root.path else next((r for r in rows[1:] if path.startswith(r.path)), None)
        if own is not None:
            own.counts[column] += n
    return [r for i, r in enumerate(rows) if i or r.total], total
