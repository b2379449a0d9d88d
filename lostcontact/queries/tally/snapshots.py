"""A frozen tally (what was reported) beside the same org's figures as of today."""
from __future__ import annotations

import json
from datetime import date

from models import Org, TallySnapshot
from models.db import Database
from statemachines.errors import BadInput, Refused

from ...permissions import load_actor, may_see_org
from ...uow import UnitOfWork
from .compute import compute_tally


def snapshot_beside_today(db: Database, snapshot_id: int, *, today: date, actor_login: str | None = None) -> dict:
    """{"snapshot": {id, org, as_of, submission_id, recorded_at, tally}, "today": tally as of today,
    "change": today − reported, per column, for the org itself}."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        snapshot = s.get(TallySnapshot, snapshot_id)
        if snapshot is None:
            raise BadInput(f"未知统计快照编号 {snapshot_id}", f"unknown tally snapshot id {snapshot_id}")
        org = s.get(Org, snapshot.org_id)
        if not may_see_org(actor, org.path):
            raise Refused(f"统计快照 {snapshot_id} 所属组织 {org.code} 不在{actor.person()}的授权范围内",
                          f"snapshot {snapshot_id} belongs to org {org.code}, outside {actor.login}'s subtrees")
        reported = json.loads(snapshot.tree)
        current = compute_tally(s, org, today).as_json(today)
        return {
            "snapshot": {"id": snapshot.id, "org": org.code, "org_name": org.name, "as_of": snapshot.as_of.isoformat(),
                         "submission_id": snapshot.submission_id,
                         "recorded_at": snapshot.recorded_at.isoformat(timespec="seconds"), "tally": reported},
            "today": current,
            "change": {col: current["columns"][col] - reported["columns"][col] for col in current["columns"]},
        }
