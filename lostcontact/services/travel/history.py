"""Persons and documents as of a day: the current row where nothing was recorded after the day, else the latest
history record on or before it (histories only grow forward in time, so the highest sequence is the latest
day; the current row is what the latest record left, written in the same transaction); and
应交尽交's set — what lies outside custody that day — which the custody-gaps view and the sweep's custody
alerts both read (one rule, written once)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select, union_all

from models import CustodyEvent, Org, Person, PersonEvent, TravelDocument
from statemachines.policy import TravelPolicy
from statemachines.travel import custody
from statemachines.travel.codes import ON_FILE, PRIVATE_KINDS

from ...sqlfuncs import in_ids

_person_events, _custody_events = PersonEvent.__table__, CustodyEvent.__table__
_persons, _orgs, _docs = Person.__table__, Org.__table__, TravelDocument.__table__


def persons_as_of(day: date, *, statuses: tuple[str, ...] | None = None, typed_only: bool = False, among=None):
    """One row per person recorded by `day`, as they stood that day (status, type, org, rank, the day of
    their latest record), limited to `statuses` and to persons with a registered-person type when asked (the
    limits are applied inside, before anything is joined). A person whose latest record is on or before the
    day (every person, for today) is their row itself — the row is the state its history left; only those
    with records after the day are read from the history: their latest record on or before it. `among`: a
    SELECT of person ids to limit them to, applied inside (an index-driven few of many)."""
    e = _person_events
    only = [] if among is None else [in_ids(_persons.c.id, among)]
    current = select(_persons.c.id.label("person_id"), _persons.c.registration_status.label("status"),
                     _persons.c.person_type, _persons.c.org_id, _persons.c.rank, _persons.c.last_event_on
                     ).where(_persons.c.last_event_on <= day, *only,
                             *_limits(_persons.c.registration_status, _persons.c.person_type, statuses, typed_only))
    changed_since = select(_persons.c.id).where(_persons.c.last_event_on > day, *only)
    latest = (select(e.c.person_id, func.max(e.c.seq).label("seq"))
              .where(e.c.effective_on <= day, e.c.person_id.in_(changed_since))
              .group_by(e.c.person_id).subquery("latest_person_event"))
    replayed = (select(e.c.person_id, e.c.to_status, e.c.person_type, e.c.org_id, e.c.rank, e.c.effective_on)
                .join(latest, and_(latest.c.person_id == e.c.person_id, latest.c.seq == e.c.seq))
                .where(*_limits(e.c.to_status, e.c.person_type, statuses, typed_only)))
    return union_all(current, replayed).subquery("person_as_of")


def _limits(status, person_type, statuses, typed_only) -> list:
    return ([status.in_(statuses)] if statuses else []) + ([person_type.is_not(None)] if typed_only else [])


def documents_as_of(day: date, *, states: tuple[str, ...] | None = None):
    """One row per document recorded by `day`: its custody state then, since when, and the trip and return day
    of a checkout — the document row itself when its latest record is on or before the day, else its latest
    history record on or before it."""
    e = _custody_events
    current = select(_docs.c.id.label("document_id"), _docs.c.last_seq.label("seq"), _docs.c.state,
                     _docs.c.return_due_on, _docs.c.trip_ref, _docs.c.last_event_on.label("state_since")
                     ).where(_docs.c.last_event_on <= day, *([_docs.c.state.in_(states)] if states else []))
    changed_since = select(_docs.c.id).where(_docs.c.last_event_on > day)
    latest = (select(e.c.document_id, func.max(e.c.seq).label("seq"))
              .where(e.c.effective_on <= day, e.c.document_id.in_(changed_since))
              .group_by(e.c.document_id).subquery("latest_custody_event"))
    replayed = (select(e.c.document_id, e.c.seq, e.c.to_state, e.c.return_due_on, e.c.trip_ref, e.c.effective_on)
                .join(latest, and_(latest.c.document_id == e.c.document_id, latest.c.seq == e.c.seq))
                .where(*([e.c.to_state.in_(states)] if states else [])))
    return union_all(current, replayed).subquery("document_as_of")


def registered_on(person_id_column, day: date):
    """The latest day on or before `day` the person was filed (备案) with the exit-entry administration."""
    e = _person_events
    return (select(func.max(e.c.effective_on))
            .where(e.c.person_id == person_id_column, e.c.action == "register", e.c.effective_on <= day)
            .scalar_subquery())


def outside_custody(day: date, on_file=None):
    """应交尽交's set on `day`, one statement: every valid private document of a person on file that day which is
    not in custody (held, or checked out), with what its due day is counted from. The caller adds its scope, or
    gives the persons on file that day it has already computed (`on_file`: person_id, org_id), as the checks do."""
    d = documents_as_of(day, states=custody.OUTSIDE_CUSTODY)
    # the persons on file, computed once: joined inline, SQLite multiplies the two unions into four branches and
    # walks every person's documents in each (measured: bench/travel.py)
    p = on_file if on_file is not None else \
        persons_as_of(day, statuses=ON_FILE).element.cte("on_file_as_of").prefix_with("MATERIALIZED")
    return (select(_docs.c.id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on, d.c.seq,
                   d.c.state, d.c.state_since, d.c.return_due_on, d.c.trip_ref, _persons.c.name,
                   _persons.c.id_number, p.c.org_id, _orgs.c.code, _orgs.c.parent_id, _orgs.c.path,
                   registered_on(_docs.c.person_id, day).label("registered_on"))
            .select_from(d.join(_docs, _docs.c.id == d.c.document_id)
                         .join(p, p.c.person_id == _docs.c.person_id)
                         .join(_persons, _persons.c.id == _docs.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
            .where(_docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day, _docs.c.expires_on >= day))


def due_on(row, day: date, policy: TravelPolicy) -> date | None:
    """The day a document outside custody was due back: a held one the policy's working days after
    registration or issue; a checked-out one on its return day."""
    if row.state == "held":
        return custody.hand_in_due_on(row.registered_on or day, row.issued_on, policy)
    return row.return_due_on
