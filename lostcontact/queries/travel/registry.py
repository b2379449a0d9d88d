"""The registry as of a day (PROGRAMMES.md §1): persons and their registration status, one person's record
and history, and 应备尽备 — who should be registered and is not. Listings mask ID numbers always; one
person's page shows the full number to the custodian (their cadre supervisor) only."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from models import CustodyEvent, Org, Person, PersonEvent, TravelDocument
from models.db import Database
from statemachines.travel.codes import ON_FILE

from ...masking import mask_document, mask_id
from ...permissions import load_actor
from ...services.dates import check_as_of
from ...services.travel.access import may_see_full_numbers, person_in_scope, status_only
from ...uow import UnitOfWork
from ...services.travel.history import documents_as_of, persons_as_of
from .as_of import org_filter

_persons, _events, _orgs = Person.__table__, PersonEvent.__table__, Org.__table__
_docs, _custody = TravelDocument.__table__, CustodyEvent.__table__
# 应备尽备's gaps: a person with a type who is not on file, or whose change is still to be re-filed
GAP_STATUSES = ("unregistered", "revoked", "changed")


def _listing(conn, actor, org_code, day, **limits):
    p = persons_as_of(day, **limits)
    query = (select(_persons.c.id_number, _persons.c.name, _persons.c.work_unit, _persons.c.post,
                    _persons.c.authority, _persons.c.member_id, p.c.status, p.c.person_type, p.c.rank,
                    p.c.last_event_on, _orgs.c.code, _orgs.c.name.label("org_name"), _persons.c.id)
             .select_from(p.join(_persons, _persons.c.id == p.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
             .where(*org_filter(conn, actor, org_code, _orgs.c.path))
             .order_by(_orgs.c.path, _persons.c.name, _persons.c.id))
    return conn.execute(query).all()


def _row(r, limited: bool, with_ids: bool = False) -> dict:
    (id_number, name, work_unit, post, authority, member_id, status, person_type, rank, last_event_on, code,
     org_name, person_id) = r
    if with_ids:  # the web's links to a person's page (the CLI's JSON names persons by ID number only)
        return {"person_id": person_id, **_row(r, limited)}
    if limited:
        return {"id_number_masked": mask_id(id_number), "name": name, "org": code, "org_name": org_name,
                "registration_status": status, "last_event_on": last_event_on.isoformat()}
    return {"id_number_masked": mask_id(id_number), "name": name, "org": code, "org_name": org_name, "rank": rank,
            "person_type": person_type, "registration_status": status, "last_event_on": last_event_on.isoformat(),
            "work_unit": work_unit, "post": post, "authority": authority, "member_linked": member_id is not None}


def list_persons(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None, status: str | None = None, with_ids: bool = False) -> list[dict]:
    """Every person recorded by the day, in the reader's subtrees, with the registration status of that day."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        rows = _listing(uow.session.connection(), actor, org_code, day, statuses=(status,) if status else None)
        limited = status_only(actor)
        return [_row(r, limited, with_ids) for r in rows]


def registration_gaps(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                      org_code: str | None = None, with_ids: bool = False) -> list[dict]:
    """应备尽备 as of the day: every person whose registered-person type says they should be on file with the
    exit-entry administration and who is not (never filed, or revoked), or whose change is yet to be
    re-filed — one set-based query over the histories."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        rows = _listing(uow.session.connection(), actor, org_code, day, statuses=GAP_STATUSES, typed_only=True)
        limited = status_only(actor)
        return [_row(r, limited, with_ids) for r in rows]


def show_person(db: Database, id_number: str, *, actor_login: str | None, today: date,
                as_of: date | None = None) -> dict:
    """One person as of the day: the record, the registration status then, the history to that day and the
    documents recorded by then with their custody state."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        conn = s.connection()
        person, actor = person_in_scope(s, id_number, actor_login)
        full = may_see_full_numbers(actor, person.org_path)
        history = conn.execute(
            select(_events, _orgs.c.code).join(_orgs, _orgs.c.id == _events.c.org_id)
            .where(_events.c.person_id == person.id, _events.c.effective_on <= day).order_by(_events.c.seq)).all()
        if not history:
            from ...services.travel.access import unknown_person
            raise unknown_person(person.id_number)  # not yet recorded on that day
        now = history[-1]
        out = {"id_number_masked": mask_id(person.id_number), "name": person.name, "org": now.code,
               "registration_status": now.to_status, "last_event_on": now.effective_on.isoformat(),
               "as_of": day.isoformat(), "version": person.version}
        if status_only(actor):
            return out
        if full:
            out["id_number"] = person.id_number
        out.update({"org_name": person.org_name, "former_names": person.former_names, "sex": person.sex,
                    "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                    "political_status": person.political_status, "work_unit": person.work_unit,
                    "post": person.post, "rank": now.rank, "household_place": person.household_place,
                    "authority": person.authority, "person_type": now.person_type,
                    "member_linked": person.member_id is not None,
                    "should_register": now.person_type is not None,
                    "on_file": now.to_status in ON_FILE})
        out["history"] = [{"seq": h.seq, "on": h.effective_on.isoformat(), "action": h.action,
                           "from_status": h.from_status, "to_status": h.to_status, "org": h.code,
                           "person_type": h.person_type, "rank": h.rank,
                           "changes": json.loads(h.changes) if h.changes else None, "note": h.note,
                           "actor": h.actor, "role": h.role} for h in history]
        d = documents_as_of(day)
        docs = conn.execute(
            select(_docs.c.id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on, d.c.state,
                   d.c.state_since, d.c.return_due_on)
            .join(d, d.c.document_id == _docs.c.id).where(_docs.c.person_id == person.id)
            .order_by(_docs.c.kind, _docs.c.id)).all()
        out["documents"] = [document_row(r, full=full) for r in docs]
        return out


def document_row(r, *, full: bool = False) -> dict:
    row = {"id": r.id, "kind": r.kind, "number_masked": mask_document(r.number),
           "issued_on": r.issued_on.isoformat(), "expires_on": r.expires_on.isoformat(), "state": r.state,
           "state_since": r.state_since.isoformat(),
           "return_due_on": r.return_due_on.isoformat() if r.return_due_on else None}
    if full:
        row["number"] = r.number
    return row
