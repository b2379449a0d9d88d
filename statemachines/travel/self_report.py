"""A person's self-report in a campaign (自查自报, PROGRAMMES.md §4; seed 002 附件1, seed 000 附件2-1/2-2): ONE
shared machine for every report, built with `model=None` and fired as `MACHINE.events[trigger].trigger(report,
ctx=ctx)`, like the custody machine.

    owed (待报) --submit--> submitted (已报送，待审核) --confirm--> confirmed (已审核确认)
                            submitted --return--> returned (退回修改) --submit--> submitted …

A submission lists the documents held now and those expired since the campaign's date, and every private trip
since its date — or is a zero report (零报告) with neither — and carries the signed pledge. Guards write their
reason into the context and say no; every rule reads `ctx.effective_on`, never the wall clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transitions import Machine

from .codes import DOCUMENT_KINDS
from ..errors import Refusals
from .firing import fire_on

# seed 002 附件1, word for word: what the person signs under the report
PLEDGE = "本人郑重承诺，对上述填报内容的真实性和完整性负责，并自愿接受组织监督和查核。"

STATES = {"owed": "待报", "submitted": "已报送（待审核）", "confirmed": "已审核确认", "returned": "退回修改"}
TRIGGERS = {"submit": "报送", "confirm": "审核确认", "return": "退回修改"}


@dataclass(frozen=True)
class DocumentLine:
    """本人持有因私出入境证件情况: one line of the form."""
    kind: str
    number: str
    expires_on: date
    issued_on: date | None = None
    name_on_document: str | None = None
    kept_at: str | None = None          # 保管机构
    remark: str | None = None
    self_corrected: bool = False        # a violation declared and corrected within the campaign
    correction: str | None = None


@dataclass(frozen=True)
class TripLine:
    """本人因私出国（境）情况: one line of the form."""
    departure_on: date
    return_on: date
    destinations: tuple[str, ...]
    reason: str
    approved: bool
    approving_authority: str | None = None
    remark: str | None = None
    self_corrected: bool = False
    correction: str | None = None


@dataclass(frozen=True)
class Window:
    """What the campaign asks for: trips since `trips_since`, documents valid now or expired since
    `documents_expired_since`; reports are taken from `opened_on`."""
    opened_on: date
    trips_since: date
    documents_expired_since: date


@dataclass
class ReportState:
    state: str = "owed"
    submission_seq: int = 0
    submitted_on: date | None = None
    confirmed_on: date | None = None
    returned_on: date | None = None


@dataclass
class ReportContext(Refusals):
    effective_on: date
    window: Window
    documents: tuple[DocumentLine, ...] = ()
    trips: tuple[TripLine, ...] = ()
    zero_report: bool = False
    pledge_signed: bool = False
    note: str | None = None


def _ctx(event) -> ReportContext:
    return event.kwargs["ctx"]


# ---- guards -------------------------------------------------------------------------------------------

def _campaign_open(event) -> bool:
    ctx = _ctx(event)
    if ctx.effective_on >= ctx.window.opened_on:
        return True
    return ctx.refuse(f"报送日期 {ctx.effective_on} 早于自查自报开始日期 {ctx.window.opened_on}",
                      f"{ctx.effective_on} is before the campaign opened ({ctx.window.opened_on})")


def _pledge_signed(event) -> bool:
    ctx = _ctx(event)
    if ctx.pledge_signed:
        return True
    return ctx.refuse(f"本人须在承诺栏签名：“{PLEDGE}”", "the person must sign the pledge", "--signed")


def _zero_or_lines(event) -> bool:
    ctx = _ctx(event)
    lines = len(ctx.documents) + len(ctx.trips)
    if ctx.zero_report and lines:
        return ctx.refuse("零报告不能填报证件或出国（境）情况", "a zero report lists no document and no trip")
    if not ctx.zero_report and not lines:
        return ctx.refuse("未填报任何证件或出国（境）情况，应作“零报告”",
                          "nothing is listed: a report with nothing is a zero report", "--zero")
    return True


def _documents_in_range(event) -> bool:
    ctx = _ctx(event)
    since = ctx.window.documents_expired_since
    for n, line in enumerate(ctx.documents, 1):
        label = f"证件第 {n} 行"
        if line.kind not in DOCUMENT_KINDS:
            return ctx.refuse(f"{label}：未知证件类别 {line.kind}", f"document line {n}: unknown kind {line.kind}")
        if line.issued_on is not None and not line.issued_on < line.expires_on:
            return ctx.refuse(f"{label}：有效期至 {line.expires_on} 不晚于签发日期 {line.issued_on}",
                              f"document line {n}: it expires ({line.expires_on}) before it was issued")
        if line.issued_on is not None and line.issued_on > ctx.effective_on:
            return ctx.refuse(f"{label}：签发日期 {line.issued_on} 晚于报送日期 {ctx.effective_on}",
                              f"document line {n}: issued after the report's day")
        if line.expires_on < since:
            return ctx.refuse(f"{label}：{line.expires_on} 失效，不在报告范围（现有效及 {since} 以后失效的证件）",
                              f"document line {n}: expired on {line.expires_on}, before {since}: not reported")
    return True


def _trips_in_range(event) -> bool:
    ctx = _ctx(event)
    since = ctx.window.trips_since
    for n, line in enumerate(ctx.trips, 1):
        label = f"出国（境）第 {n} 行"
        if line.return_on < line.departure_on:
            return ctx.refuse(f"{label}：回国（入境）日期 {line.return_on} 早于出发日期 {line.departure_on}",
                              f"trip line {n}: it returns before it departs")
        if line.return_on < since:
            return ctx.refuse(f"{label}：{line.return_on} 前已结束，不在报告范围（{since} 以来的出国（境）情况）",
                              f"trip line {n}: it ended before {since}: not reported")
        if line.departure_on > ctx.effective_on:
            return ctx.refuse(f"{label}：出发日期 {line.departure_on} 晚于报送日期，只报已有的出国（境）情况",
                              f"trip line {n}: departs after the report's day (only trips made are reported)")
        if not line.destinations or not line.reason.strip():
            return ctx.refuse(f"{label}：须填所到国家（地区）和事由", f"trip line {n}: destinations and reason needed")
    return True


def _reason_given(event) -> bool:
    ctx = _ctx(event)
    if ctx.note and ctx.note.strip():
        return True
    return ctx.refuse("退回须说明需要修改的内容", "a return says what to correct", "--note")


# ---- effects ------------------------------------------------------------------------------------------

def _take(event) -> None:
    report = event.model
    report.submission_seq += 1
    report.submitted_on = _ctx(event).effective_on


def _confirm(event) -> None:
    event.model.confirmed_on = _ctx(event).effective_on


def _send_back(event) -> None:
    event.model.returned_on = _ctx(event).effective_on


# ---- the machine --------------------------------------------------------------------------------------

TRANSITIONS = [
    dict(trigger="submit", source=["owed", "returned"], dest="submitted",
         conditions=[_campaign_open, _pledge_signed, _zero_or_lines, _documents_in_range, _trips_in_range],
         before=[_take]),
    dict(trigger="confirm", source="submitted", dest="confirmed", before=[_confirm]),
    dict(trigger="return", source="submitted", dest="returned", conditions=[_reason_given], before=[_send_back]),
]

MACHINE = Machine(model=None, states=list(STATES), initial="owed", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def fire(report: ReportState, trigger: str, ctx: ReportContext) -> ReportState:
    """Fire `trigger` on `report` in place. Raises `Refused` (nothing changed) when it may not happen."""
    fire_on(MACHINE, report, trigger, ctx, thing=("自查自报", "self-report"), states=STATES, triggers=TRIGGERS)
    return report


def triggers_from(state: str) -> list[str]:
    return [t for t in TRIGGERS if state in MACHINE.events[t].transitions]
