"""The registration changes and their reports as of a day (docs/travel-documents.md, “Reporting changes”):
every change with the day it was due at the exit-entry administration and the report that carried it, and
every report with the day it was due to be recorded. ID numbers are masked; the liaison reads them too
(registration status is what that role sees)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, select

from models import Org, Person, PersonEvent, RegistrationReport, RegistrationReportItem, User
from models.db import Database
from statemachines.clocks import add_working_days
from statemachines.policy import Policy
from statemachines.travel.change_reports import report_due_on

from ...masking import mask_id
from ...permissions import load_actor
from ...policies import policy_as_of
from ...services.dates import check_as_of
from ...services.travel.change_reports import reportable
from ...uow import UnitOfWork
from .as_of import org_filter

_events, _persons, _orgs, _users = PersonEvent.__table__, Person.__table__, Org.__table__, User.__table__
_reports, _items = RegistrationReport.__table__, RegistrationReportItem.__table__


def registration_changes(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                         org_code: str | None = None, unreported_only: bool = False) -> list[dict]:
    """Each registration change made by the day in the reader's subtrees, oldest first, with its due day and
    the report that carried it by then (none: still to report; `overdue` once past its due day)."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        report_day = policy_as_of(s, day).travel.change_report_day
        carried = and_(_items.c.person_event_id == _events.c.id, _reports.c.id == _items.c.report_id,
                       _reports.c.reported_on <= day)
        query = (select(_events.c.id, _events.c.effective_on, _events.c.to_status, _persons.c.id_number,
                        _persons.c.name, _orgs.c.code, _orgs.c.name.label("org_name"), _reports.c.id.label("report_id"),
                        _reports.c.reported_on)
                 .select_from(_events.join(_persons, _persons.c.id == _events.c.person_id)
                              .join(_orgs, _orgs.c.id == _events.c.org_id)
                              .outerjoin(_items, _items.c.person_event_id == _events.c.id)
                              .outerjoin(_reports, carried))
                 .where(reportable(), _events.c.effective_on <= day,
                        *org_filter(conn, actor, org_code, _orgs.c.path))
                 .order_by(_events.c.effective_on, _events.c.id))
        if unreported_only:
            query = query.where(_reports.c.id.is_(None))
        rows = []
        for r in conn.execute(query):
            due = report_due_on(r.effective_on, report_day)
            rows.append({"id": r.id, "person_name": r.name, "person_id_number_masked": mask_id(r.id_number),
                         "org": r.code, "org_name": r.org_name, "change": r.to_status,
                         "changed_on": r.effective_on.isoformat(), "due_on": due.isoformat(),
                         "report_id": r.report_id, "reported_on": r.reported_on.isoformat() if r.reported_on else None,
                         "overdue": (r.reported_on or day) > due})
        return rows


def record_due_on(reported_on: date, policy: Policy) -> date:
    return add_working_days(reported_on, policy.travel.record_working_days).on


def list_reports(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                 org_code: str | None = None) -> list[dict]:
    """The reports sent by the day from the reader's subtrees, newest first, recorded or not by then."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        policy = policy_as_of(s, day)
        reporter = _users.alias("reporter")
        recorder = _users.alias("recorder")
        query = (select(_reports, _orgs.c.code, _orgs.c.name.label("org_name"),
                        reporter.c.name.label("reported_by_name"), recorder.c.name.label("recorded_by_name"))
                 .join(_orgs, _orgs.c.id == _reports.c.org_id)
                 .outerjoin(reporter, reporter.c.login == _reports.c.reported_by)
                 .outerjoin(recorder, recorder.c.login == _reports.c.recorded_by)
                 .where(_reports.c.reported_on <= day, *org_filter(conn, actor, org_code, _orgs.c.path))
                 .order_by(_reports.c.reported_on.desc(), _reports.c.id.desc()))
        rows = []
        for r in conn.execute(query):
            recorded = r.recorded_on if r.recorded_on is not None and r.recorded_on <= day else None
            due = record_due_on(r.reported_on, policy)
            rows.append({"id": r.id, "org": r.code, "org_name": r.org_name, "reported_on": r.reported_on.isoformat(),
                         "reported_by": r.reported_by, "reported_by_name": r.reported_by_name, "changes": r.changes,
                         "record_due_on": due.isoformat(), "recorded_on": recorded.isoformat() if recorded else None,
                         "recorded_by": r.recorded_by if recorded else None,
                         "recorded_by_name": r.recorded_by_name if recorded else None,
                         "overdue": (recorded or day) > due, "version": r.version})
        return rows
