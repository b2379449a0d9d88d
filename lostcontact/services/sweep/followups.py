"""The follow-up clocks of closed and exhausted cases: R7 (end of a correction period), R8 (the 2-year
suspension window) and R9 (a probationary member who cannot be reached). Level `reminder`, to the branch."""
from __future__ import annotations

from sqlalchemy import exists, false, func, select

from models import Case, CaseEvent, Member
from statemachines.clocks import add_months, latest_since_crossing_on_or_before

from ..alert_closing import R9_STATES
from .alerting import NewAlert, raise_alerts
from .context import SweepContext
from .steps import current_steps, replayed_steps

SUSPENSIONS = ("suspend_unreachable", "suspend_abroad_unreachable")


def correction_period_alerts(ctx: SweepContext) -> int:
    """R7: the correction period (限期改正) is over: the branch must assess (normal management or 劝退)."""
    months = ctx.policy.months["correction_period"]
    return _closing_clock(ctx, "R7", ("correct_within_deadline",), months,
                          "案件 {case} 限期改正期限已于 {due} 届满，请党支部重新启动案件，进行考察并提出处置意见")


def suspension_window_alerts(ctx: SweepContext) -> int:
    """R8: two years since the suspension (停止党籍) without a written application: removal is due."""
    months = ctx.policy.months["suspension_window"]
    return _closing_clock(ctx, "R8", SUSPENSIONS, months,
                          "案件 {case} 停止党籍已满{months}个月（{due}）仍无法取得联系，应重新启动案件，按自行脱党予以除名")


def _closing_clock(ctx: SweepContext, rule: str, dispositions: tuple[str, ...], months: int, message: str) -> int:
    cutoff = latest_since_crossing_on_or_before(ctx.as_of, months)
    window = ctx.month_window(Case.closed_on, months)
    steps = current_steps(ctx, Case.state == "closed", Case.disposition.in_(dispositions),
                          Case.closed_on <= cutoff, ctx.cases_to_scan(window))
    steps += [s for s in replayed_steps(ctx)
              if s.state == "closed" and s.disposition in dispositions and s.entered_on <= cutoff]
    alerts = (NewAlert("case", step.case_id, rule, "reminder", step.seq, add_months(step.entered_on, months),
                       step.branch_id, message.format(case=step.case_id, due=add_months(step.entered_on, months),
                                                      months=months), case_id=step.case_id)
              for step in steps)
    return raise_alerts(ctx.session, alerts, as_of=ctx.as_of, run_id=ctx.run_id)


def probationary_unreachable_alerts(ctx: SweepContext) -> int:
    """R9: a probationary member's search is exhausted: only annul_probationary is open to them."""
    day = ctx.as_of
    # correlated, not `member_id IN (every probationary member)`: that list is a scan of the roster
    probationary = exists().where(Member.id == Case.member_id, Member.standing == "probationary")
    changed = ctx.changed_case_ids()
    where = [Case.state.in_(R9_STATES), Case.reached == false(), probationary]
    if changed is not None:
        where.append(Case.id.in_(changed))
    steps = current_steps(ctx, *where)
    steps += [s for s in replayed_steps(ctx) if s.state in R9_STATES and s.reached is False]
    if not steps:
        return 0
    probationary_ids = set(ctx.session.scalars(
        select(Member.id).where(Member.id.in_({s.member_id for s in steps}), Member.standing == "probationary")))
    exhausted = dict(ctx.session.execute(
        select(CaseEvent.case_id, func.max(CaseEvent.seq))
        .where(CaseEvent.case_id.in_({s.case_id for s in steps}), CaseEvent.trigger == "exhaust",
               CaseEvent.effective_on <= day).group_by(CaseEvent.case_id)).all())
    exhausted_on = dict(((c, q), on) for c, q, on in ctx.session.execute(
        select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.effective_on)
        .where(CaseEvent.case_id.in_(set(exhausted)), CaseEvent.trigger == "exhaust")).all())
    alerts = (NewAlert("case", step.case_id, "R9", "reminder", exhausted[step.case_id],
                       exhausted_on[(step.case_id, exhausted[step.case_id])], step.branch_id,
                       f"预备党员案件 {step.case_id} 经查找确实无法取得联系，只能作出“取消预备党员资格”处置"
                       f"，不适用除名", case_id=step.case_id)
              for step in steps if step.member_id in probationary_ids and step.case_id in exhausted)
    return raise_alerts(ctx.session, alerts, as_of=day, run_id=ctx.run_id)
