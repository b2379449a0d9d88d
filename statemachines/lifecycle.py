"""The case lifecycle (DOMAIN.md §6): one shared state machine for every case.

`MACHINE` is built once with `model=None`; a case is fired with
`MACHINE.events[trigger].trigger(case, ctx=ctx)`. No case is ever bound to the machine (no
`add_model`, no Machine per case), so a million cases cost nothing but their own small objects.

Guards are plain conditions: each returns False after writing its reason into the context, and
`fire` turns "no transition succeeded" into `Refused` with that reason. Effects run as `before`
callbacks, i.e. only once every condition of the chosen transition has passed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from transitions import Machine, MachineError

from . import case_states
from .clocks import add_months, more_than_months
from .dispositions import DISPOSITIONS, REOPEN_ALLOWED, why_not_applicable
from .errors import Refused, Refusals, UsageError
from .guards import Meeting, SearchSummary, meeting_window_refusal, search_exhausted_refusal
from .policy import Policy

# the names and labels live in case_states (read commands import them without the machine); the same
# objects, so `lifecycle.STATES is case_states.STATES`
STATES, TRIGGERS = case_states.STATES, case_states.TRIGGERS
TERMINAL_OR_CLOSED, OPEN_STATES = case_states.TERMINAL_OR_CLOSED, case_states.OPEN_STATES

BRANCH, COMMITTEE, UPPER = "branch_officer", "committee_reviewer", "upper_reviewer"

# Which org answers for an open step (DOMAIN.md §4 "Alerts", §6.1).
STEP_OWNER = {
    "lost_contact": "branch", "searching": "branch", "verifying": "branch", "branch_proposal": "branch",
    "committee_prereview": "committee", "upper_prereview": "upper", "meeting_resolution": "branch",
    "final_approval": "committee", "upper_approval": "upper",
}

# Options each trigger takes (`--disposition`, `--cause`, `--meeting`, `--opinion`), and which are required.
TAKES = {t: {"opinion", "at"} for t in TRIGGERS}
TAKES["submit"] |= {"disposition"}
for _t in ("reach", "exhaust", "propose"):
    TAKES[_t] |= {"cause"}
TAKES["resolve"] |= {"meeting"}
TAKES["reject"] |= {"meeting"}
REQUIRES = {t: set() for t in TRIGGERS}
REQUIRES["submit"] = {"disposition"}
REQUIRES["resolve"] = REQUIRES["reject"] = {"meeting"}
# What a usage error calls each option in Chinese (the CLI's option names stay in the English text).
OPTION_LABELS = {"opinion": "意见", "cause": "失去联系情形", "disposition": "处置", "meeting": "支部党员大会表决情况",
                 "at": "办理日期"}
for _t in ("propose", "return", "void", "record_expulsion", "reopen", "withdraw_reopen"):
    REQUIRES[_t] = {"opinion"}


def roles_for(trigger: str, state: str) -> tuple[str, ...]:
    """The roles that may fire `trigger` from `state` (DOMAIN.md §6 table, role column)."""
    if trigger == "confirm_death":
        return (BRANCH, COMMITTEE)
    if trigger in ("record_expulsion", "void"):
        return (COMMITTEE,)
    if trigger in ("agree", "approve", "return"):
        return (UPPER,) if state in ("upper_prereview", "upper_approval") else (COMMITTEE,)
    return (BRANCH,)


@dataclass
class CaseState:
    """What the lifecycle needs to know about one case. Plain data: loaded, fired, saved."""
    state: str
    standing: str = "full"
    abroad: bool = False
    lost_since: date | None = None
    cause: int | None = None
    reached: bool | None = None
    disposition: str | None = None
    chain: str | None = None
    closed_on: date | None = None
    reopen_kind: str | None = None
    # the closed round a reopen may fall back to (withdraw_reopen): disposition, reached, chain, closed_on
    restore: tuple | None = None


@dataclass
class FireContext(Refusals):
    effective_on: date
    policy: Policy
    disposition: str | None = None
    cause: int | None = None
    opinion: str | None = None
    meeting: Meeting | None = None
    search: SearchSummary = field(default_factory=SearchSummary)  # read only by TRIGGERS_READING_SEARCH
    meeting_step_entered_on: date | None = None
    member_has_later_case: bool = False


Guard = Callable[[object], bool]

# The triggers whose guards read ctx.search: reach and exhaust, and submit (R6: removing an unreached member
# needs the search exhausted). A caller may skip loading the search log for any other trigger.
TRIGGERS_READING_SEARCH = frozenset({"reach", "exhaust", "submit"})


def _ctx(event) -> FireContext:
    return event.kwargs["ctx"]


# ---- guards -------------------------------------------------------------------------------------------

def _has_reached_entry(event) -> bool:
    ctx = _ctx(event)
    first = ctx.search.first_reached_on
    if first is None or first > ctx.effective_on:
        return ctx.refuse("查找记录中没有结果为“取得联系”的记录（须在此日期或之前）",
                          "the search log has no 'reached' entry dated on or before this action")
    return True


def _search_exhausted(event) -> bool:
    ctx = _ctx(event)
    if ctx.search.first_reached_on is not None:
        return ctx.refuse("查找记录中已有“取得联系”的记录，应办理“取得联系”",
                          "the search log has a 'reached' entry: fire reach instead")
    refusal = search_exhausted_refusal(ctx.search, ctx.policy.required_tiers)
    return True if refusal is None else ctx.refuse(*refusal)


def _cause_known(event) -> bool:
    ctx, case = _ctx(event), event.model
    if (ctx.cause or case.cause) is None:
        return ctx.refuse("提出处置意见前须先确定失去联系情形",
                          "the cause of the loss of contact must be known before propose", "--cause 1-7")
    return True


def _disposition_submittable(event) -> bool:
    ctx, case = _ctx(event), event.model
    d = ctx.disposition
    if not DISPOSITIONS[d].submittable:
        return ctx.refuse("开除党籍由纪检机关决定，只能以“记录开除党籍”登记，不能报送",
                          "expelled is the discipline organ's decision: record it with record_expulsion")
    if case.reopen_kind and d not in REOPEN_ALLOWED[case.reopen_kind]:
        allowed = ", ".join(REOPEN_ALLOWED[case.reopen_kind])
        labels = "、".join(DISPOSITIONS[a].label for a in REOPEN_ALLOWED[case.reopen_kind])
        return ctx.refuse(f"重新启动的案件只能提出：{labels}", f"a reopened case may only submit: {allowed}")
    reason = why_not_applicable(d, reached=bool(case.reached), standing=case.standing, abroad=case.abroad,
                                cause=case.cause)
    if reason:
        return ctx.refuse(*reason)
    if d == "removal_self_withdrawal":  # R6
        months = ctx.policy.months["lost_contact"]
        if case.lost_since is None or not more_than_months(case.lost_since, months, ctx.effective_on):
            return ctx.refuse(f"自行脱党除名须失去联系超过{months}个月",
                              f"R6: removal as self-withdrawal needs more than {months} months without contact")
        if not case.reached:
            refusal = search_exhausted_refusal(ctx.search, ctx.policy.required_tiers)
            if refusal:
                return ctx.refuse(*refusal)
    return True


def _meeting_in_window(event) -> bool:
    ctx = _ctx(event)
    refusal = meeting_window_refusal(ctx.meeting, ctx.meeting_step_entered_on, ctx.effective_on)
    return True if refusal is None else ctx.refuse(*refusal)


def _vote_passes(event) -> bool:
    ctx, m = _ctx(event), _ctx(event).meeting
    if ctx.policy.vote_passes(m.entitled, m.votes_for):
        return True
    return ctx.refuse(f"表决未通过（应到正式党员 {m.entitled} 人，赞成 {m.votes_for} 人，未超过半数），"
                      "应办理“党员大会未通过”",
                      f"the vote did not pass ({m.votes_for} for of {m.entitled} entitled): fire reject instead")


def _vote_fails(event) -> bool:
    ctx, m = _ctx(event), _ctx(event).meeting
    if not ctx.policy.vote_passes(m.entitled, m.votes_for):
        return True
    return ctx.refuse("表决已通过，应办理“党员大会通过”", "the vote passed: fire resolve instead")


def _chain_has_upper(event) -> bool:
    return event.model.chain == "upper"


def _full_member(event) -> bool:
    if event.model.standing == "full":
        return True
    return _ctx(event).refuse("预备党员不适用开除党籍，应取消预备党员资格",
                              "expulsion applies to full members; a probationary member's is annul_probationary (R9)")


def _suspended(event) -> bool:
    case = event.model
    if case.disposition and DISPOSITIONS[case.disposition].suspends:
        return True
    return _ctx(event).refuse("案件已办结且党员身份已终止或已恢复，不能再确认死亡",
                              "the case is closed with a disposition other than a suspension: confirm_death refused")


def _no_later_case(event) -> bool:
    if not _ctx(event).member_has_later_case:
        return True
    return _ctx(event).refuse("该党员已有更晚的案件，不能重新启动此案件",
                              "the member has a later case: this one cannot be reopened")


REOPENABLE = ("correct_within_deadline", "suspend_unreachable", "suspend_abroad_unreachable")


def _reopenable(event) -> bool:
    if event.model.disposition in REOPENABLE:
        return True
    return _ctx(event).refuse("只有限期改正或因无法取得联系停止党籍的案件才能重新启动",
                              "only a case closed with correct_within_deadline (R7) or a suspension for being "
                              "unreachable (R8) can be reopened")


def _correction_period_over(event) -> bool:
    ctx, case = _ctx(event), event.model
    if case.disposition != "correct_within_deadline":
        return False
    months = ctx.policy.months["correction_period"]
    if more_than_months(case.closed_on, months, ctx.effective_on):
        return True
    return ctx.refuse(f"限期改正期（{months}个月，至 {add_months(case.closed_on, months)}）届满后才能重新启动评估",
                      f"the correction period ({months} months) runs until {add_months(case.closed_on, months)}: "
                      "reopen after it")


def _suspension_window_open(event) -> bool:
    ctx, case = _ctx(event), event.model
    return (case.disposition in ("suspend_unreachable", "suspend_abroad_unreachable")
            and ctx.effective_on <= add_months(case.closed_on, ctx.policy.months["suspension_window"]))


def _suspension_window_over(event) -> bool:
    ctx, case = _ctx(event), event.model
    return (case.disposition in ("suspend_unreachable", "suspend_abroad_unreachable")
            and ctx.effective_on > add_months(case.closed_on, ctx.policy.months["suspension_window"]))


def _is_reopened(event) -> bool:
    if event.model.reopen_kind:
        return True
    return _ctx(event).refuse("只有重新启动的案件才能撤回", "only a reopened case can withdraw its reopening")


# ---- effects ------------------------------------------------------------------------------------------

def _take_cause(event) -> None:
    ctx = _ctx(event)
    if ctx.cause is not None:
        event.model.cause = ctx.cause


def _mark_reached(event) -> None:
    event.model.reached = True
    _take_cause(event)


def _mark_unreached(event) -> None:
    event.model.reached = False
    _take_cause(event)


def _take_disposition(event) -> None:
    ctx = _ctx(event)
    event.model.disposition = ctx.disposition
    event.model.chain = ctx.policy.chain_of(ctx.disposition)


def _close(event) -> None:
    event.model.closed_on = _ctx(event).effective_on
    event.model.reopen_kind = None
    event.model.restore = None


def _record_expulsion(event) -> None:
    case = event.model
    case.disposition, case.chain = "expelled", "recorded"
    case.reached = bool(case.reached)
    _close(event)


def _open_round(kind: str, reached: bool) -> Callable[[object], None]:
    def effect(event) -> None:
        case = event.model
        case.restore = (case.disposition, case.reached, case.chain, case.closed_on)
        case.reopen_kind, case.reached = kind, reached
    return effect


def _restore_round(event) -> None:
    case = event.model
    case.disposition, case.reached, case.chain, case.closed_on = case.restore
    case.reopen_kind, case.restore = None, None


# ---- the machine --------------------------------------------------------------------------------------

_REVIEW_SOURCES = ["committee_prereview", "upper_prereview", "final_approval", "upper_approval"]

TRANSITIONS = [
    dict(trigger="start_search", source="lost_contact", dest="searching"),
    dict(trigger="reach", source="searching", dest="verifying", conditions=[_has_reached_entry],
         before=[_mark_reached]),
    dict(trigger="exhaust", source="searching", dest="verifying", conditions=[_search_exhausted],
         before=[_mark_unreached]),
    dict(trigger="propose", source="verifying", dest="branch_proposal", conditions=[_cause_known],
         before=[_take_cause]),
    dict(trigger="submit", source="branch_proposal", dest="committee_prereview",
         conditions=[_disposition_submittable], before=[_take_disposition]),
    dict(trigger="agree", source="committee_prereview", dest="upper_prereview", conditions=[_chain_has_upper]),
    dict(trigger="agree", source="committee_prereview", dest="meeting_resolution", unless=[_chain_has_upper]),
    dict(trigger="agree", source="upper_prereview", dest="meeting_resolution"),
    dict(trigger="resolve", source="meeting_resolution", dest="final_approval",
         conditions=[_meeting_in_window, _vote_passes]),
    dict(trigger="reject", source="meeting_resolution", dest="branch_proposal",
         conditions=[_meeting_in_window, _vote_fails]),
    dict(trigger="approve", source="final_approval", dest="upper_approval", conditions=[_chain_has_upper]),
    dict(trigger="approve", source="final_approval", dest="closed", unless=[_chain_has_upper], before=[_close]),
    dict(trigger="approve", source="upper_approval", dest="closed", before=[_close]),
    dict(trigger="return", source=_REVIEW_SOURCES, dest="branch_proposal"),
    dict(trigger="confirm_death", source=list(OPEN_STATES), dest="deceased"),
    dict(trigger="confirm_death", source="closed", dest="deceased", conditions=[_suspended]),
    dict(trigger="record_expulsion", source=list(OPEN_STATES), dest="closed", conditions=[_full_member],
         before=[_record_expulsion]),
    dict(trigger="void", source=["lost_contact", "searching"], dest="voided"),
    dict(trigger="reopen", source="closed", dest="branch_proposal",
         conditions=[_reopenable, _no_later_case, _correction_period_over], before=[_open_round("correction_review", True)]),
    dict(trigger="reopen", source="closed", dest="verifying",
         conditions=[_reopenable, _no_later_case, _suspension_window_open], before=[_open_round("suspension_restore", True)]),
    dict(trigger="reopen", source="closed", dest="branch_proposal",
         conditions=[_reopenable, _no_later_case, _suspension_window_over], before=[_open_round("suspension_expired", False)]),
    dict(trigger="withdraw_reopen", source=["verifying", "branch_proposal"], dest="closed",
         conditions=[_is_reopened], before=[_restore_round]),
]

MACHINE = Machine(model=None, states=list(STATES), initial="lost_contact", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def check_options(trigger: str, given: set[str]) -> None:
    """A missing required option or one the trigger does not take is a usage error (exit 2)."""
    if trigger not in TRIGGERS:
        raise UsageError(f"未知操作 {trigger}", f"unknown trigger {trigger}")
    extra = given - TAKES[trigger]
    if extra:
        name = sorted(extra)[0]
        raise UsageError(f"“{TRIGGERS[trigger]}”不填写{OPTION_LABELS[name]}",
                         f"trigger {trigger} does not take --{name}")
    missing = REQUIRES[trigger] - given
    if missing:
        name = sorted(missing)[0]
        raise UsageError(f"“{TRIGGERS[trigger]}”须填写{OPTION_LABELS[name]}",
                         f"trigger {trigger} requires --{name}")


def fire(case: CaseState, trigger: str, ctx: FireContext) -> CaseState:
    """Fire `trigger` on `case` in place. Raises `Refused` (nothing changed) when it may not happen."""
    event = MACHINE.events.get(trigger)
    if event is None:
        raise UsageError(f"未知操作 {trigger}", f"unknown trigger {trigger}")
    before = case.state
    try:
        done = event.trigger(case, ctx=ctx)
    except MachineError:
        raise Refused(f"案件处于“{STATES[before]}”，不能办理“{TRIGGERS[trigger]}”",
                      f"a case in state {before} cannot {trigger}") from None
    if not done:
        raise Refused(*ctx.refusals[0]) if ctx.refusals else Refused(
            f"案件处于“{STATES[before]}”，不能办理“{TRIGGERS[trigger]}”", f"a case in state {before} cannot {trigger}")
    return case


def triggers_from(state: str) -> list[str]:
    return [t for t in TRIGGERS if state in MACHINE.events[t].transitions]
