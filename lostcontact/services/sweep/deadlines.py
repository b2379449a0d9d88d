"""R5: the clock of every open step. A reminder from the `reminder_lead`-th working day before the due
date to the org answering for the step; overdue (as-of > due) to the next org in the chain; escalated
(as-of > the `escalation_lag`-th working day after due) to the one after — each once per step and level.

Also the recomputation of open due dates when a new policy version takes effect or the holiday data of a
provisional year arrives; each change is a new Deadline row carrying the policy version it came from.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import and_, case as sql_case, cast, func, literal, or_, select, true, update
from sqlalchemy.types import Boolean, Date, Integer, String

from models import Alert, AlertRecipient, Case, Deadline
from models.base import utcnow
from models.case_steps import refresh_steps
from statemachines.clocks import add_working_days, last_due_escalated, last_due_reminded, levels_due
from statemachines.lifecycle import OPEN_STATES, STATES, STEP_OWNER

from .alerting import NewAlert, raise_alerts
from .context import InsertSelectIgnoring, SweepContext
from .recipients import OWNERS, Recipients
from .steps import replayed_steps

_MESSAGES = {
    "reminder": "案件 {case}“{step}”环节将于 {due} 到期，请按时办理",
    "overdue": "案件 {case}“{step}”环节已于 {due} 到期，现已超期，请督促办理",
    "escalated": "案件 {case}“{step}”环节超期未办（期限 {due}），升级督办",
}


def _step_label():
    return sql_case(*((Case.state == state, literal(STATES[state], String)) for state in OPEN_STATES),
                    else_=Case.state)


def _recipient(level: str):
    recipients = AlertRecipient.__table__.c
    owner_states = {owner: [s for s in OPEN_STATES if STEP_OWNER[s] == owner] for owner in OWNERS}
    return sql_case(*((Case.state.in_(owner_states[owner]), recipients[f"{owner}_{level}"])
                      for owner in ("committee", "upper")), else_=recipients[f"branch_{level}"])


def _message(level: str):
    text = _MESSAGES[level]
    head = text[:text.index("{case}")]
    middle = text[text.index("{case}") + 6:text.index("{step}")]
    tail = text[text.index("{step}") + 6:text.index("{due}")]
    end = text[text.index("{due}") + 5:]
    return (literal(head, String) + cast(Case.id, String) + literal(middle, String) + _step_label()
            + literal(tail, String) + cast(Case.due_on, String) + literal(end, String))


def step_alerts(ctx: SweepContext) -> int:
    """Raised by one INSERT … SELECT per level over the cases whose due date crossed that level's boundary
    since the previous sweep (or changed since); replayed past days go through Python rows."""
    day, lead = ctx.as_of, ctx.policy.reminder_lead_working_days
    lag = ctx.policy.escalation_lag_working_days
    bounds = {"reminder": lambda d: last_due_reminded(d, lead), "overdue": lambda d: d - timedelta(days=1),
              "escalated": lambda d: last_due_escalated(d, lag)}
    s, raised, now = ctx.session, 0, utcnow()
    columns = ["subject_kind", "subject_id", "rule", "level", "step_seq", "due_on", "case_id", "org_id", "raised_on",
               "message", "sweep_run_id", "recorded_at"]
    for level, bound in bounds.items():
        # a level is newly due only where its own boundary was crossed since the previous sweep (or the
        # case changed): the other levels' windows hold nothing new for it
        scan = ctx.cases_to_scan(ctx.date_window(Case.due_on, bound))
        source = (select(literal("case", String), Case.id, literal("R5", String), literal(level, String),
                         Case.step_seq, Case.due_on, Case.id, _recipient(level), literal(day, Date), _message(level),
                         literal(ctx.run_id, Integer), literal(now))
                  .join(AlertRecipient, AlertRecipient.branch_id == Case.branch_id)
                  .where(scan, ctx.in_partition(Case.branch_id), Case.state.in_(OPEN_STATES),
                         Case.last_event_on <= day, Case.due_on <= bound(day)))
        raised += s.execute(InsertSelectIgnoring(Alert.__table__).from_select(columns, source)).rowcount
    replayed = [step for step in replayed_steps(ctx) if step.state in OPEN_STATES and step.due_on is not None]
    if replayed:
        recipients = Recipients(s, ctx.partition_path)
        raised += raise_alerts(s, (
            NewAlert("case", step.case_id, "R5", level, step.seq, step.due_on,
                     recipients.for_step(step.branch_id, step.state, level),
                     _MESSAGES[level].format(case=step.case_id, step=STATES[step.state], due=step.due_on),
                     case_id=step.case_id)
            for step in replayed for level in levels_due(step.due_on, day, lead, lag)), as_of=day, run_id=ctx.run_id)
    return raised


def recompute_due_dates(ctx: SweepContext) -> int:
    """Open steps counted under an older policy version, or over a year whose holiday data has arrived
    (or was loaded anew) since: recount from the day each step was entered. Returns how many due dates
    changed."""
    reasons = []
    if ctx.recompute_policy:
        reasons.append(Case.policy_version != ctx.policy.version)
    if ctx.recompute_provisional:
        reasons.append(Case.due_provisional == true())
    for year in ctx.recount_calendar_years:
        # a step counted through a year whose schedule was loaded (or corrected) since
        reasons.append(and_(Case.step_entered_on <= date(year, 12, 31), Case.due_on >= date(year, 1, 1)))
    if not reasons:
        return 0
    s, policy, now = ctx.session, ctx.policy, utcnow()
    table = Case.__table__
    affected = and_(ctx.in_partition(Case.branch_id), Case.state.in_(OPEN_STATES),
                    Case.last_event_on <= ctx.as_of, or_(*reasons))
    groups = s.execute(select(Case.state, Case.step_entered_on).where(affected).distinct()).all()
    seen = s.scalar(select(func.coalesce(func.max(Deadline.id), 0)))
    changed = 0
    for state, entered_on in groups:
        due = add_working_days(entered_on, policy.due_working_days[state])
        group = and_(affected, Case.state == state, Case.step_entered_on == entered_on)
        moved = and_(group, or_(Case.due_on != due.on, Case.due_provisional != due.provisional))
        s.execute(Deadline.__table__.insert().from_select(
            ["case_id", "step_seq", "state", "entered_on", "due_on", "provisional", "policy_version", "effective_on",
             "recorded_at"],
            select(Case.id, Case.step_seq, Case.state, Case.step_entered_on, literal(due.on, Date),
                   literal(due.provisional, Boolean), literal(policy.version, String),
                   literal(ctx.as_of, Date), literal(now)).where(moved)))
        changed += s.execute(update(table).where(moved).values(
            due_on=due.on, due_provisional=due.provisional, policy_version=policy.version,
            version=table.c.version + 1)).rowcount
        # the new version vouches for the due dates it leaves unchanged
        s.execute(update(table).where(group).values(policy_version=policy.version, version=table.c.version + 1))
    if changed:  # the new due dates hold from the sweep's day on
        mine = select(Case.id).where(ctx.in_partition(Case.branch_id))  # not another partition's
        refresh_steps(s.connection(), select(Deadline.case_id).where(Deadline.id > seen, Deadline.case_id.in_(mine))
                      .distinct())
    return changed


__all__ = ["step_alerts", "recompute_due_dates"]
