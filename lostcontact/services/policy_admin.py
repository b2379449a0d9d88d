"""`policy load` / `policy show` (DOMAIN.md §6.1, §6.2): a new policy version is stored for every process
and takes effect from its load date; the next sweep recounts the due dates of open steps under it
(services.sweep.deadlines.recompute_due_dates), recording each change as a Deadline row with the version."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import PolicyVersion
from models.db import Database
from statemachines.errors import Refused
from statemachines.policy import Policy

from ..permissions import load_actor
from ..policies import policy_as_of, store_policy
from ..uow import UnitOfWork


def load_policy(db: Database, path: str, *, actor_login: str, today: date) -> Policy:
    with UnitOfWork(db) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        if actor.is_operator or not any(g.role == "admin" and g.org_path.count("/") == 2 for g in actor.grants):
            raise Refused("载入策略须由根组织的系统管理员执行", "policy load needs an admin grant at a root org")
        policy = store_policy(s, path, actor_login, today)
        uow.commit()
        return policy


def show_policy(db: Database, *, today: date) -> dict:
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        current = policy_as_of(s, today)
        versions = s.execute(select(PolicyVersion.version, PolicyVersion.effective_from, PolicyVersion.loaded_by)
                             .order_by(PolicyVersion.effective_from, PolicyVersion.id)).all()
        return {"current": current.version, "effective_from": current.effective_from.isoformat(),
                "text": current.source_text,
                "versions": [{"version": v, "effective_from": f.isoformat(), "loaded_by": by} for v, f, by in versions]}
