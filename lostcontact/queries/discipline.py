"""The discipline register's views as of a day (docs/discipline-register.md): the candidates for 失联 (more than
the policy's months without contact with their org or unit), the entries, one entry with its history and
its linked lost-contact case. ID numbers masked in listings; scope: the reader's subtrees."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from sqlalchemy import Alias, and_, case, exists, select

from models import Case, DisciplineEntry, DisciplineEvent, Member, Org, Person, User
from models.db import Database
from statemachines.clocks import latest_since_crossing_on_or_before
from statemachines.lifecycle import OPEN_STATES

from ..masking import mask_id
from ..permissions import load_actor
from ..policies import policy_as_of
from .contacts import (latest_contact_as_of, maybe_out_of_contact_since, org_contact_as_of,
                       unit_contact_as_of)
from .counting import COUNT_CAP, CappedTotal, capped_count
from .discipline_state import in_state_on, state_on
from .flight_risk import reasons_in_words, risks
from ..services.dates import check_as_of
from ..services.discipline.access import may_read, reader_scope, unknown_entry
from ..services.travel.history import persons_as_of
from ..uow import UnitOfWork
from .travel.as_of import org_filter

_persons, _orgs, _members, _cases = Person.__table__, Org.__table__, Member.__table__, Case.__table__
_entries, _events = DisciplineEntry.__table__, DisciplineEvent.__table__
_users = User.__table__
BATCH = 1000


def _scope(conn, actor, org_code: str | None, path_column) -> list:
    """What the register's reader reads (and `org_code`'s subtree): the travel views' filter, with the
    register's readers."""
    return org_filter(conn, actor, org_code, path_column, scope=reader_scope, readable=may_read)


def candidates(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
               org_code: str | None = None, with_ids: bool = False) -> list[dict]:
    """失联 candidates as of the day: persons on record then with more than the policy's months since their latest
    contact with their org or unit (month ends clamped as for DOMAIN R1), and no open 失联 entry that day.
    Nothing is registered here: an entry needs the failed re-contact (discipline add). `with_ids`: each row's
    person id too, for the web's forms (the CLI's JSON names persons by ID number only)."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        months = policy_as_of(s, day).discipline_threshold_months
        cutoff = latest_since_crossing_on_or_before(day, months)
        # driven by the two contact dates' indexes: the cost goes with the candidates, not the persons
        maybe = maybe_out_of_contact_since(day, cutoff).cte("maybe_out_of_contact")  # read twice, found once
        p = persons_as_of(day, among=select(maybe.c.id))
        open_lost = (select(_entries.c.id).where(_entries.c.person_id == _persons.c.id, _entries.c.category == "lost",
                                                 _entries.c.opened_on <= day, in_state_on(day, "open"))
                     .exists())
        open_case = (select(_cases.c.id).where(_cases.c.member_id == _members.c.id, _cases.c.opened_on <= day,
                                               _cases.c.state.in_(OPEN_STATES))
                     .order_by(_cases.c.id.desc()).limit(1).scalar_subquery())
        # the two contacts once per person, then the later of them (written once, in queries/contacts.py)
        known = (select(_persons.c.id.label("person_id"), _persons.c.id_number, _persons.c.name, _orgs.c.code,
                        _orgs.c.name.label("org_name"), unit_contact_as_of(day).label("unit_contact"),
                        org_contact_as_of(day).label("org_contact"), open_case.label("case_id"))
                 .select_from(p.join(_persons, _persons.c.id == p.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id)
                              .outerjoin(_members, _members.c.id == _persons.c.member_id))
                 .where(~open_lost, *_scope(conn, actor, org_code, _orgs.c.path)).subquery("known"))
        last = latest_contact_as_of(day, known.c.unit_contact, known.c.org_contact)
        shown = [c for c in known.c if c.key != "unit_contact"]
        rows = conn.execute(select(*shown, last.label("last_contact")).where(last <= cutoff)
                            .order_by(last, known.c.person_id)).all()
        return [{"person_name": name, "person_id_number_masked": mask_id(number), "org": code, "org_name": org_name,
                 "last_contact_on": last.isoformat(),
                 "contact_with": "org" if org_contact is not None and last == org_contact else "unit",
                 "threshold_months": months, "case_id": case_id, **({"person_id": person_id} if with_ids else {})}
                for person_id, number, name, code, org_name, org_contact, case_id, last in rows]


def _entry_row(r) -> dict:
    return {"id": r.id, "category": r.category, "state": r.state, "person_name": r.name,
            "person_id_number_masked": mask_id(r.id_number), "org": r.code, "org_name": r.org_name,
            "since_on": r.since_on.isoformat(), "recontact_on": r.recontact_on.isoformat(),
            "opened_on": r.opened_on.isoformat(), "ended_on": r.ended_on.isoformat() if r.ended_on else None,
            "case_id": r.case_id}


def _columns(day: date, orgs) -> tuple:
    """An entry's row as the list and the entry show it on the day, with its person and `orgs`' row of its org."""
    return (_entries.c.id, _entries.c.category, state_on(day).label("state"), _persons.c.name, _persons.c.id_number,
            orgs.c.code, orgs.c.name.label("org_name"), orgs.c.path, _entries.c.since_on, _entries.c.recontact_on,
            _entries.c.opened_on, case((_entries.c.ended_on <= day, _entries.c.ended_on)).label("ended_on"),
            _entries.c.case_id)


def _entries_query(day: date):
    """Each entry made by the day, with its state that day."""
    return (select(*_columns(day, _orgs)).join(_persons, _persons.c.id == _entries.c.person_id)
            .join(_orgs, _orgs.c.id == _entries.c.org_id).where(_entries.c.opened_on <= day))


@dataclass(frozen=True)
class EntryPage:
    rows: list[dict]
    total: CappedTotal     # counted up to COUNT_CAP: "1000+" past it
    page: int
    pages: int


@dataclass(frozen=True)
class _Listing:
    """The list's entries in the reader's scope: `where` on the entry, `scope` on the `scoped` alias of orgs."""
    day: date
    where: list
    scoped: Alias
    scope: list

    def _by_orgs(self):
        # the scope's orgs first, then each one's entries (ix_discipline_entries_org_state): as a join with the
        # list's order, SQLite's planner walks the whole register's order instead, however small the scope
        return _entries.c.org_id.in_(select(self.scoped.c.id).where(*self.scope))

    def count(self):
        return select(_entries.c.id).where(*self.where, self._by_orgs())

    def sorted(self):
        """The scope's entries read org by org, then sorted: a scope of few entries."""
        return self._ordered(self._by_orgs())

    def walked(self):
        """The register walked in the list's order (ix_discipline_entries_list_order), each entry's org checked on
        its key by a correlated EXISTS, stopping at the page: a scope of many entries."""
        return self._ordered(exists().where(self.scoped.c.id == _entries.c.org_id, *self.scope))

    def _ordered(self, in_scope):
        return (select(*_columns(self.day, _orgs)).join(_persons, _persons.c.id == _entries.c.person_id)
                .join(_orgs, _orgs.c.id == _entries.c.org_id).where(*self.where, in_scope)
                .order_by(_entries.c.opened_on, _entries.c.id))


