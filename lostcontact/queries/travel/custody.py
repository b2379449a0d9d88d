"""Documents and custody as of a day (PROGRAMMES.md §2): the document list, and 应交尽交 — every valid private
document of a person on file that is not in custody on the day (held since issue or registration, or checked
out for a trip), with its due day. Numbers are always masked here."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Org, Person, TravelDocument
from models.db import Database
from statemachines.errors import UsageError
from statemachines.travel import custody
from statemachines.travel.codes import ON_FILE, PRIVATE_KINDS

from ...masking import mask_document, mask_id
from ...permissions import load_actor
from ...policies import policy_as_of
from ...services.dates import check_as_of
from ...services.travel.access import status_only
from ...uow import UnitOfWork
from .as_of import documents_as_of, org_filter, persons_as_of, registered_on

_persons, _orgs, _docs = Person.__table__, Org.__table__, TravelDocument.__table__


def _no_documents_for(actor) -> bool:
    return status_only(actor)  # the liaison reads registration status, no other personal data


def list_documents(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                   org_code: str | None = None, state: str | None = None) -> list[dict]:
    """Every document recorded by the day in the reader's subtrees, with its custody state that day."""
    if state is not None and state not in custody.STATES:
        raise UsageError(f"未知保管状态 {state}（{'|'.join(custody.STATES)}）",
                         f"unknown custody state {state} ({'|'.join(custody.STATES)})")
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        if _no_documents_for(actor):
            return []
        d, p = documents_as_of(day), persons_as_of(day)
        rows = conn.execute(
            select(_docs.c.id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on, d.c.state,
                   d.c.state_since, d.c.return_due_on, d.c.trip_ref, _persons.c.name, _persons.c.id_number,
                   _orgs.c.code)
            .select_from(d.join(_docs, _docs.c.id == d.c.document_id)
                         .join(p, p.c.person_id == _docs.c.person_id)
                         .join(_persons, _persons.c.id == _docs.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
            .where(*org_filter(conn, actor, org_code, _orgs.c.path), *([d.c.state == state] if state else []))
            .order_by(_orgs.c.path, _persons.c.name, _docs.c.kind, _docs.c.id)).all()
        return [{"id": r.id, "person_name": r.name, "person_id_number_masked": mask_id(r.id_number), "org": r.code,
                 "kind": r.kind, "number_masked": mask_document(r.number), "issued_on": r.issued_on.isoformat(),
                 "expires_on": r.expires_on.isoformat(), "valid": r.issued_on <= day <= r.expires_on
                 and r.state not in custody.GONE, "state": r.state, "state_since": r.state_since.isoformat(),
                 "trip_ref": r.trip_ref,
                 "return_due_on": r.return_due_on.isoformat() if r.return_due_on else None} for r in rows]


def custody_gaps(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None, overdue_only: bool = False) -> list[dict]:
    """应交尽交 as of the day, one set-based query: the valid private documents of persons on file that are
    outside custody. Each row says its due day (hand-in: the policy's working days after registration or
    issue; a checkout: its return day) and whether the day is past."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        if _no_documents_for(actor):
            return []
        policy = policy_as_of(uow.session, day).travel
        d, p = documents_as_of(day), persons_as_of(day)
        rows = conn.execute(
            select(_docs.c.id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on, d.c.state,
                   d.c.state_since, d.c.return_due_on, d.c.trip_ref, _persons.c.name, _persons.c.id_number,
                   _orgs.c.code, registered_on(_docs.c.person_id, day).label("registered_on"))
            .select_from(d.join(_docs, _docs.c.id == d.c.document_id)
                         .join(p, p.c.person_id == _docs.c.person_id)
                         .join(_persons, _persons.c.id == _docs.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
            .where(*org_filter(conn, actor, org_code, _orgs.c.path), p.c.status.in_(ON_FILE),
                   _docs.c.kind.in_(PRIVATE_KINDS), d.c.state.in_(custody.OUTSIDE_CUSTODY),
                   _docs.c.issued_on <= day, _docs.c.expires_on >= day)
            .order_by(_orgs.c.path, _persons.c.name, _docs.c.kind, _docs.c.id)).all()
    out = []
    for r in rows:  # the gaps only: a due day counted in working days is not SQL
        if r.state == "held":
            due = custody.hand_in_due_on(r.registered_on or day, r.issued_on, policy)
        else:
            due = r.return_due_on
        overdue = due is not None and day > due
        if overdue_only and not overdue:
            continue
        out.append({"id": r.id, "person_name": r.name, "person_id_number_masked": mask_id(r.id_number),
                    "org": r.code, "kind": r.kind, "number_masked": mask_document(r.number), "state": r.state,
                    "state_since": r.state_since.isoformat(), "trip_ref": r.trip_ref,
                    "registered_on": r.registered_on.isoformat() if r.registered_on else None,
                    "due_on": due.isoformat() if due else None, "overdue": overdue})
    return out
