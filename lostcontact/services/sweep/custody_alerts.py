"""T1 and T2, the travel-documents programme's custody deadlines (PROGRAMMES.md §2), raised by the sweep with
the alerts' exactly-once keys like every rule:

- T1 证件逾期未交: a registered person's valid private document still held past its hand-in day (the policy's
  working days after registration or issue);
- T2 证件逾期未交回: a checked-out document not back by its return day (trip end + the policy's days).

`overdue` goes to the org that manages the person (its cadre supervisor); `escalated`, the policy's escalation
lag of working days later, to that org's parent. The key's step is the custody record that started the clock,
so a document received and later checked out again is a new clock. An alert closes on the day of the next
custody record of its document, or on the sweep's day once the person is no longer on file or the document has
expired. The set is services.travel.history.outside_custody — the same as `custody-gaps`."""
from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from models import Alert, CustodyEvent, Person, TravelDocument
from statemachines.clocks import add_working_days
from statemachines.policy import Policy
from statemachines.travel.codes import DOCUMENT_KINDS, ON_FILE

from ...masking import mask_document, mask_id
from ..travel.history import hand_in_due_days, outside_custody, overdue
from .alerting import NewAlert, raise_alerts

RULES = ("T1", "T2")
_alerts, _events = Alert.__table__, CustodyEvent.__table__
_docs, _persons = TravelDocument.__table__, Person.__table__


def custody_alerts(session: Session, as_of: date, policy: Policy, run_id: int | None) -> dict[str, int]:
    """Raise T1/T2 for every document outside custody past its due day on `as_of` (the query keeps only those);
    counts per rule."""
    lag = policy.escalation_lag_working_days
    gaps = outside_custody(as_of).subquery("outside_custody")
    rows = session.execute(select(gaps).where(overdue(gaps, as_of, policy.travel))).all()
    starts = {row.hand_in_from for row in rows if row.hand_in_from is not None}
    hand_in_due = dict(zip(starts, hand_in_due_days(starts, policy.travel)))
    counts: Counter = Counter()
    for rule in RULES:
        alerts = []
        for row in rows:
            if ("T1" if row.state == "held" else "T2") != rule:
                continue
            due = hand_in_due[row.hand_in_from] if row.state == "held" else row.return_due_on
            alerts.append(NewAlert("document", row.id, rule, "overdue", row.seq, due, row.org_id, _message(row, due)))
            if as_of > add_working_days(due, lag).on:
                alerts.append(NewAlert("document", row.id, rule, "escalated", row.seq, due,
                                       row.parent_id or row.org_id, "【升级督办】" + _message(row, due)))
        counts[rule] = raise_alerts(session, alerts, as_of=as_of, run_id=run_id)
    return dict(counts)


def _message(row, due: date) -> str:
    what = f"登记备案人员 {mask_id(row.id_number)} 的{DOCUMENT_KINDS[row.kind].label} {mask_document(row.number)}"
    if row.state == "held":
        return f"{what}应于 {due} 前交组织集中保管，逾期未交"
    return f"{what}于 {row.state_since} 领用（{row.trip_ref}），应于 {due} 前交回，逾期未交回"


def close_document_alerts(session: Session, document_id: int, closed_on: date) -> int:
    """A custody step ends its document's open T1/T2 (in the step's own unit of work: the list is right the
    moment it commits); the same rule as the sweep's first closing below, for one document."""
    return session.execute(update(_alerts).where(
        _alerts.c.closed_on.is_(None), _alerts.c.subject_kind == "document", _alerts.c.rule.in_(RULES),
        _alerts.c.subject_id == document_id).values(closed_on=closed_on)).rowcount


def close_custody_alerts(session: Session, as_of: date) -> int:
    """Close T1/T2 whose cause went (set-based): on the day of the document's next custody record, or on
    `as_of` once its person is no longer on file or it has expired."""
    open_ = (_alerts.c.closed_on.is_(None), _alerts.c.subject_kind == "document", _alerts.c.rule.in_(RULES))
    later = (_events.c.document_id == _alerts.c.subject_id, _events.c.seq > _alerts.c.step_seq,
             _events.c.effective_on <= as_of)
    closed = session.execute(
        update(_alerts).where(*open_, exists().where(*later))
        .values(closed_on=select(func.min(_events.c.effective_on)).where(*later).scalar_subquery())).rowcount
    gone = (select(_docs.c.id).join(_persons, _persons.c.id == _docs.c.person_id)
            .where((_persons.c.registration_status.not_in(ON_FILE)) | (_docs.c.expires_on < as_of)))
    closed += session.execute(update(_alerts).where(*open_, _alerts.c.subject_id.in_(gone))
                              .values(closed_on=as_of)).rowcount
    return closed
