"""Closing case alerts when their cause goes (DOMAIN.md §4): R5/R7/R8 when the step is left (any later
history record), R5 also when its due date changes, R9 when the case leaves the proposal stage (submit).
The closing date is the effective date of the record that removed the cause, on or before the as-of day."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from models import Alert, CaseEvent, Deadline

from .followups import R9_STATES

alerts = Alert.__table__


def _first_event_after(*extra):
    return (select(func.min(CaseEvent.effective_on))
            .where(CaseEvent.case_id == alerts.c.case_id, CaseEvent.seq > alerts.c.step_seq, *extra))


def close_case_alerts(session: Session, as_of: date) -> int:
    closed = 0
    open_ = and_(alerts.c.closed_on.is_(None), alerts.c.subject_kind == "case")
    # one rule per statement: with `rule IN (…)` SQLite walks every case alert ever raised by the unique
    # key instead of the partial index over the open ones
    for rule, extra in (("R5", ()), ("R7", ()), ("R8", ()), ("R9", (CaseEvent.to_state.not_in(R9_STATES),))):
        left_on = _first_event_after(*extra).scalar_subquery()
        closed += session.execute(
            update(alerts).where(open_, alerts.c.rule == rule, left_on <= as_of)
            .values(closed_on=left_on).execution_options(synchronize_session=False)).rowcount
    def newest(column):
        return (select(column).where(Deadline.case_id == alerts.c.case_id, Deadline.step_seq == alerts.c.step_seq,
                                     Deadline.effective_on <= as_of)
                .order_by(Deadline.id.desc()).limit(1).scalar_subquery())
    closed += session.execute(update(alerts).where(open_, alerts.c.rule == "R5",
                                                   newest(Deadline.due_on) != alerts.c.due_on)
                              .values(closed_on=newest(Deadline.effective_on))).rowcount
    return closed
