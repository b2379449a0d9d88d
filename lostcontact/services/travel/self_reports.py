"""Self-report campaigns (自查自报, PROGRAMMES.md §4): opening a campaign (a DOMAIN R10 campaign with one
milestone owed by every person of an org subtree), recording a person's report with its lines frozen as
submitted, and the reviewer's confirmation or return — each step through the one shared machine
(statemachines.travel.self_report), the report row written only at the version read, one history record, and
the report's S1/S2 alerts closed by the confirmation, all in one unit of work.

Who acts (docs/travel-documents.md "Self-report campaigns"): the 审核人 of a person is a `cadre_supervisor`
whose subtree holds the person's org; for a 非公职党员 (rank `party_only`) it is the party org's secretary — a
`branch_officer` or `committee_reviewer` grant over the person's org. Either records the paper report."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from models import (Campaign, Milestone, Org, Person, SelfReport, SelfReportCampaign, SelfReportDocument,
                    SelfReportEvent, SelfReportTrip)
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.texts import check_text_length
from statemachines.travel import self_report as machine

from ...permissions import Actor, GrantRef, load_actor
from ...uow import UnitOfWork
from ..dates import effective_on
from ..sweep.self_report_alerts import close_self_report_alerts
from .documents import document_number
from .access import READERS, STATUS_ONLY, custodian_grant, org_for_custodian, unknown_person

MILESTONE_KEY = "self_report"
MILESTONE_LEVEL = "person"   # owed by each person of the scope; R10 (org levels) matches no org to it
PARTY_SECRETARIES = ("branch_officer", "committee_reviewer")  # 党组织负责人: the reviewer of a party_only person

_persons, _orgs, _reports = Person.__table__, Org.__table__, SelfReport.__table__
_events, _doc_lines, _trip_lines = SelfReportEvent.__table__, SelfReportDocument.__table__, SelfReportTrip.__table__
_campaigns = SelfReportCampaign.__table__
_PERSON = (select(_persons.c.id, _persons.c.name, _persons.c.id_number, _persons.c.rank,
                  _orgs.c.path.label("org_path"), _orgs.c.code.label("org_code"))
           .join(_orgs, _orgs.c.id == _persons.c.org_id).where(_persons.c.id_number == bindparam("id_number")))
_CAMPAIGN = (select(_campaigns, Campaign.__table__.c.name, Milestone.__table__.c.due_on,
                    _orgs.c.path.label("scope_path"), _orgs.c.code.label("scope_code"))
             .join(Campaign.__table__, Campaign.__table__.c.id == _campaigns.c.campaign_id)
             .join(Milestone.__table__, Milestone.__table__.c.id == _campaigns.c.milestone_id)
             .join(_orgs, _orgs.c.id == _campaigns.c.scope_org_id)
             .where(_campaigns.c.id == bindparam("campaign_id")))


@dataclass(frozen=True)
class ReportResult:
    report_id: int
    trigger: str
    from_state: str
    to_state: str
    version: int


# ---- who -----------------------------------------------------------------------------------------------

def may_read_report(actor: Actor, org_path: str, rank: str) -> bool:
    """The readers of the registry (not the liaison: a report is personal data), and a party_only person's
    party org secretary."""
    if actor.is_operator:
        return True
    roles = tuple(r for r in READERS if r not in STATUS_ONLY)
    roles += PARTY_SECRETARIES if rank == "party_only" else ()
    return any(g.role in roles and org_path.startswith(g.org_path) for g in actor.grants)


def reviewer_grant(actor: Actor, org_path: str, rank: str) -> GrantRef:
    """The actor's grant as the person's 审核人, or Refused saying who reviews this person."""
    roles = PARTY_SECRETARIES if rank == "party_only" else ("cadre_supervisor",)
    if not actor.is_operator:
        for grant in actor.grants:
            if grant.role in roles and org_path.startswith(grant.org_path):
                return grant
    who = "、".join(ROLES[r] for r in roles)
    raise Refused(f"自查自报的审核人须为管理该人员所在单位的{who}" + ("（非公职党员由所在党组织负责人审核）"
                                                               if rank == "party_only" else ""),
                  f"the reviewer of this person's self-report holds a {'/'.join(roles)} grant over their org")


def recorder_grant(actor: Actor, org_path: str, rank: str) -> GrantRef:
    """Who records a paper report: the person's reviewer, or a cadre supervisor over their org."""
    try:
        return reviewer_grant(actor, org_path, rank)
    except Refused:
        return custodian_grant(actor, org_path, "self-report submit")


def person_for_report(session: Session, id_number: str, actor: Actor):
    """The person with this typed ID number, when the actor may read their report; else `unknown_person`, the
    same words whether or not the person exists."""
    from ..members import typed_id_number
    number = typed_id_number(id_number)
    row = session.connection().execute(_PERSON, {"id_number": number}).first()
    if row is None or not may_read_report(actor, row.org_path, row.rank):
        raise unknown_person(number)
    return row


