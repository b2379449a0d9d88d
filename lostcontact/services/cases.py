"""Opening, searching and firing cases (DOMAIN.md §5, §6): each call is one unit of work whose
transition, history record and deadline commit together or not at all."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, Member
from models.base import utcnow
from models.db import Database
from statemachines import lifecycle
from statemachines.clocks import add_working_days, more_than_months
from statemachines.codes import CAUSES, CHANNEL_TIER, CHANNELS, OUTCOMES
from statemachines.dispositions import DISPOSITIONS
from statemachines.errors import Conflict, Refused, UsageError
from statemachines.guards import Meeting, SearchSummary
from statemachines.lifecycle import OPEN_STATES, CaseState, FireContext
from statemachines.membership import awaits_correction_review, membership_status
from statemachines.policy import Policy
from statemachines.texts import check_text_length

from ..permissions import Actor, GrantRef, case_out_of_scope, grant_for, load_actor_and_chain, may_see_org
from ..policies import policy_as_of, policy_from
from ..prepared import connection_of
from ..uow import UnitOfWork
from .case_lookup import unknown_case
from .alert_closing import close_case_alerts, close_member_alerts
from .case_step_spans import steps_moved_on, steps_opened
from .case_statements import (CASE_AND_BRANCH_PATH, CASE_FOR_FIRE, INSERT_CASE_ROW, INSERT_DEADLINE_ROW, INSERT_EVENT_ROW,
                              INSERT_SEARCH_ENTRY_ROW, MOVE_LAST_EVENT_IF_UNCHANGED, NO_CASE_VALUES, SEARCH_SUMMARY,
                              TRANSITION_COLUMNS, update_case_if_unchanged)
from .dates import effective_on
from .members import bump_last_contact, last_contact_as_of, latest_case, member_in_scope
from .supersession import record_supersession

CASE_WORKERS = ("branch_officer", "committee_reviewer")
STATUS_LABELS = {"suspended": "已停止党籍", "ended": "已不再是党员", "deceased": "已确认死亡", "active": "为正常党员"}


@dataclass(frozen=True)
class FireResult:
    case_id: int
    trigger: str
    from_state: str
    to_state: str
    due_on: date | None
    version: int


def check_cause(cause: int | None) -> None:
    if cause is not None and cause not in CAUSES:
        raise UsageError(f"未知失联情形代码 {cause}（1-7）", f"unknown cause code {cause} (1-7)")


# get_case and the unknown-case error live in case_lookup (read commands use them without the machine)
_unknown_case = unknown_case


def start_clock(case: Case | SimpleNamespace, *, seq: int, state: str, entered_on: date, policy: Policy,
                policy_version: str) -> dict | None:
    """Set the step fields of `case` for the step `state` entered by history record `seq`, and return the
    deadline row to record (None for closed states, which have no clock)."""
    case.step_seq, case.step_entered_on, case.policy_version = seq, entered_on, policy_version
    if state not in OPEN_STATES:
        case.due_on, case.due_provisional = None, False
        return None
    due = add_working_days(entered_on, policy.due_working_days[state])  # cached per calendar (clocks)
    case.due_on, case.due_provisional = due.on, due.provisional
    return dict(case_id=case.id, step_seq=seq, state=state, entered_on=entered_on, due_on=due.on,
                provisional=due.provisional, policy_version=policy_version, effective_on=entered_on)


def record_opening(session: Session, *, member, opened_on: date, lost_since: date, origin: str,
                   actor: str, role: str, grant_org_id: int | None, cause: int | None = None,
                   pocket_transfer_date: date | None = None, policy: Policy | None = None) -> SimpleNamespace:
    """Insert a case in `lost_contact` with its first history record and deadline (no commit); returns the
    case's columns as written. `member`: anything with `id` and `branch_id`. `policy` is the one in force on
    `opened_on` when the caller already has it."""
    policy = policy or policy_as_of(session, opened_on)
    case = SimpleNamespace(id=None, **NO_CASE_VALUES)
    case.__dict__.update(member_id=member.id, branch_id=member.branch_id, state="lost_contact", origin=origin,
                         pocket_transfer_date=pocket_transfer_date, opened_on=opened_on, lost_since=lost_since,
                         cause=cause, last_event_on=opened_on, last_seq=1, version=1)
    deadline = start_clock(case, seq=1, state="lost_contact", entered_on=opened_on, policy=policy,
                           policy_version=policy.version)
    conn = connection_of(session)
    case.id = INSERT_CASE_ROW.run(conn, case.__dict__).scalar()
    record_supersession(session, member.id)
    INSERT_EVENT_ROW.run(conn, dict(case_id=case.id, seq=1, trigger="open", from_state=None, to_state="lost_contact",
                                     actor=actor, role=role, grant_org_id=grant_org_id, opinion=None,
                                     effective_on=opened_on, recorded_at=utcnow(), disposition=None, reached=None,
                                     cause=cause, meeting=None))
    INSERT_DEADLINE_ROW.run(conn, {**deadline, "case_id": case.id, "recorded_at": utcnow()})
    steps_opened(conn, case_id=case.id, branch_id=case.branch_id, day=opened_on, state="lost_contact",
                 due_on=case.due_on)
    return case


def open_grounds(session: Session, member: Member, day: date, policy: Policy) -> tuple[str, date, date | None]:
    """Why a case may be opened for `member` on `day`: (origin, lost_since, pocket transfer date).
    R1 (more than six months without contact) or R4 (a pocket member); else Refused."""
    last = last_contact_as_of(session, member, day)
    if more_than_months(last, policy.months["lost_contact"], day):
        return "R1", last, None
    if (member.transfer_out_date and not member.receipt_returned
            and more_than_months(member.transfer_out_date, policy.months["pocket_receipt"], day)):
        return "R4", last, member.transfer_out_date
    raise Refused(f"不符合立案条件：最近一次联系为 {last}，未超过{policy.months['lost_contact']}个月，也不是“口袋”党员",
                  f"no grounds to open: last contact {last} is not more than {policy.months['lost_contact']} "
                  f"months before {day}, and the member is not a pocket member (R1/R4)")


_JUST_OPENED = Conflict("该党员的案件刚被他人或自动督办建立", "a case for this member was just opened by someone else")


def open_case(db: Database, id_number: str, *, actor_login: str, today: date, cause: int | None = None,
              at: date | None = None) -> int:
    """Open a case by hand, only when R1 or R4 holds (DOMAIN.md §6)."""
    check_cause(cause)
    # the loser of two openings of one member meets the winner's open case in a unique index (at its INSERT)
    with UnitOfWork(db, duplicate=_JUST_OPENED) as uow:
        s = uow.connection  # every statement below is Core or prepared: no ORM session
        # locked: a transfer racing this opening either waits and then sees the case, or moves the member
        # first and this opening reads the new branch (services.transfers)
        member, actor, chain = member_in_scope(s, id_number, actor_login, lock=True)  # outside my subtrees: unknown
        grant = grant_for(actor, CASE_WORKERS, chain, "case open")
        day = effective_on(at, today)
        current = latest_case(s, member.id)
        status = membership_status(current.state, current.disposition) if current else "active"  # DOMAIN §6.3
        if status != "active":
            raise Refused(f"该党员{STATUS_LABELS[status]}，不能立案", f"the member is {status}: no case can be opened")
        if current is not None and current.state in OPEN_STATES:
            raise Refused(f"该党员已有未办结案件 {current.id}", f"the member already has an open case ({current.id})")
        if current is not None and awaits_correction_review(current.state, current.disposition):
            raise Refused(f"该党员处于限期改正期（案件 {current.id}），应在期满后重新启动该案件评估",
                          f"the member is under correct_within_deadline (case {current.id}): reopen that case "
                          "for the R7 assessment instead")
        if current is not None and current.opened_on > day:
            raise Refused(f"该党员已有 {current.opened_on} 立案的案件，不能补录更早的案件",
                          f"the member has a case opened on {current.opened_on}, after {day}")
        policy = policy_as_of(s, day)
        origin, lost_since, pocket = open_grounds(s, member, day, policy)
        case = record_opening(s, member=member, opened_on=day, lost_since=lost_since, origin=origin,
                              actor=actor_login, role=grant.role, grant_org_id=grant.org_id, cause=cause,
                              pocket_transfer_date=pocket, policy=policy)
        close_member_alerts(s, today, policy, member_id=member.id, closed_on=day)  # R2 ends with a case
        uow.commit()
        return case.id


def log_search(db: Database, case_id: int, *, channel: str, outcome: str, actor_login: str, today: date,
               at: date | None = None, note: str | None = None, witness: str | None = None) -> int:
    """Add a search-log entry (查找情况记录) to a case in `searching`. It never moves the case."""
    if channel not in CHANNELS:
        raise UsageError(f"未知查找渠道 {channel}", f"unknown channel {channel}")
    if outcome not in OUTCOMES:
        raise UsageError(f"未知查找结果 {outcome}（{'/'.join(OUTCOMES)}）",
                         f"unknown outcome {outcome} ({'/'.join(OUTCOMES)})")
    check_text_length("note", note)
    check_text_length("witness", witness)
    with UnitOfWork(db) as uow:
        s = conn = uow.connection  # every statement below is Core or prepared: no ORM session
        case = CASE_AND_BRANCH_PATH.run(conn, {"case_id": case_id}).first()
        if case is None:
            raise _unknown_case(case_id)
        actor, chain = load_actor_and_chain(s, actor_login, case.branch_path)
        if not may_see_org(actor, case.branch_path):
            raise case_out_of_scope(case_id, actor)
        grant = grant_for(actor, CASE_WORKERS, chain, "case log")
        if case.state != "searching":
            raise Refused(f"只有“联系查找”环节的案件才能记录查找情况（当前：{lifecycle.STATES[case.state]}）",
                          f"search attempts are logged only in state searching (the case is {case.state})")
        day = effective_on(at, today, case.last_event_on)
        # An entry changes what the case may do next (a `reached` entry forbids exhaust), so it takes part in
        # the case's optimistic lock like a transition: of an entry and a transition drawn from one version,
        # one commits and the other is refused, even on the same day.
        written = MOVE_LAST_EVENT_IF_UNCHANGED.run(conn, {"case_id": case.id, "read_version": case.version,
                                                           "new_last_event_on": day})
        if written.rowcount != 1:
            raise _changed_meanwhile()
        entry_id = INSERT_SEARCH_ENTRY_ROW.run(conn, dict(
            case_id=case.id, effective_on=day, recorded_at=utcnow(), channel=channel, tier=CHANNEL_TIER[channel],
            outcome=outcome, note=note, witness=witness, actor=actor_login, role=grant.role)).scalar()
        if outcome == "reached":
            bump_last_contact(s, case.member_id, day)
            close_member_alerts(s, today, policy_as_of(s, day), member_id=case.member_id, closed_on=day)
        uow.commit()
        return entry_id


def search_summary(session: Session, case_id: int, as_of: date) -> SearchSummary:
    rows = SEARCH_SUMMARY.run(connection_of(session), {"case_id": case_id, "as_of": as_of}).rows
    reached = [day for _tier, outcome, day in rows if outcome == "reached"]
    return SearchSummary(frozenset(tier for tier, _o, _d in rows), min(reached) if reached else None)


def _case_state(case: SimpleNamespace) -> CaseState:
    restore = None
    if case.reopen_kind:
        restore = (case.restore_disposition, case.restore_reached, case.restore_chain, case.restore_closed_on)
    return CaseState(state=case.state, standing=case.member_standing, abroad=case.member_abroad,
                     lost_since=case.lost_since, cause=case.cause, reached=case.reached, disposition=case.disposition,
                     chain=case.chain, closed_on=case.closed_on, reopen_kind=case.reopen_kind, restore=restore)


def _save_state(case: SimpleNamespace, model: CaseState) -> None:
    case.state, case.cause, case.reached = model.state, model.cause, model.reached
    case.disposition, case.chain, case.closed_on, case.reopen_kind = (model.disposition, model.chain,
                                                                       model.closed_on, model.reopen_kind)
    restore = model.restore or (None, None, None, None)
    (case.restore_disposition, case.restore_reached, case.restore_chain, case.restore_closed_on) = restore


def fire(db: Database, case_id: int, trigger: str, *, actor_login: str, today: date, at: date | None = None,
         disposition: str | None = None, cause: int | None = None, opinion: str | None = None,
         meeting: Meeting | None = None, expected_version: int | None = None) -> FireResult:
    """Fire a lifecycle trigger as `actor_login`. Refused (exit 3) changes nothing and says why."""
    check_text_length("opinion", opinion)
    given = {name for name, value in (("disposition", disposition), ("cause", cause), ("opinion", opinion),
                                      ("meeting", meeting)) if value is not None}
    lifecycle.check_options(trigger, given)
    check_cause(cause)
    if disposition is not None and disposition not in DISPOSITIONS:
        raise UsageError(f"未知处置 {disposition}", f"unknown disposition {disposition}")
    with UnitOfWork(db) as uow:
        s = conn = uow.connection  # every statement below is Core or prepared: no ORM session
        row = CASE_FOR_FIRE.run(conn, {"case_id": case_id, "policy_day": at or today}).first()
        if row is None:
            raise _unknown_case(case_id)
        case = SimpleNamespace(**row._asdict())  # changed in place below, then written back
        # Permission before version: whoever may not act on this case is refused whatever its version, and
        # learns nothing of its changes; whoever may (in some step) and holds a stale form hears of the conflict.
        actor, chain = load_actor_and_chain(s, actor_login, case.branch_path)
        if not may_see_org(actor, case.branch_path):
            raise case_out_of_scope(case_id, actor)
        grant_for(actor, _roles_ever(trigger), chain, trigger)
        if expected_version is not None and case.version != expected_version:
            raise _changed_meanwhile()
        grant = grant_for(actor, lifecycle.roles_for(trigger, case.state), chain, trigger)
        day = effective_on(at, today, case.last_event_on)  # `at or today`, or refused
        policy = policy_from(case.policy_in_force, case.policy_body) or policy_as_of(s, at or today)
        ctx = FireContext(effective_on=day, policy=policy, disposition=disposition, cause=cause, opinion=opinion,
                          meeting=meeting,
                          search=search_summary(s, case.id, day) if trigger in lifecycle.TRIGGERS_READING_SEARCH
                          else SearchSummary(),
                          meeting_step_entered_on=case.step_entered_on if case.state == "meeting_resolution" else None,
                          member_has_later_case=trigger == "reopen" and _has_later_case(s, case))
        from_state = case.state
        model = lifecycle.fire(_case_state(case), trigger, ctx)
        version = _apply(s, conn, case, model, trigger=trigger, from_state=from_state, day=day, actor=actor,
                         grant=grant, opinion=opinion, meeting=meeting, policy=policy)
        if model.state == "voided":
            record_supersession(s, case.member_id)
        if case.has_open_alerts:
            close_case_alerts(s, day, case_id=case.id)  # the step left: its clock's alerts end with it
        if model.state == "closed" and membership_status("closed", model.disposition) == "active":
            close_member_alerts(s, today, policy, member_id=case.member_id, closed_on=day)
        uow.commit()
        return FireResult(case.id, trigger, from_state, case.state, case.due_on, version)


@lru_cache(maxsize=None)
def _roles_ever(trigger: str) -> tuple[str, ...]:
    """The roles that may fire `trigger` from some state (agree: a committee or an upper reviewer)."""
    return tuple(dict.fromkeys(role for state in lifecycle.STATES for role in lifecycle.roles_for(trigger, state)))


def _changed_meanwhile() -> Conflict:
    return Conflict("案件已被他人修改，请刷新后重试", "the case was changed by someone else: reload and retry")


def _has_later_case(session: Session, case: SimpleNamespace) -> bool:
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.member_id == case.member_id, Case.id > case.id, Case.state != "voided")) > 0


def _apply(s: Session, conn, case: SimpleNamespace, model: CaseState, *, trigger: str, from_state: str, day: date,
           actor: Actor, grant: GrantRef, opinion: str | None, meeting: Meeting | None, policy: Policy) -> int:
    """Write the transition: the case row (only if still at the version read), its history record and the
    new step's deadline. Returns the case's new version."""
    read_version = case.version
    read = [getattr(case, c) for c in TRANSITION_COLUMNS]
    _save_state(case, model)
    seq = case.last_seq + 1
    case.last_seq, case.last_event_on = seq, day
    deadline = start_clock(case, seq=seq, state=model.state, entered_on=day, policy=policy,
                           policy_version=policy.version)
    changed = tuple(c for c, before in zip(TRANSITION_COLUMNS, read)
                    if (value := getattr(case, c)) != before or type(value) is not type(before))
    written = update_case_if_unchanged(changed).run(conn, {"case_id": case.id, "read_version": read_version,
                                                           **{f"new_{c}": getattr(case, c) for c in changed}})
    if written.rowcount != 1:
        raise _changed_meanwhile()
    case.version = read_version + 1
    INSERT_EVENT_ROW.run(conn, dict(case_id=case.id, seq=seq, trigger=trigger, from_state=from_state,
                                     to_state=model.state, actor=actor.label(), role=grant.role,
                                     grant_org_id=grant.org_id, opinion=opinion, effective_on=day,
                                     recorded_at=utcnow(), disposition=model.disposition, reached=model.reached,
                                     cause=model.cause, meeting=json.dumps(meeting.as_dict()) if meeting else None))
    if deadline is not None:
        INSERT_DEADLINE_ROW.run(conn, {**deadline, "recorded_at": utcnow()})
    steps_moved_on(conn, case_id=case.id, branch_id=case.branch_id, day=day, seq=seq, state=model.state,
                   due_on=case.due_on)  # derived from the history just written
    if model.state == "closed" and membership_status("closed", model.disposition) == "active":
        # brought back under management: not lost again tomorrow
        bump_last_contact(s, case.member_id, model.closed_on)
    return case.version
