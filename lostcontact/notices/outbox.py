"""Putting notices into the outbox: exactly one per (recipient org, as-of day)."""
from __future__ import annotations

from datetime import date
from itertools import groupby

from sqlalchemy import and_, exists, select

from models import Alert, Notice, Org
from models.base import utcnow
from models.db import Database

from ..services.sweep.context import insert_ignoring_duplicates
from ..uow import UnitOfWork
from .render import render_pair

LEVEL_LABELS = {"reminder": "提醒", "overdue": "超期", "escalated": "督办"}


def build_notices(db: Database, as_of: date) -> int:
    """Render the alerts raised on `as_of` into one notice per recipient org not yet notified that day."""
    with UnitOfWork(db) as uow:
        s = uow.session
        notified = exists().where(Notice.org_id == Alert.org_id, Notice.as_of == as_of)
        rows = s.execute(select(Alert.org_id, Org.code, Org.name, Alert.rule, Alert.level, Alert.message,
                                Alert.due_on)
                         .join(Org, Org.id == Alert.org_id)
                         .where(and_(Alert.raised_on == as_of, ~notified))
                         .order_by(Alert.org_id, Alert.id)).all()
        now, notices = utcnow(), []
        for (org_id, code, name), group in groupby(rows, key=lambda r: (r[0], r[1], r[2])):
            alerts = [{"rule": r[3], "level_label": LEVEL_LABELS[r[4]], "message": r[5], "due_on": r[6]}
                      for r in group]
            subject = f"【失联党员排查督办】{name} {as_of} 新增 {len(alerts)} 条提醒"
            text, html = render_pair("alerts", org={"code": code, "name": name}, as_of=as_of, alerts=alerts,
                                     subject=subject)
            notices.append(dict(org_id=org_id, as_of=as_of, alert_count=len(alerts), subject=subject, body_text=text,
                                body_html=html, status="pending", attempts=0, created_at=now))
        made = s.execute(insert_ignoring_duplicates(s, Notice.__table__), notices).rowcount if notices else 0
        uow.commit()
        return made
