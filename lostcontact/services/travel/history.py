"""Persons and documents as of a day: the current row where nothing was recorded after the day, else the latest
history record on or before it (histories only grow forward in time, so the highest sequence is the latest
day; the current row is what the latest record left, written in the same transaction); and
应交尽交's set — what lies outside custody that day — which the custody-gaps view and the sweep's custody
alerts both read (one rule, written once)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select, union_all

from models import CustodyEvent, Org, Person, PersonEvent, TravelDocument
from statemachines.policy import TravelPolicy
from statemachines.travel import custody
from statemachines.travel.codes import ON_FILE, PRIVATE_KINDS

from ...sqlfuncs import in_ids, latest_date

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
    current = select(_docs.c.id.label("document_id"), _docs.c.last_seq.label("seq"), _docs.c.state,
                     _docs.c.return_due_on, _docs.c.trip_ref, _docs.c.last_event_on.label("state_since")
                     ).where(*_current_documents(day, states))
    return union_all(current, _replayed_documents(day, states)).subquery("document_as_of")


def _current_documents(day: date, states) -> list:
    return [_docs.c.last_event_on <= day, *([_docs.c.state.in_(states)] if states else [])]


def _replayed_documents(day: date, states):
    """The documents with custody records after `day`: their latest record on or before it."""
    e = _custody_events
    changed_since = select(_docs.c.id).where(_docs.c.last_event_on > day)
    latest = (select(e.c.document_id, func.max(e.c.seq).label("seq"))
              .where(e.c.effective_on <= day, e.c.document_id.in_(changed_since))
              .group_by(e.c.document_id).subquery("latest_custody_event"))
    return (select(e.c.document_id, e.c.seq, e.c.to_state, e.c.return_due_on, e.c.trip_ref, e.c.effective_on)
            .join(latest, and_(latest.c.document_id == e.c.document_id, latest.c.seq == e.c.seq))
            .where(*([e.c.to_state.in_(states)] if states else [])))


def registered_on(person_id_column, day: date):
    """The latest day on or before `day` the person was filed (备案) with the exit-entry administration."""
    e = _person_events
    return (select(func.max(e.c.effective_on))
            .where(e.c.person_id == person_id_column, e.c.action == "register", e.c.effective_on <= day)
            .scalar_subquery())


def person_then(person, day: date, column: str):
    """A person's `column` (to_status, org_id, rank, person_type) on `day`, read beside their row: the row's own
    value when nothing was recorded after the day, else their latest history record on or before it — one index
    seek, for those persons only (NULL: not recorded by the day). A view driven from something else (documents)
    reads the persons it meets this way instead of computing every person as of the day first."""
    e = _person_events
    current = person.c.registration_status if column == "to_status" else person.c[column]
    recorded = (select(e.c[column]).where(e.c.person_id == person.c.id, e.c.effective_on <= day)
                .order_by(e.c.effective_on.desc(), e.c.seq.desc()).limit(1).scalar_subquery())
    return case((person.c.last_event_on > day, recorded), else_=current)


def outside_custody(day: date, on_file=None):
    """应交尽交's set on `day`, one statement: every valid private document of a person on file that day which is
    not in custody (held, or checked out), with what its due day is counted from (`hand_in_from`: the later of
    the filing day and the issue day, for a held one). Two branches, each driven from the documents (their own
    rows for those with nothing recorded after the day, the custody history for the others) and reading each
    person they meet as of the day beside it (`person_then`), never every person first. The caller adds its
    scope, or gives the persons on file that day it has already computed (`on_file`: person_id, org_id), as the
    checks do."""
    states = custody.OUTSIDE_CUSTODY
    replayed = _replayed_documents(day, states).subquery("replayed_document")
    return union_all(
        _outside_custody(day, _docs, on_file, _docs.c.last_seq, _docs.c.state, _docs.c.last_event_on,
                         _docs.c.return_due_on, _docs.c.trip_ref, where=_current_documents(day, states)),
        _outside_custody(day, replayed.join(_docs, _docs.c.id == replayed.c.document_id), on_file, replayed.c.seq,
                         replayed.c.to_state, replayed.c.effective_on, replayed.c.return_due_on, replayed.c.trip_ref))


def _outside_custody(day, documents, on_file, seq, state, state_since, return_due_on, trip_ref, where=()):
    filed_on = registered_on(_docs.c.person_id, day)
    documents = documents.join(_persons, _persons.c.id == _docs.c.person_id)
    if on_file is not None:
        org_id, on_file_then = on_file.c.org_id, []
        documents = documents.join(on_file, on_file.c.person_id == _docs.c.person_id)
    else:
        org_id = person_then(_persons, day, "org_id")
        on_file_then = [person_then(_persons, day, "to_status").in_(ON_FILE)]
    return (select(_docs.c.id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on,
                   seq.label("seq"), state.label("state"), state_since.label("state_since"),
                   return_due_on.label("return_due_on"), trip_ref.label("trip_ref"), _persons.c.name,
                   _persons.c.id_number, _orgs.c.id.label("org_id"), _orgs.c.code, _orgs.c.parent_id, _orgs.c.path,
                   filed_on.label("registered_on"),
                   case((state == "held", latest_date(func.coalesce(filed_on, day), _docs.c.issued_on)),
                        else_=None).label("hand_in_from"))
            .select_from(documents.join(_orgs, _orgs.c.id == org_id))
            .where(_docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day, _docs.c.expires_on >= day, *where,
                   *on_file_then))


def overdue(gaps, day: date, policy: TravelPolicy):
    """Whether a row of `outside_custody` is past its due day on `day`, in SQL: a held document whose hand-in
    start is on or before the latest start already overdue (custody.latest_start_overdue: one bound, not a
    working-day count per row), a checked-out one past its return day."""
    return case((gaps.c.state == "held", gaps.c.hand_in_from <= custody.latest_start_overdue(day, policy)),
                else_=func.coalesce(gaps.c.return_due_on < day, False))


def hand_in_due_days(starts, policy: TravelPolicy) -> list[date]:
    """The hand-in due day of each start (`hand_in_from`, in order) — the callers pass each distinct start once, so
    the working days are counted once per day, not per document: the statutory calendar is Python's
    (chinesecalendar and the loaded years, statemachines.clocks)."""
    return [custody.hand_in_due_on(start, start, policy) for start in starts]
