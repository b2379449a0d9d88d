"""Raising alerts exactly once and closing them when their cause goes."""
from __future__ import annotations

from datetime import date
from itertools import chain
from typing import Iterable, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Alert
from models.base import utcnow

from ..alert_closing import close_alerts  # noqa: F401  (the sweep's modules close through it)
from .context import insert_ignoring_duplicates

LEVELS = ("reminder", "overdue", "escalated")
BATCH = 5000


class NewAlert(NamedTuple):
    subject_kind: str
    subject_id: int
    rule: str
    level: str
    step_seq: int
    due_on: date
    org_id: int
    message: str
    case_id: int | None = None


def raise_alerts(session: Session, alerts: Iterable[NewAlert], *, as_of: date, run_id: int | None) -> int:
    """Insert the alerts not raised before (the unique key decides); returns how many are new, counted as
    the rows carrying this run's id (a duplicate keeps the run that first raised it)."""
    alerts = iter(alerts)
    first = next(alerts, None)
    if first is None:  # nothing to raise: not even the two counts
        return 0
    table = Alert.__table__
    statement = insert_ignoring_duplicates(session, table)
    counted = select(func.count()).select_from(table).where(table.c.sweep_run_id == run_id)
    before = session.scalar(counted) if run_id is not None else 0
    now, inserted, batch = utcnow(), 0, []
    for alert in chain((first,), alerts):
        batch.append({**alert._asdict(), "raised_on": as_of, "sweep_run_id": run_id, "recorded_at": now})
        if len(batch) == BATCH:
            inserted += session.execute(statement, batch).rowcount
            batch = []
    if batch:
        inserted += session.execute(statement, batch).rowcount
    return session.scalar(counted) - before if run_id is not None else inserted
