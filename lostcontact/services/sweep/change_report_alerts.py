"""T3 and T4, the deadlines of reporting registration changes to the exit-entry administration (PROGRAMMES.md §1,
docs/travel-documents.md “Reporting changes”), raised by the sweep with the alerts' exactly-once keys:

- T3 变更备案逾期未报送: a registration change not in any report after its month's report day (policy
  `change_report_day`); subject the change (its person_events id), step its seq;
- T4 变更备案逾期未录入: a report the administration has not recorded within the policy's working days.

`overdue` goes to the org of the change (the report's org for T4); `escalated`, the policy's escalation lag of
working days later, to its parent. Submitting and recording close them in their own transaction; the sweep
closes what is left on the day the report was sent (T3) or recorded (T4)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from models import Alert, Org, Person, PersonEvent, RegistrationReport, RegistrationReportItem
from statemachines.clocks import add_working_days
from statemachines.policy import Policy
from statemachines.travel.change_reports import CHANGE_KINDS, report_due_on

from ...masking import mask_id
from ..travel.change_reports import (CHANGE_RULE, CHANGE_SUBJECT, RECORD_RULE, REPORT_SUBJECT, reportable,
                                     reported_by)
from .alerting import NewAlert, raise_alerts

_alerts, _events, _persons, _orgs = Alert.__table__, PersonEvent.__table__, Person.__table__, Org.__table__
_reports, _items = RegistrationReport.__table__, RegistrationReportItem.__table__


def latest_overdue_change_day(as_of: date, report_day: int) -> date:
    """The last day whose changes are past due on `as_of`: this month's report day once it has passed, else
    the previous month's (a change after it is due on this month's report day, not yet past)."""
    if as_of.day > report_day:
        return as_of.replace(day=report_day)
    first = as_of.replace(day=1)
    previous = first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1)
    return previous.replace(day=report_day)


def change_report_alerts(session: Session, as_of: date, policy: Policy, run_id: int | None) -> dict[str, int]:
    """Raise T3 for every change not reported by its due day and T4 for every report not recorded in time."""
    lag = policy.escalation_lag_working_days
    report_day = policy.travel.change_report_day
    changes = session.execute(
        select(_events.c.id, _events.c.seq, _events.c.effective_on, _events.c.to_status, _events.c.org_id,
               _orgs.c.parent_id, _persons.c.name, _persons.c.id_number)
        .join(_orgs, _orgs.c.id == _events.c.org_id).join(_persons, _persons.c.id == _events.c.person_id)
        .where(reportable(), _events.c.effective_on <= latest_overdue_change_day(as_of, report_day),
               ~reported_by(as_of)))
    alerts = []
    for r in changes:
        due = report_due_on(r.effective_on, report_day)
        message = (f"登记备案人员 {r.name}（{mask_id(r.id_number)}）于 {r.effective_on} {CHANGE_KINDS[r.to_status]}，"
                   f"应于 {due} 前报送出入境管理部门，逾期未报送")
        alerts.append(NewAlert(CHANGE_SUBJECT, r.id, CHANGE_RULE, "overdue", r.seq, due, r.org_id, message))
        if as_of > add_working_days(due, lag).on:
            alerts.append(NewAlert(CHANGE_SUBJECT, r.id, CHANGE_RULE, "escalated", r.seq, due,
                                   r.parent_id or r.org_id, "【升级督办】" + message))
    counts = {CHANGE_RULE: raise_alerts(session, alerts, as_of=as_of, run_id=run_id)}
    waiting = session.execute(
        select(_reports.c.id, _reports.c.reported_on, _reports.c.changes, _reports.c.org_id, _orgs.c.parent_id,
               _orgs.c.name).join(_orgs, _orgs.c.id == _reports.c.org_id)
        .where(_reports.c.recorded_on.is_(None), _reports.c.reported_on < as_of))
    alerts = []
    for r in waiting:
        due = add_working_days(r.reported_on, policy.travel.record_working_days).on
        if as_of <= due:
            continue
        message = (f"{r.name} 于 {r.reported_on} 报送的变更备案（{r.changes} 人次）应于 {due} 前由出入境管理部门录入，"
                   "逾期未录入")
        alerts.append(NewAlert(REPORT_SUBJECT, r.id, RECORD_RULE, "overdue", 0, due, r.org_id, message))
        if as_of > add_working_days(due, lag).on:
            alerts.append(NewAlert(REPORT_SUBJECT, r.id, RECORD_RULE, "escalated", 0, due, r.parent_id or r.org_id,
                                   "【升级督办】" + message))
    counts[RECORD_RULE] = raise_alerts(session, alerts, as_of=as_of, run_id=run_id)
    return counts


def close_change_report_alerts(session: Session, as_of: date) -> int:
    """Close T3 on the day the change's report was sent and T4 on the day the report was recorded (set-based)."""
    carried = (_items.c.person_event_id == _alerts.c.subject_id, _reports.c.id == _items.c.report_id,
               _reports.c.reported_on <= as_of)
    closed = session.execute(
        update(_alerts).where(_alerts.c.closed_on.is_(None), _alerts.c.rule == CHANGE_RULE,
                              _alerts.c.subject_kind == CHANGE_SUBJECT, exists().where(*carried))
        .values(closed_on=select(func.min(_reports.c.reported_on)).select_from(_items.join(_reports, _reports.c.id == _items.c.report_id))
                .where(_items.c.person_event_id == _alerts.c.subject_id).scalar_subquery())).rowcount
    recorded = (_reports.c.id == _alerts.c.subject_id, _reports.c.recorded_on <= as_of)
    closed += session.execute(
        update(_alerts).where(_alerts.c.closed_on.is_(None), _alerts.c.rule == RECORD_RULE,
                              _alerts.c.subject_kind == REPORT_SUBJECT, exists().where(*recorded))
        .values(closed_on=select(_reports.c.recorded_on).where(_reports.c.id == _alerts.c.subject_id)
                .scalar_subquery())).rowcount
    return closed