def unknown_campaign(campaign_id: int) -> BadInput:
    return BadInput(f"未知自查自报活动 {campaign_id}（或不在您的管理范围内）",
                    f"no self-report campaign {campaign_id} in your subtrees")


def campaign_row(session: Session, campaign_id: int, actor: Actor):
    """The campaign, when its scope meets the actor's subtrees (either holds the other); else unknown."""
    row = session.connection().execute(_CAMPAIGN, {"campaign_id": campaign_id}).first()
    if row is None or not (actor.is_operator or any(
            row.scope_path.startswith(g.org_path) or g.org_path.startswith(row.scope_path) for g in actor.grants)):
        raise unknown_campaign(campaign_id)
    return row


def window_of(campaign) -> machine.Window:
    return machine.Window(campaign.opened_on, campaign.trips_since, campaign.documents_expired_since)


# ---- opening ------------------------------------------------------------------------------------------

def open_campaign(db: Database, name: str, *, org_code: str, trips_since: date, documents_expired_since: date,
                  due_on: date, actor_login: str | None, today: date, at: date | None = None,
                  end_on: date | None = None) -> int:
    """Open a self-report campaign over `org_code`'s subtree (a cadre supervisor over it). Returns its id."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise UsageError("活动名称须为 1 到 200 个字符", "a campaign name is 1 to 200 characters")
    with UnitOfWork(db, duplicate=Conflict(f"活动“{name}”已存在", f"campaign {name!r} already exists")) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        org_id, _path, _grant = org_for_custodian(s, org_code, actor, "self-report open")
        day = effective_on(at, today)
        end_on = end_on or due_on
        for since, option in ((trips_since, "--trips-since"), (documents_expired_since, "--documents-expired-since")):
            if since > day:
                raise Refused(f"{option} {since} 晚于开始日期 {day}", f"{option} {since} is after the opening {day}")
        if due_on < day or end_on < due_on:
            raise Refused(f"截止日期须不早于开始日期 {day}，结束日期不早于截止日期",
                          f"the due day is on or after the opening ({day}) and the end on or after the due day")
        if s.scalar(select(Campaign.id).where(Campaign.name == name)) is not None:
            raise Refused(f"活动“{name}”已存在", f"campaign {name!r} already exists")
        campaign = Campaign(name=name, start_on=day, end_on=end_on)
        s.add(campaign)
        s.flush()
        milestone = Milestone(campaign_id=campaign.id, key=MILESTONE_KEY, due_on=due_on, level=MILESTONE_LEVEL,
                              title="党员和国家工作人员自查自报（本人填报、审核人确认）")
        s.add(milestone)
        s.flush()
        campaign_id = s.execute(insert(_campaigns).values(
            campaign_id=campaign.id, milestone_id=milestone.id, scope_org_id=org_id, trips_since=trips_since,
            documents_expired_since=documents_expired_since, opened_on=day,
            actor=actor.label())).inserted_primary_key[0]
        uow.commit()
        return campaign_id


# ---- a person's report ---------------------------------------------------------------------------------

def _report(conn, campaign_id: int, person_id: int):
    return conn.execute(select(_reports).where(_reports.c.campaign_id == campaign_id,
                                               _reports.c.person_id == person_id)).first()


def _changed_meanwhile() -> Conflict:
    return Conflict("该自查自报已被他人办理，请刷新后重试", "the report was changed by someone else: reload and retry")


def _load(s: Session, id_number: str, campaign_id: int, actor_login: str | None, expected_version: int | None):
    actor = load_actor(s, actor_login)
    person = person_for_report(s, id_number, actor)
    campaign = campaign_row(s, campaign_id, actor)
    if not person.org_path.startswith(campaign.scope_path):
        raise Refused(f"{person.name} 不在该自查自报活动的范围（{campaign.scope_code}）内",
                      f"the person is outside the campaign's scope ({campaign.scope_code})")
    row = _report(s.connection(), campaign_id, person.id)
    if expected_version is not None and (row.version if row else 0) != expected_version:
        raise _changed_meanwhile()
    return actor, person, campaign, row


def _state(row) -> machine.ReportState:
    if row is None:
        return machine.ReportState()
    return machine.ReportState(row.state, row.submission_seq, row.submitted_on, row.confirmed_on, row.returned_on)


def submit_report(db: Database, id_number: str, campaign_id: int, *, documents: tuple[machine.DocumentLine, ...] = (),
                  trips: tuple[machine.TripLine, ...] = (), zero_report: bool = False, pledge_signed: bool = False,
                  notes: str | None = None, actor_login: str | None, today: date, at: date | None = None,
                  expected_version: int | None = None) -> ReportResult:
    """Record the person's report (first, or again after a return) with its lines as submitted."""
    check_text_length("note", notes)
    # numbers folded like the registry's, whoever calls (the file reader already did): the checks compare them
    documents = tuple(replace(d, number=document_number(d.number)) for d in documents)
    with UnitOfWork(db, duplicate=_changed_meanwhile()) as uow:
        s = uow.session
        conn = s.connection()
        actor, person, campaign, row = _load(s, id_number, campaign_id, actor_login, expected_version)
        grant = recorder_grant(actor, person.org_path, person.rank)
        day = effective_on(at, today, row.last_event_on if row else None)
        ctx = machine.ReportContext(day, window_of(campaign), documents=tuple(documents), trips=tuple(trips),
                                    zero_report=zero_report, pledge_signed=pledge_signed)
        model = machine.fire(_state(row), "submit", ctx)
        values = dict(state=model.state, submission_seq=model.submission_seq, zero_report=zero_report, notes=notes,
                      pledge_text=machine.PLEDGE, pledge_signed_on=day, submitted_on=day, recorded_by=actor.label(),
                      reviewer=None, reviewer_role=None, confirmed_on=None, returned_on=model.returned_on,
                      last_event_on=day)
        if row is None:
            report_id = conn.execute(insert(_reports).values(
                campaign_id=campaign_id, person_id=person.id, last_seq=1, version=1, return_reason=None,
                **values)).inserted_primary_key[0]
            seq, version, from_state = 1, 1, "owed"
        else:
            report_id, seq, version, from_state = row.id, row.last_seq + 1, row.version + 1, row.state
            written = conn.execute(update(_reports).where(_reports.c.id == row.id, _reports.c.version == row.version)
                                   .values(**values, last_seq=seq, version=version))
            if written.rowcount != 1:
                raise _changed_meanwhile()
        _freeze_lines(conn, report_id, model.submission_seq, documents, trips, day)
        conn.execute(insert(_events).values(report_id=report_id, seq=seq, trigger="submit", from_state=from_state,
                                            to_state=model.state, submission_seq=model.submission_seq,
                                            effective_on=day, actor=actor.label(), role=grant.role, note=notes))
        uow.commit()
        return ReportResult(report_id, "submit", from_state, model.state, version)


