"""Monthly reports of registration changes to the exit-entry administration (PROGRAMMES.md §1; rules in
statemachines/travel/change_reports.py). A cadre supervisor submits the changes of an org's subtree not
reported before (one INSERT … SELECT: every change goes in exactly one report, the items' unique key says so);
the administration's liaison records the report. Each step ends its alerts (T3, T4) in its own transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, insert, literal, or_, select, update

from models import Alert, Org, PersonEvent, RegistrationReport, RegistrationReportItem
from models.base import utcnow
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Conflict, Refused
from statemachines.travel.change_reports import REPORTED_STATUSES

from ...orgtree import in_subtree
from ...permissions import load_actor
from ...uow import UnitOfWork
from ..dates import effective_on
from .access import may_read, org_for_custodian

RECORDERS = ("exit_entry_liaison",)  # the administration's side records what it received
CHANGE_RULE, RECORD_RULE = "T3", "T4"
CHANGE_SUBJECT, REPORT_SUBJECT = "regchg", "regrpt"  # alerts.subject_kind: a person_events id, a report id

_events, _orgs, _alerts = PersonEvent.__table__, Org.__table__, Alert.__table__
_reports, _items = RegistrationReport.__table__, RegistrationReportItem.__table__


@dataclass(frozen=True)
class ReportResult:
    id: int
    changes: int
    version: int


def reportable():
    """WHERE: a history record that changed the registration status to one the administration must know."""
    return and_(_events.c.to_status.in_(REPORTED_STATUSES),
                or_(_events.c.from_status.is_(None), _events.c.from_status != _events.c.to_status))


def reported_by(day: date):
    """WHERE: the change went out in a report submitted on or before `day`."""
    return exists().where(_items.c.person_event_id == _events.c.id, _reports.c.id == _items.c.report_id,
                          _reports.c.reported_on <= day)


def unknown_report(report_id: int) -> BadInput:
    return BadInput(f"变更备案报送 {report_id} 不存在或不在您的管理范围内",
                    f"no registration report {report_id} in your subtrees")


def submit_report(db: Database, org_code: str, *, actor_login: str | None, today: date,
                  at: date | None = None) -> ReportResult:
    """变更备案报送: every registration change of the org's subtree made on or before the day and not yet in a
    report goes into a new one. Nothing to report is a refusal (no empty report is kept)."""
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        org_id, path, grant = org_for_custodian(s, org_code, actor, "change report")
        day = effective_on(at, today)
        report_id = conn.execute(insert(_reports).values(
            org_id=org_id, reported_on=day, reported_by=actor.label(), changes=0, version=1,
            recorded_at=utcnow())).inserted_primary_key[0]
        carried = (select(literal(report_id), _events.c.id)
                   .join(_orgs, _orgs.c.id == _events.c.org_id)
                   .where(reportable(), _events.c.effective_on <= day, in_subtree(_orgs.c.path, path),
                          ~exists().where(_items.c.person_event_id == _events.c.id)))
        changes = conn.execute(insert(_items).from_select(["report_id", "person_event_id"], carried)).rowcount
        if not changes:
            raise Refused(f"截至 {day} 没有待报送的备案变更", f"no registration change to report as of {day}")
        conn.execute(update(_reports).where(_reports.c.id == report_id).values(changes=changes))
        conn.execute(update(_alerts).where(
            _alerts.c.closed_on.is_(None), _alerts.c.rule == CHANGE_RULE, _alerts.c.subject_kind == CHANGE_SUBJECT,
            _alerts.c.subject_id.in_(select(_items.c.person_event_id).where(_items.c.report_id == report_id)))
            .values(closed_on=day))
        uow.commit()
        return ReportResult(report_id, changes, 1)


def record_report(db: Database, report_id: int, *, actor_login: str | None, today: date, at: date | None = None,
                  expected_version: int | None = None) -> ReportResult:
    """出入境管理部门录入: the liaison over the report's org records it (once), on or after the day it was sent."""
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        report = conn.execute(select(_reports, _orgs.c.path).join(_orgs, _orgs.c.id == _reports.c.org_id)
                              .where(_reports.c.id == report_id)).first()
        if report is None or not may_read(actor, report.path):
            raise unknown_report(report_id)
        if not any(g.role in RECORDERS and report.path.startswith(g.org_path) for g in actor.grants):
            raise Refused(f"录入变更备案须由{ROLES['exit_entry_liaison']}办理，{actor.person()}没有该授权",
                          f"recording a registration report needs an exit_entry_liaison grant; {actor.login} has none")
        if report.recorded_on is not None:
            raise Refused(f"该报送已于 {report.recorded_on} 录入", f"the report was recorded on {report.recorded_on}")
        if expected_version is not None and expected_version != report.version:
            raise _changed_meanwhile()
        day = effective_on(at, today)
        if day < report.reported_on:
            raise Refused(f"录入日期 {day} 早于报送日期 {report.reported_on}",
                          f"the day {day} is before the report was sent ({report.reported_on})", "--at")
        written = conn.execute(update(_reports).where(_reports.c.id == report_id, _reports.c.version == report.version)
                               .values(recorded_on=day, recorded_by=actor.label(), version=report.version + 1))
        if written.rowcount != 1:
            raise _changed_meanwhile()
        conn.execute(update(_alerts).where(
            _alerts.c.closed_on.is_(None), _alerts.c.rule == RECORD_RULE, _alerts.c.subject_kind == REPORT_SUBJECT,
            _alerts.c.subject_id == report_id).values(closed_on=day))
        uow.commit()
        return ReportResult(report_id, report.changes, report.version + 1)


def _changed_meanwhile() -> Conflict:
    return Conflict("该报送已被他人录入或修改，请刷新后重试", "the report was changed by someone else: reload and retry")


def unreported_count(conn, day: date) -> int:
    """How many changes made by the day were not reported by it (the whole tree: for tests and the demo)."""
    return conn.scalar(select(func.count()).select_from(_events)
                       .where(reportable(), _events.c.effective_on <= day, ~reported_by(day)))
