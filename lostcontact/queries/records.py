"""The 失联党员查找处置全程纪实表 of one case (seed 004 附件4): its member block, search log and every
sign-off row of its chain, read from the append-only history (never typed in)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from models import Case, CaseEvent, Member, Org, SearchEntry
from models.db import Database
from statemachines.errors import BadInput, Refused
from statemachines.registers import lost_months

from ..masking import mask_id
from ..orgtree import branch_chain
from ..permissions import load_actor, may_see_full_id, may_see_org
from ..services.case_lookup import get_case
from ..services.dates import check_as_of
from ..uow import UnitOfWork
from .attachments import attachment_rows
from .people import person_labels
from .registers import SearchLine

# The sign-off rows of the form, in order, and which history records fill each.
ROWS = ("findings", "branch_proposal", "committee_prereview", "upper_prereview", "meeting", "final_approval",
        "upper_approval", "remarks")
_BY_FROM_STATE = {"committee_prereview": "committee_prereview", "upper_prereview": "upper_prereview",
                  "meeting_resolution": "meeting", "final_approval": "final_approval",
                  "upper_approval": "upper_approval"}


@dataclass(frozen=True)
class SignOff:
    """One history record as the form prints it: what was decided, on which day, by whom, under which org."""
    on: date
    trigger: str
    from_state: str | None
    to_state: str
    signer: str
    org_name: str | None
    opinion: str | None
    disposition: str | None
    meeting: dict | None


@dataclass
class CaseRecord:
    case_id: int
    name: str
    sex: str | None
    ethnicity: str | None
    birth_date: date | None
    join_date: date
    standing: str
    id_number: str
    phone: str | None
    branch_name: str
    committee_name: str | None
    upper_name: str | None
    opened_on: date
    origin: str
    lost_since: date
    search_ended: date | None
    lost_months: int
    cause: int | None
    state: str
    disposition: str | None
    chain: str | None
    search_log: list[SearchLine]
    rows: dict[str, list[SignOff]] = field(default_factory=dict)
    today: date | None = None
    as_of: date | None = None  # the record as it stood at the end of this day (the history up to it)
    attachments: list[dict] = field(default_factory=list)  # 附件清单 (current and replaced)


def chinese_dates(text: str) -> str:
    """“查找记录：2016-03-11 电话” → “查找记录：2016年3月11日 电话”: the form writes dates as on paper."""
    return re.sub(r"(\d{4})-(\d{2})-(\d{2})", lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)


def _row_of(event: CaseEvent) -> str:
    if event.trigger in ("reach", "exhaust", "propose"):
        return "findings"
    if event.trigger == "submit":
        return "branch_proposal"
    if event.trigger == "record_expulsion":
        return "final_approval"  # the committee records the discipline organ's decision
    if event.trigger in ("agree", "approve", "return", "resolve", "reject"):
        return _BY_FROM_STATE[event.from_state]
    return "remarks"  # open, start_search, confirm_death, void, reopen, withdraw_reopen


def case_record(db: Database, case_id: int, *, today: date, as_of: date | None = None,
                actor_login: str | None = None) -> CaseRecord:
    """The record as of `as_of` (today by default): the history recorded with an effective day up to it, and
    与党组织失去联系时间 up to the end of the search, or up to that day while the search goes on."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        case: Case = get_case(s, case_id)
        branch = s.get(Org, case.branch_id)
        if not may_see_org(actor, branch.path):
            raise Refused(f"案件 {case_id} 不在{actor.person()}的授权范围内",
                          f"case {case_id} is outside {actor.login}'s subtrees")
        member = s.get(Member, case.member_id)
        chain = branch_chain(s, case.branch_id)
        if case.opened_on > day:
            raise BadInput(f"案件 {case_id} 于 {case.opened_on} 立案，{day} 时尚无纪实记录",
                           f"case {case_id} was opened on {case.opened_on}: there is no record as of {day}")
        history = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()
        events = [e for e in history if e.effective_on <= day]
        org_names = dict(s.execute(select(Org.id, Org.name).where(
            Org.id.in_({e.grant_org_id for e in events if e.grant_org_id}))).all())
        entries = s.scalars(select(SearchEntry).where(SearchEntry.case_id == case.id, SearchEntry.effective_on <= day)
                            .order_by(SearchEntry.effective_on, SearchEntry.id)).all()
        names = person_labels(s, [e.actor for e in events] + [e.actor for e in entries], on_paper=True)
        state, disposition, route = case.state, case.disposition, case.chain
        if len(events) < len(history):  # later steps are not on this day's record
            state = events[-1].to_state if events else "lost_contact"
            disposition = next((e.disposition for e in reversed(events) if e.disposition), None)
            route = route if disposition == case.disposition else None
        search_ended = max((e.effective_on for e in events if e.trigger in ("reach", "exhaust")), default=None)
        record = CaseRecord(
            case_id=case.id, name=member.name, sex=member.sex, ethnicity=member.ethnicity,
            birth_date=member.birth_date, join_date=member.join_date, standing=member.standing,
            id_number=member.id_number if may_see_full_id(actor, branch.path) else mask_id(member.id_number),
            phone=member.phone, branch_name=branch.name,
            committee_name=chain.committee.name if chain.committee else None,
            upper_name=chain.upper.name if chain.upper else None, opened_on=case.opened_on, origin=case.origin,
            lost_since=case.lost_since, search_ended=search_ended,
            lost_months=lost_months(case.lost_since, search_ended, day), cause=case.cause, state=state,
            disposition=disposition, chain=route, today=today,
            as_of=day,
            search_log=[SearchLine(e.effective_on, e.channel, e.outcome, e.note, e.witness,
                                   names[e.actor]) for e in entries],
            rows={row: [] for row in ROWS},
            attachments=[{**a, "documents": chinese_dates(a["documents"])} for a in attachment_rows(s, case.id)
                         if a["at"] <= day.isoformat()])
        for event in events:
            record.rows[_row_of(event)].append(SignOff(
                on=event.effective_on, trigger=event.trigger, from_state=event.from_state, to_state=event.to_state,
                signer=names[event.actor], org_name=org_names.get(event.grant_org_id),
                opinion=event.opinion, disposition=event.disposition,
                meeting=json.loads(event.meeting) if event.meeting else None))
        return record