def _freeze_lines(conn, report_id: int, submission_seq: int, documents, trips, day: date) -> None:
    """The lines as the person reported them: copied, never read back from the registry, so that no later edit
    of a document (or trip) changes what was reported."""
    if documents:
        conn.execute(insert(_doc_lines), [dict(
            report_id=report_id, submission_seq=submission_seq, line_no=n, kind=d.kind, number=d.number,
            name_on_document=d.name_on_document, issued_on=d.issued_on, expires_on=d.expires_on,
            expired=d.expires_on < day, kept_at=d.kept_at, remark=d.remark, self_corrected=d.self_corrected,
            correction=d.correction) for n, d in enumerate(documents, 1)])
    if trips:
        conn.execute(insert(_trip_lines), [dict(
            report_id=report_id, submission_seq=submission_seq, line_no=n, departure_on=t.departure_on,
            return_on=t.return_on, destinations="、".join(t.destinations), reason=t.reason, approved=t.approved,
            approving_authority=t.approving_authority, remark=t.remark, self_corrected=t.self_corrected,
            correction=t.correction) for n, t in enumerate(trips, 1)])


def review_report(db: Database, id_number: str, campaign_id: int, trigger: str, *, note: str | None = None,
                  actor_login: str | None, today: date, at: date | None = None,
                  expected_version: int | None = None) -> ReportResult:
    """The reviewer confirms the submitted report (closing its S1/S2 alerts) or returns it for correction."""
    if trigger not in ("confirm", "return"):
        raise UsageError(f"未知审核操作 {trigger}（confirm|return）", f"unknown review trigger {trigger}")
    check_text_length("note", note)
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor, person, campaign, row = _load(s, id_number, campaign_id, actor_login, expected_version)
        grant = reviewer_grant(actor, person.org_path, person.rank)
        day = effective_on(at, today, row.last_event_on if row else None)
        model = machine.fire(_state(row), trigger, machine.ReportContext(day, window_of(campaign), note=note))
        values = dict(state=model.state, reviewer=actor.label(), reviewer_role=grant.role,
                      confirmed_on=model.confirmed_on, returned_on=model.returned_on, last_seq=row.last_seq + 1,
                      last_event_on=day, version=row.version + 1)
        if trigger == "return":
            values["return_reason"] = note
        written = conn.execute(update(_reports).where(_reports.c.id == row.id, _reports.c.version == row.version)
                               .values(**values))
        if written.rowcount != 1:
            raise _changed_meanwhile()
        conn.execute(insert(_events).values(report_id=row.id, seq=row.last_seq + 1, trigger=trigger,
                                            from_state=row.state, to_state=model.state,
                                            submission_seq=row.submission_seq, effective_on=day, actor=actor.label(),
                                            role=grant.role, note=note))
        if trigger == "confirm":
            close_self_report_alerts(s, day, person_id=person.id, campaign_id=campaign_id)
        uow.commit()
        return ReportResult(row.id, trigger, row.state, model.state, row.version + 1)


__all__ = ["open_campaign", "submit_report", "review_report", "ReportResult", "reviewer_grant", "may_read_report",
           "campaign_row", "unknown_campaign", "person_for_report", "PARTY_SECRETARIES"]
