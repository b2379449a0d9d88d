"""Documents and custody as of a day (PROGRAMMES.md §2): the document list, and 应交尽交 — every valid private
document of a person on file that is not in custody on the day (held since issue or registration, or checked
out for a trip), with its due day. Numbers are always masked here."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, select, type_coerce

from models import Org, Person, TravelDocument
from models.db import Database
from statemachines.errors import UsageError
from statemachines.travel import custody

from ...masking import mask_document, mask_id
from ...permissions import load_actor
from ...policies import policy_as_of
from ...services.dates import check_as_of
from ...services.travel.access import status_only
from ...uow import UnitOfWork
from ...services.travel.check_sql import day_text, masked_document as masked_document_sql, masked_id as masked_id_sql
from ...services.travel.history import documents_as_of, hand_in_due_days, outside_custody, overdue, persons_as_of
from .as_of import org_filter

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
    issue; a checkout: its return day) and whether the day is past. The query hands back each row as it is
    shown (numbers masked, days as text, the overdue flag): what is left here is the hand-in due day of each
    distinct start, counted in working days once per day (services.travel.history.hand_in_due_days)."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        if _no_documents_for(actor):
            return []
        policy = policy_as_of(uow.session, day).travel
        gaps = outside_custody(day).subquery("outside_custody")
        late = overdue(gaps, day, policy)
        # every column as text or a number: nothing for the driver's result processors to convert per row
        rows = conn.execute(
            select(gaps.c.id, gaps.c.name, masked_id_sql(gaps.c.id_number), gaps.c.code, gaps.c.kind,
                   masked_document_sql(gaps.c.number), gaps.c.state, day_text(gaps.c.state_since), gaps.c.trip_ref,
                   day_text(gaps.c.registered_on), day_text(gaps.c.return_due_on), type_coerce(late, Integer),
                   day_text(gaps.c.hand_in_from))
            .where(*org_filter(conn, actor, org_code, gaps.c.path), *([late] if overdue_only else []))
            .order_by(gaps.c.path, gaps.c.name, gaps.c.kind, gaps.c.id)).all()
    starts = {r[-1] for r in rows if r[-1] is not None}
    hand_in_due = {start: due.isoformat() for start, due in
                   zip(starts, hand_in_due_days(map(date.fromisoformat, starts), policy))}
    return [dict(zip(_GAP_KEYS, r[:10]), due_on=hand_in_due.get(r[-1]) if r[6] == "held" else r[10],
                 overdue=bool(r[11])) for r in rows]


_GAP_KEYS = ("id", "person_name", "person_id_number_masked", "org", "kind", "number_masked", "state", "state_since",
             "trip_ref", "registered_on")


def show_document(db: Database, document_id: int, *, actor_login: str | None, today: date,
                  as_of: date | None = None) -> dict:
    """One document as of the day: whose, its custody state then and its history to that day. The full number
    for the custodian (the person's cadre supervisor) only."""
    from ...services.travel.access import may_read, may_see_full_numbers
    from ...services.travel.documents import unknown_document
    from models import CustodyEvent

    events = CustodyEvent.__table__
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        row = conn.execute(select(_docs, _persons.c.name.label("person_name"), _persons.c.id_number,
                                  _orgs.c.code.label("org"), _orgs.c.path)
                           .join(_persons, _persons.c.id == _docs.c.person_id)
                           .join(_orgs, _orgs.c.id == _persons.c.org_id).where(_docs.c.id == document_id)).first()
        if row is None or not may_read(actor, row.path) or _no_documents_for(actor):
            raise unknown_document(document_id)
        history = conn.execute(select(events).where(events.c.document_id == document_id,
                                                    events.c.effective_on <= day).order_by(events.c.seq)).all()
        if not history:
            raise unknown_document(document_id)  # not yet recorded on that day
        now = history[-1]
        out = {"id": row.id, "person_name": row.person_name, "person_id_number_masked": mask_id(row.id_number),
               "org": row.org, "kind": row.kind, "number_masked": mask_document(row.number),
               "name_on_document": row.name_on_document, "issued_on": row.issued_on.isoformat(),
               "expires_on": row.expires_on.isoformat(), "issuing_authority": row.issuing_authority,
               "state": now.to_state, "state_since": now.effective_on.isoformat(),
               "valid": row.issued_on <= day <= row.expires_on and now.to_state not in custody.GONE,
               "kept_at": row.kept_at, "trip_ref": now.trip_ref,
               "return_due_on": now.return_due_on.isoformat() if now.return_due_on else None,
               "as_of": day.isoformat(), "version": row.version,
               "history": [{"seq": h.seq, "on": h.effective_on.isoformat(), "trigger": h.trigger,
                            "from_state": h.from_state, "to_state": h.to_state, "trip_ref": h.trip_ref,
                            "departure_on": h.departure_on.isoformat() if h.departure_on else None,
                            "trip_ends_on": h.trip_ends_on.isoformat() if h.trip_ends_on else None,
                            "return_due_on": h.return_due_on.isoformat() if h.return_due_on else None,
                            "late": h.late, "note": h.note, "actor": h.actor, "role": h.role} for h in history]}
        if may_see_full_numbers(actor, row.path):
            out["number"] = row.number
        return out
