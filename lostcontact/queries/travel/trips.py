"""Private trips as of a day (PROGRAMMES.md §3): the list (with how each actual trip differed from its approval)
and one trip with its history. A trip's state on a past day is its latest history record on or before it; what
a step recorded (the consultation, the approval, the exit, the entry) shows once the trip had reached it. ID and
document numbers are masked here but for the person's own cadre supervisor on a trip's page."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import and_, func, select, union_all

from models import Org, Person, TravelDocument, Trip, TripEvent
from models.db import Database
from statemachines.errors import UsageError
from statemachines.travel import trips

from ...masking import mask_document, mask_id
from ...permissions import load_actor
from ...services.dates import check_as_of
from ...services.travel.access import may_read, may_see_full_numbers, status_only
from ...services.travel.history import persons_as_of
from ...services.travel.trips import unknown_trip
from ...uow import UnitOfWork
from .as_of import org_filter

_trips, _events, _persons, _orgs, _docs = (Trip.__table__, TripEvent.__table__, Person.__table__, Org.__table__,
                                           TravelDocument.__table__)
EXITED = ("travelling", "returned", "closed")
ENTERED = ("returned", "closed")


def trips_as_of(day: date):
    """One row per trip applied for by `day`: its state then and since when — the trip row itself when its latest
    record is on or before the day, else its latest history record on or before it."""
    e = _events
    current = select(_trips.c.id.label("trip_id"), _trips.c.state, _trips.c.last_event_on.label("state_since")
                     ).where(_trips.c.last_event_on <= day)
    changed_since = select(_trips.c.id).where(_trips.c.last_event_on > day)
    latest = (select(e.c.trip_id, func.max(e.c.seq).label("seq"))
              .where(e.c.effective_on <= day, e.c.trip_id.in_(changed_since))
              .group_by(e.c.trip_id).subquery("latest_trip_event"))
    replayed = (select(e.c.trip_id, e.c.to_state, e.c.effective_on)
                .join(latest, and_(latest.c.trip_id == e.c.trip_id, latest.c.seq == e.c.seq)))
    return union_all(current, replayed).subquery("trip_as_of")


def _dated(value: date | None, shown: bool = True) -> str | None:
    return value.isoformat() if value is not None and shown else None


def _trip_fields(r, state: str, state_since: date, day: date) -> dict:
    """The JSON shape of one trip as of `day` (docs/travel-documents.md#json-shapes)."""
    exited, entered = state in EXITED, state in ENTERED
    consulted = r.consulted_on is not None and r.consulted_on <= day
    approved = r.approved_on is not None and r.approved_on <= day
    return {"id": r.id, "person_name": r.name, "person_id_number_masked": mask_id(r.id_number), "org": r.code,
            "document_id": r.document_id, "document_kind": r.kind, "document_number_masked": mask_document(r.number),
            "destinations": json.loads(r.destinations), "reason": r.reason,
            "planned_departure": r.planned_departure.isoformat(), "planned_return": r.planned_return.isoformat(),
            "state": state, "state_since": state_since.isoformat(), "strict_review": r.strict_review,
            "applied_on": r.applied_on.isoformat(), "consulted_on": _dated(r.consulted_on, consulted),
            "consultation_opinion": r.consultation_opinion if consulted else None,
            "approved_on": _dated(r.approved_on, approved), "approved_by": r.approved_by if approved else None,
            "actual_exit_on": _dated(r.actual_exit_on, exited), "actual_entry_on": _dated(r.actual_entry_on, entered),
            "actual_places": json.loads(r.actual_places) if entered and r.actual_places else None,
            "deviations": json.loads(r.deviations) if entered and r.deviations is not None else None}


def _columns():
    return (_trips.c.id, _trips.c.document_id, _trips.c.destinations, _trips.c.reason, _trips.c.planned_departure,
            _trips.c.planned_return, _trips.c.strict_review, _trips.c.applied_on, _trips.c.consulted_on,
            _trips.c.consultation_opinion, _trips.c.approved_on, _trips.c.approved_by, _trips.c.actual_exit_on,
            _trips.c.actual_entry_on, _trips.c.actual_places, _trips.c.deviations, _persons.c.name,
            _persons.c.id_number, _docs.c.kind, _docs.c.number, _orgs.c.code, _orgs.c.path)


def list_trips(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
               org_code: str | None = None, state: str | None = None, deviations_only: bool = False) -> list[dict]:
    """Every trip applied for by the day in the reader's subtrees, with its state that day; `deviations_only`:
    the returned ones whose actual trip differed from the approval."""
    if state is not None and state not in trips.STATES:
        raise UsageError(f"未知出行状态 {state}（{'|'.join(trips.STATES)}）",
                         f"unknown trip state {state} ({'|'.join(trips.STATES)})")
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        if status_only(actor):
            return []  # the liaison reads registration status, no other personal data
        t, p = trips_as_of(day), persons_as_of(day)
        limits = [t.c.state == state] if state else []
        if deviations_only:
            limits += [t.c.state.in_(ENTERED), _trips.c.deviations.is_not(None), _trips.c.deviations != "[]"]
        rows = conn.execute(
            select(*_columns(), t.c.state.label("state_then"), t.c.state_since)
            .select_from(t.join(_trips, _trips.c.id == t.c.trip_id).join(p, p.c.person_id == _trips.c.person_id)
                         .join(_persons, _persons.c.id == _trips.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id)
                         .join(_docs, _docs.c.id == _trips.c.document_id))
            .where(*org_filter(conn, actor, org_code, _orgs.c.path), *limits)
            .order_by(_trips.c.planned_departure, _orgs.c.path, _persons.c.name, _trips.c.id)).all()
        return [_trip_fields(r, r.state_then, r.state_since, day) for r in rows]


def show_trip(db: Database, trip_id: int, *, actor_login: str | None, today: date, as_of: date | None = None) -> dict:
    """One trip as of the day with its history to that day; the full ID and document numbers for the person's
    cadre supervisor only."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        row = conn.execute(select(*_columns(), _trips.c.version, _trips.c.decision_note)
                           .join(_persons, _persons.c.id == _trips.c.person_id)
                           .join(_orgs, _orgs.c.id == _persons.c.org_id)
                           .join(_docs, _docs.c.id == _trips.c.document_id).where(_trips.c.id == trip_id)).first()
        if row is None or not may_read(actor, row.path) or status_only(actor):
            raise unknown_trip(trip_id)
        history = conn.execute(select(_events).where(_events.c.trip_id == trip_id, _events.c.effective_on <= day)
                               .order_by(_events.c.seq)).all()
        if not history:
            raise unknown_trip(trip_id)  # not yet applied for on that day
        now = history[-1]
        out = _trip_fields(row, now.to_state, now.effective_on, day)
        out.update(as_of=day.isoformat(), version=row.version,
                   decision_note=row.decision_note if any(h.trigger in ("approve", "refuse") for h in history)
                   else None,
                   history=[{"seq": h.seq, "on": h.effective_on.isoformat(), "trigger": h.trigger,
                             "from_state": h.from_state, "to_state": h.to_state, "note": h.note,
                             "exit_on": _dated(h.exit_on), "entry_on": _dated(h.entry_on),
                             "places": json.loads(h.places) if h.places else None,
                             "changes": json.loads(h.changes) if h.changes else None, "actor": h.actor,
                             "role": h.role} for h in history])
        if may_see_full_numbers(actor, row.path):
            out["person_id_number"], out["document_number"] = row.id_number, row.number
        return out
