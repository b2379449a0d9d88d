"""R1 (more than six months without contact) and R4 (pocket members): open cases set-based.

The sweep's opening writes exactly what services.cases.record_opening writes for one case opened by hand
(the case in `lost_contact`, history record 1 `open`, the deadline of step 1), as three INSERT … SELECT
statements; tests/workflows/test_openings.py holds the two to the same rows.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, false, func, literal, null, select
from sqlalchemy.types import Boolean, Date, Integer, String

from models import Case, CaseEvent, Deadline, Member
from models.base import utcnow
from models.case_steps import refresh_steps
from statemachines.clocks import add_working_days, latest_since_crossing_on_or_before

from ..supersession import record_supersession
from .context import InsertSelectIgnoring, SweepContext, any_member_with
from .eligibility import last_contact_as_of, may_open_case

SYSTEM = "system"


def open_six_month_cases(ctx: SweepContext) -> int:
    """R1: every eligible member whose six-month crossing day is on or before the as-of day."""
    months = ctx.policy.months["lost_contact"]
    last_contact = last_contact_as_of(ctx.as_of)
    where = and_(scan_members(ctx, ctx.month_window(Member.last_contact_on, months)),
                 last_contact <= latest_since_crossing_on_or_before(ctx.as_of, months))
    return _open(ctx, "R1", where, last_contact, null())


def open_pocket_cases(ctx: SweepContext) -> int:
    """R4: a transfer letter issued more than `pocket_receipt` months ago whose receipt has not come back;
    at most one case per (member, transfer date)."""
    if not any_member_with(ctx.session, "transfer_out_date"):  # no transfer letter: no pocket member
        return 0
    months = ctx.policy.months["pocket_receipt"]
    already = exists().where(Case.member_id == Member.id, Case.pocket_transfer_date == Member.transfer_out_date)
    where = and_(ctx.members_to_scan(ctx.month_window(Member.transfer_out_date, months)),
                 Member.transfer_out_date <= latest_since_crossing_on_or_before(ctx.as_of, months),
                 Member.receipt_returned == false(), ~already)
    return _open(ctx, "R4", where, last_contact_as_of(ctx.as_of), Member.transfer_out_date)


def scan_members(ctx: SweepContext, window):
    """The window, the members changed since the previous sweep, and (replaying a past day) the members
    whose recorded last contact is later than that day."""
    return ctx.members_to_scan(window, Member.last_contact_on > ctx.as_of)


def _open(ctx: SweepContext, origin: str, where, lost_since, pocket_transfer_date) -> int:
    s, day, policy = ctx.session, ctx.as_of, ctx.policy
    due = add_working_days(day, policy.due_working_days["lost_contact"])
    before = s.scalar(select(func.coalesce(func.max(Case.id), 0)))
    d = lambda value: literal(value, Date)  # noqa: E731
    source = select(
        Member.id, Member.branch_id, literal("lost_contact", String), literal(origin, String), pocket_transfer_date,
        d(day), lost_since, literal(1, Integer), d(day), d(due.on), literal(due.provisional, Boolean),
        literal(policy.version, String), d(day), literal(1, Integer), literal(1, Integer),
    ).where(ctx.in_partition(Member.branch_id), where, may_open_case(day)).with_for_update(read=True, of=Member)
    # FOR SHARE OF members (PostgreSQL; SQLite has one writer): a member row a transfer has moved but not yet
    # committed is waited for and then read as moved, so the case opens at the member's new branch; and a
    # transfer that comes second finds this case open and is refused (services.transfers locks the row first).
    columns = ["member_id", "branch_id", "state", "origin", "pocket_transfer_date", "opened_on", "lost_since",
               "step_seq", "step_entered_on", "due_on", "due_provisional", "policy_version", "last_event_on",
               "last_seq", "version"]
    opened = s.execute(InsertSelectIgnoring(Case.__table__).from_select(columns, source)).rowcount
    if not opened:
        return 0
    new = and_(Case.id > before, Case.origin == origin, Case.opened_on == day)
    record_supersession(s, select(Case.member_id).where(new))
    now = literal(utcnow())
    s.execute(CaseEvent.__table__.insert().from_select(
        ["case_id", "seq", "trigger", "to_state", "actor", "role", "effective_on", "recorded_at"],
        select(Case.id, literal(1, Integer), literal("open", String), literal("lost_contact", String),
               literal(SYSTEM, String), literal(SYSTEM, String), d(day), now)
        .where(new, ~exists().where(CaseEvent.case_id == Case.id))))
    s.execute(Deadline.__table__.insert().from_select(
        ["case_id", "step_seq", "state", "entered_on", "due_on", "provisional", "policy_version", "effective_on",
         "recorded_at"],
        select(Case.id, literal(1, Integer), literal("lost_contact", String), d(day), d(due.on),
               literal(due.provisional, Boolean), literal(policy.version, String), d(day), now)
        .where(new, ~exists().where(Deadline.case_id == Case.id))))
    # this partition's new cases only: another partition's sweep may be opening (and deriving) its own
    refresh_steps(s.connection(), select(Case.id).where(new, ctx.in_partition(Case.branch_id)))
    return opened
