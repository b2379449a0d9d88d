"""The alerts open for a subtree as of a day (INTERFACE.md `alerts`), with each subject's traffic light."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from models import Alert, Member, Org
from models.db import Database

from ..masking import mask_id
from ..orgtree import in_subtree
from ..permissions import load_actor, scope_filter
from ..services.dates import check_as_of
from ..uow import UnitOfWork
from .cases import scoped_org_path

SEVERITY = {"reminder": 1, "overdue": 2, "escalated": 3}
LIGHTS = {"reminder": "yellow", "overdue": "red", "escalated": "escalated"}
LIGHT_LABELS = {"yellow": "黄灯 提醒", "red": "红灯 超期", "escalated": "督办 升级"}


def open_alerts(db: Database, *, today: date, actor_login: str | None = None, org_code: str | None = None,
                as_of: date | None = None) -> list[dict]:
    """Every alert open on the day (raised on or before it, not closed by then) whose recipient lies in
    the actor's subtrees (and under `org_code`), most severe first. `light` is the highest open level of
    the alert's subject."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        org_path = scoped_org_path(s, actor, org_code)
        subject_org = aliased(Org)
        query = (select(Alert, Org.code, Member.id_number, subject_org.code)
                 .join(Org, Org.id == Alert.org_id)
                 .outerjoin(Member, and_(Alert.subject_kind == "member", Member.id == Alert.subject_id))
                 .outerjoin(subject_org, and_(Alert.subject_kind == "org", subject_org.id == Alert.subject_id))
                 .where(Alert.raised_on <= day, or_(Alert.closed_on.is_(None), Alert.closed_on > day)))
        scope = scope_filter(actor, Org.path)
        if scope is not None:
            query = query.where(scope)
        if org_path is not None:
            query = query.where(in_subtree(Org.path, org_path))
        rows = []
        for alert, recipient, id_number, org_subject in s.execute(query.order_by(Alert.id)):
            subject_id = {"member": mask_id(id_number) if id_number else None, "org": org_subject}.get(
                alert.subject_kind, alert.subject_id)
            rows.append({"subject_kind": alert.subject_kind, "subject_id": subject_id, "case_id": alert.case_id,
                         "rule": alert.rule, "level": alert.level, "org": recipient,
                         "due_on": alert.due_on.isoformat(), "raised_on": alert.raised_on.isoformat(),
                         "message": alert.message, "_key": (alert.subject_kind, alert.subject_id)})
    highest: dict[tuple, str] = {}
    for row in rows:
        current = highest.get(row["_key"])
        if current is None or SEVERITY[row["level"]] > SEVERITY[current]:
            highest[row["_key"]] = row["level"]
    for row in rows:
        row["light"] = LIGHTS[highest[row["_key"]]]
        del row["_key"]
    rows.sort(key=lambda r: (-SEVERITY[r["level"]], r["due_on"], r["rule"]))
    return rows


def count_by_light(rows: list[dict]) -> dict[str, int]:
    """How many subjects show each light (a subject counts once, at its highest level)."""
    subjects = {}
    for row in rows:
        subjects[(row["subject_kind"], row["subject_id"], row["case_id"])] = row["light"]
    return {light: sum(1 for v in subjects.values() if v == light) for light in LIGHT_LABELS}