def _listing(conn, actor, day: date, org_code: str | None, category: str | None, state: str | None) -> _Listing:
    """The entries made by the day in the reader's scope (and `org_code`'s subtree), of the category and in the
    state on the day when given."""
    where = [_entries.c.opened_on <= day]
    if category is not None:
        where.append(_entries.c.category == category)
    if state is not None:
        where.append(in_state_on(day, state))
    scoped = _orgs.alias("scoped")
    return _Listing(day, where, scoped, _scope(conn, actor, org_code, scoped.c.path))


def entries_page(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None, category: str | None = None, state: str | None = None, page: int = 1,
                 per_page: int) -> EntryPage:
    """One page of the entries as of the day, by opening day then number, with their total counted up to
    COUNT_CAP; a page past the last is the last. The pages stop at the cap, as the other lists' do: past it a
    reader narrows the filters, and `discipline entries` lists every entry.

    Past the cap the register is walked in the list's order and the walk stops at the page: it reads the page's
    entries and those before it (COUNT_CAP at most for the scope's, and the others' in between, by the index
    only); under it the matching entries are few, and are read org by org and sorted."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        listing = _listing(conn, load_actor(uow.session, actor_login), day, org_code, category, state)
        total = capped_count(uow.session, listing.count(), COUNT_CAP)
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        query = listing.walked() if total.capped else listing.sorted()
        rows = conn.execute(query.limit(per_page).offset((page - 1) * per_page))
        return EntryPage([_entry_row(r) for r in rows], total, page, pages)


def iter_entries(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None, category: str | None = None,
                 state: str | None = None) -> Iterator[dict]:
    """Every entry of the list, in its order, streamed a batch at a time (the command line's export). An org
    outside the scope is refused here, before the first row is asked for."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        _listing(uow.session.connection(), load_actor(uow.session, actor_login), day, org_code, category, state)
    return _streamed(db, actor_login, day, org_code, category, state)


def _streamed(db: Database, actor_login: str | None, day: date, org_code: str | None, category: str | None,
              state: str | None) -> Iterator[dict]:
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        listing = _listing(conn, load_actor(uow.session, actor_login), day, org_code, category, state)
        for r in conn.execute(listing.sorted().execution_options(yield_per=BATCH)):
            yield _entry_row(r)


def list_entries(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None, category: str | None = None, state: str | None = None) -> list[dict]:
    """Every entry of the list (iter_entries), as one list."""
    return list(iter_entries(db, actor_login=actor_login, today=today, as_of=as_of, org_code=org_code,
                             category=category, state=state))


def show_entry(db: Database, entry_id: int, *, actor_login: str | None, today: date,
               as_of: date | None = None) -> dict:
    """One entry as of the day: its form's fields, its history to that day, and the linked case."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        r = conn.execute(_entries_query(day).where(_entries.c.id == entry_id)).first()
        if r is None or not may_read(actor, r.path):
            raise unknown_entry(entry_id)
        full = conn.execute(select(_entries).where(_entries.c.id == entry_id)).first()
        data = _entry_row(r)
        for name in ("recontact_note", "disciplined", "sanction", "remarks", "documents_held", "whereabouts", "place",
                     "case_filed_by", "suspected_offence", "region", "version"):
            data[name] = getattr(full, name)
        data["case_filed_on"] = full.case_filed_on.isoformat() if full.case_filed_on else None
        data["amount_wan"] = str(full.amount_wan) if full.amount_wan is not None else None
        data["as_of"] = day.isoformat()
        data["history"] = [
            {"seq": e.seq, "on": e.effective_on.isoformat(), "trigger": e.trigger, "from_state": e.from_state,
             "to_state": e.to_state, "note": e.note, "actor": e.actor, "actor_name": e.user_name, "role": e.role}
            for e in conn.execute(select(_events, _users.c.name.label("user_name"))
                                  .outerjoin(_users, _users.c.login == _events.c.actor)
                                  .where(_events.c.entry_id == entry_id, _events.c.effective_on <= day)
                                  .order_by(_events.c.seq))]
        case_row = (conn.execute(select(_cases.c.id, _cases.c.state, _cases.c.opened_on)
                                 .where(_cases.c.id == full.case_id)).first() if full.case_id else None)
        data["case"] = ({"id": case_row.id, "state": case_row.state, "opened_on": case_row.opened_on.isoformat()}
                        if case_row else None)
        data["flight_risk"] = _risk_json(risks(conn, day, person_ids=[full.person_id]))
        return data


def _risk_json(person_risks) -> list[dict]:
    words = reasons_in_words(person_risks)
    return [{"reason": r.reason, "since": r.basis_on.isoformat(), "detail": r.detail, "words": w}
            for r, w in zip(person_risks, words)]


def flight_risks(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None) -> list[dict]:
    """外逃风险 as of the day in the reader's subtrees: each person with their reasons (PROGRAMMES.md §6)."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        scope = _scope(conn, actor, org_code, _orgs.c.path)
        found = risks(conn, day, scope=and_(*scope) if scope else None)
        by_person: dict[int, list] = {}
        for risk in found:
            by_person.setdefault(risk.person_id, []).append(risk)
        people = {r.id: r for r in conn.execute(
            select(_persons.c.id, _persons.c.name, _persons.c.id_number, _orgs.c.code, _orgs.c.name.label("org_name"))
            .join(_orgs, _orgs.c.id == _persons.c.org_id).where(_persons.c.id.in_(by_person)))}
        return [{"person_name": people[pid].name, "person_id_number_masked": mask_id(people[pid].id_number),
                 "org": people[pid].code, "org_name": people[pid].org_name, "reasons": _risk_json(person_risks)}
                for pid, person_risks in sorted(by_person.items(), key=lambda kv: people[kv[0]].org_name)]


def entries_of_case(conn, case_id: int) -> list[dict]:
    """The register entries linked to a lost-contact case: what the case shows of the other side."""
    return [{"id": e.id, "category": e.category, "state": e.state, "opened_on": e.opened_on.isoformat()}
            for e in conn.execute(select(_entries.c.id, _entries.c.category, _entries.c.state, _entries.c.opened_on)
                                  .where(_entries.c.case_id == case_id).order_by(_entries.c.id))]

