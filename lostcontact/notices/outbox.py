"""Putting notices into the outbox: exactly one per (recipient org, as-of day, sweep run) that raised
alerts for the org. Every alert belongs to the one run that raised it, so each alert is notified once,
including the alerts of a second sweep the same day and of a run that failed before its notices (the
next run of the day notifies them under the failed run's id)."""
from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import Date, String, and_, bindparam, exists, select, type_coerce

from models import Alert, Notice, Org, SweepRun
from statemachines.codes import ALERT_RULES
from models.base import utcnow
from models.db import Database

from ..prepared import Prepared
from ..services.sweep.context import insert_ignoring_duplicates
from ..uow import UnitOfWork
from .render import NoticeRenderer

LEVEL_LABELS = {"reminder": "提醒", "overdue": "超期", "escalated": "督办"}

_alerts, _notices, _orgs, _runs = Alert.__table__.c, Notice.__table__.c, Org.__table__.c, SweepRun.__table__.c
# Built once and run on the driver's cursor (lostcontact.prepared): a day's notices read every alert line of
# the day (~10,000 at 1M members), where SQLAlchemy's rows cost more than the SQL. The run ids of the day pick
# the alerts by the sweep_run_id index instead of a scan of every alert ever raised. The due date is read as
# the database gives it, only to be printed: ISO text on SQLite, a date on PostgreSQL, the same text either way.
_UNNOTIFIED = Prepared(
    select(_alerts.org_id, _alerts.sweep_run_id, _orgs.code, _orgs.name, _alerts.level, _alerts.rule, _alerts.message,
           type_coerce(_alerts.due_on, String).label("due_on"))
    .join(Org.__table__, _orgs.id == _alerts.org_id)
    .where(_alerts.sweep_run_id.in_(select(_runs.id).where(_runs.as_of == bindparam("as_of", type_=Date))),
           ~exists().where(and_(_notices.org_id == _alerts.org_id, _notices.as_of == bindparam("as_of", type_=Date),
                                _notices.sweep_run_id == _alerts.sweep_run_id)))
    .order_by(_alerts.org_id, _alerts.sweep_run_id, _alerts.id))


def build_notices(db: Database, as_of: date) -> int:
    """Render the alerts raised as of `as_of` and not yet notified into one notice per org and run."""
    with UnitOfWork(db) as uow:
        s = uow.session
        rows = _UNNOTIFIED.run(s.connection(), {"as_of": as_of}).rows
        render, now, notices = NoticeRenderer("alerts"), utcnow(), []
        for (org_id, run_id, code, name), group in groupby(rows, key=lambda r: r[:4]):
            # a person reads the rule's name (环节期限), never its id (R5)
            alerts = [(LEVEL_LABELS[level], ALERT_RULES.get(rule, rule), message, due_on)
                      for *_head, level, rule, message, due_on in group]
            subject = f"【失联党员排查督办】{name} {as_of} 新增 {len(alerts)} 条提醒"
            text, html = render(org={"code": code, "name": name}, as_of=as_of, alerts=alerts, subject=subject)
            notices.append(dict(org_id=org_id, as_of=as_of, sweep_run_id=run_id, alert_count=len(alerts),
                                subject=subject, body_text=text, body_html=html, status="pending", attempts=0,
                                created_at=now))
        made = s.execute(insert_ignoring_duplicates(s, Notice.__table__), notices).rowcount if notices else 0
        uow.commit()
        return made
