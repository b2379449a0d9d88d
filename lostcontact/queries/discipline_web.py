"""What the web's register pages look up besides the register's own views (queries/discipline.py): whether the
user keeps an entry, and the flags a person's pages show (their open entries and flight risk) to a reader of the
register — the case page's panel reads the same functions.

Importing this module loads no discipline or travel table: the case page of a member who is no person of the
other programmes costs one indexed lookup (the command line's start, tests/cli/test_cli_start.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import column, select, table

from models.db import Database

from ..permissions import load_actor
from ..uow import UnitOfWork

_persons = table("persons", column("id"), column("member_id"), column("org_id"))
_orgs = table("orgs", column("id"), column("path"))


def persons_of_member(conn, member_id: int) -> list[int]:
    """The persons of the other programmes recorded for a roster member (most members: none)."""
    return [pid for (pid,) in conn.execute(select(_persons.c.id).where(_persons.c.member_id == member_id))]


def flight_risk_words(conn, day: date, person_ids: list[int]) -> list[str]:
    """The persons' flight-risk reasons on the day, as a person reads them (PROGRAMMES.md §6)."""
    from .flight_risk import reasons_in_words, risks

    return reasons_in_words(risks(conn, day, person_ids=person_ids))


def open_entries_of(conn, person_ids: list[int]) -> list[dict]:
    """The persons' register entries open now (在册), oldest first."""
    from models import DisciplineEntry

    entries = DisciplineEntry.__table__
    return [{"id": e.id, "category": e.category, "since_on": e.since_on.isoformat(),
             "opened_on": e.opened_on.isoformat()}
            for e in conn.execute(select(entries.c.id, entries.c.category, entries.c.since_on, entries.c.opened_on)
                                  .where(entries.c.person_id.in_(person_ids), entries.c.state == "open")
                                  .order_by(entries.c.opened_on, entries.c.id))]


def register_flags(db: Database, *, actor_login: str, today: date, member_id: int | None = None,
                   person_id: int | None = None) -> dict | None:
    """A person's (or a roster member's persons') open entries and flight-risk reasons today, for a reader of
    the register over their org; None for anyone else, or when there is nothing to say."""
    from ..services.discipline.access import READERS, may_read

    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        if not any(g.role in READERS for g in actor.grants):
            return None
        query = select(_persons.c.id, _orgs.c.path).join(_orgs, _orgs.c.id == _persons.c.org_id)
        query = query.where(_persons.c.member_id == member_id if person_id is None else _persons.c.id == person_id)
        people = [row.id for row in conn.execute(query) if may_read(actor, row.path)]
        if not people:
            return None
        flags = {"entries": open_entries_of(conn, people), "risks": flight_risk_words(conn, today, people)}
        return flags if flags["entries"] or flags["risks"] else None


def keeps_entry(db: Database, entry_id: int, *, actor_login: str) -> bool:
    """Whether the user keeps the register over the entry's org (the discipline officer, not the reading admin):
    whether its steps are theirs to take (the service asks the same grant)."""
    from models import DisciplineEntry

    from ..services.discipline.access import KEEPERS, may_read

    entries = DisciplineEntry.__table__
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        path = uow.session.scalar(select(_orgs.c.path).join(entries, entries.c.org_id == _orgs.c.id)
                                  .where(entries.c.id == entry_id))
    return path is not None and not actor.is_operator and may_read(actor, path, KEEPERS)
