"""The step each case stood in on the as-of day.

For a case whose latest record is effective on or before that day (every case, in a daily sweep) that
is the case row itself, and the rules range-scan its indexed dates. A case with records effective later
(a past day replayed) is read from its history: the latest event effective on or before the day and the
newest deadline of that step then in force.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from models import Case, CaseEvent, Deadline

from .context import SweepContext


@dataclass(frozen=True)
class Step:
    case_id: int
    branch_id: int
    member_id: int
    seq: int
    state: str
    disposition: str | None
    reached: bool | None
    entered_on: date  # the effective date of the event that entered the step (a closing: the closing date)
    due_on: date | None


def current_steps(ctx: SweepContext, *where) -> list[Step]:
    rows = ctx.session.execute(
        select(Case.id, Case.branch_id, Case.member_id, Case.step_seq, Case.state, Case.disposition, Case.reached,
               Case.step_entered_on, Case.due_on, Case.closed_on)
        .where(ctx.in_partition(Case.branch_id), Case.last_event_on <= ctx.as_of, *where))
    return [Step(c, b, m, seq, state, disp, reached, closed if state == "closed" and closed else entered, due)
            for c, b, m, seq, state, disp, reached, entered, due, closed in rows]


def replayed_steps(ctx: SweepContext) -> list[Step]:
    """Cases opened on or before the as-of day with records effective after it, as they stood that day:
    read once per partition (R5, R7, R8 and R9 each take their part; none of the rules moves them)."""
    if ctx.replayed is None:
        ctx.replayed = _replayed_steps(ctx)
    return ctx.replayed


def _replayed_steps(ctx: SweepContext) -> list[Step]:
    day = ctx.as_of
    event = aliased(CaseEvent)
    last_seq = (select(func.max(CaseEvent.seq))
                .where(CaseEvent.case_id == Case.id, CaseEvent.effective_on <= day).scalar_subquery())
    due = (select(Deadline.due_on)
           .where(Deadline.case_id == Case.id, Deadline.step_seq == event.seq, Deadline.effective_on <= day)
           .order_by(Deadline.id.desc()).limit(1).scalar_subquery())
    rows = ctx.session.execute(
        select(Case.id, Case.branch_id, Case.member_id, event.seq, event.to_state, event.disposition, event.reached,
               event.effective_on, due)
        .join(event, and_(event.case_id == Case.id, event.seq == last_seq))
        .where(Case.id.in_(select(Case.id).where(Case.last_event_on > day)), ctx.in_partition(Case.branch_id),
               Case.opened_on <= day))
    return [Step(*row) for row in rows]
