"""What the web's self-report pages look up (an ID number never goes into a URL): the person behind a person id
when the reader may read their report, with the steps the reader may take on it (record a submission, review
it: the grants of services.travel.self_reports), and a campaign's open S1/S2 alerts by unit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from models import Alert, Org, Person
from models.db import Database
from statemachines.errors import Refused

from ...permissions import load_actor
from ...services.sweep.self_report_alerts import RULES
from ...services.travel.access import status_only
from ...services.travel.self_reports import campaign_row, may_read_report, recorder_grant, reviewer_grant
from ...uow import UnitOfWork
from .self_reports import report_scope
from .web_refs import unknown_person_id

_persons, _orgs, _alerts = Person.__table__, Org.__table__, Alert.__table__


@dataclass(frozen=True)
class ReportPerson:
    id_number: str
    may_record: bool     # submit the paper report (the reviewer, or a cadre supervisor over the person)
    may_review: bool     # confirm or return it (the person's 审核人)


def _holds(grant_of, *args) -> bool:
    try:
        grant_of(*args)
    except Refused:
        return False
    return True


def report_person(db: Database, person_id: int, *, actor_login: str | None) -> ReportPerson:
    """The person `person_id` when the actor reads their self-reports; else an unknown person id."""
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        row = uow.session.connection().execute(
            select(_persons.c.id_number, _persons.c.rank, _orgs.c.path).join(_orgs, _orgs.c.id == _persons.c.org_id)
            .where(_persons.c.id == person_id)).first()
    if row is None or not may_read_report(actor, row.path, row.rank):
        raise unknown_person_id(person_id)
    return ReportPerson(row.id_number, _holds(recorder_grant, actor, row.path, row.rank),
                        _holds(reviewer_grant, actor, row.path, row.rank))


def campaign_alerts(db: Database, campaign_id: int, *, actor_login: str | None, today: date) -> list[dict]:
    """The campaign's S1/S2 alerts open today whose recipient org the reader reaches, counted by org and rule
    (one GROUP BY; S1/S2 carry the self-report campaign's id as their step); a party secretary counts only
    those of the 非公职党员 whose reports they read."""
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        campaign_row(uow.session, campaign_id, actor)
        if status_only(actor):  # the liaison: no personal data, not even whose report is missing
            return []
        a = _alerts
        where = [a.c.rule.in_(RULES), a.c.subject_kind == "person", a.c.step_seq == campaign_id,
                 a.c.raised_on <= today, (a.c.closed_on.is_(None)) | (a.c.closed_on > today)]
        # the reports the reader reads (a party secretary: their 非公职党员's only), by the alert's person
        where.append(report_scope(actor, _orgs.c.path, _persons.c.rank))
        rows = uow.session.connection().execute(
            select(_orgs.c.code, _orgs.c.name, a.c.rule, func.count().label("alerts"), func.min(a.c.raised_on))
            .join(_orgs, _orgs.c.id == a.c.org_id).join(_persons, _persons.c.id == a.c.subject_id).where(*where)
            .group_by(_orgs.c.code, _orgs.c.name, _orgs.c.path, a.c.rule).order_by(_orgs.c.path, a.c.rule)).all()
    return [{"org": r.code, "org_name": r.name, "rule": r.rule, "alerts": r.alerts, "since": r[4].isoformat()}
            for r in rows]
