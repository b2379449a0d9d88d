"""我的待办: the open cases whose current step waits on the actor, most urgent first.

A step waits on the org that answers for it (lifecycle.STEP_OWNER: the branch, the supervising committee or
the upper org department) and so on the role granted there; whether a grant of that role covers a case's
branch is `permissions.grant_for`, asked once per branch (branches are few next to cases), and the cases
themselves are then one indexed query ordered by due date.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from models import Case, Member, Org
from models.db import Database
from statemachines import lifecycle
from statemachines.errors import Refused, UsageError
from statemachines.lifecycle import OPEN_STATES, STATES

from ..masking import mask_id
from ..orgtree import OrgRef, chain_from, in_subtree, org_by_code
from ..permissions import Actor, grant_for, load_actor, may_see_org, scope_filter
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .lights import ORDER, Lights

STEP_ROLE = {"branch": lifecycle.BRANCH, "committee": lifecycle.COMMITTEE, "upper": lifecycle.UPPER}


def states_waiting_on(role: str) -> tuple[str, ...]:
    return tuple(state for state, owner in lifecycle.STEP_OWNER.items() if STEP_ROLE[owner] == role)


@dataclass(frozen=True)
class QueueRow:
    id: int
    member_name: str
    member_id_number_masked: str
    branch_code: str
    branch_name: str
    state: str
    state_label: str
    step_entered_on: date
    due_on: date | None
    due_provisional: bool
    days_left: int | None
    light: str | None

    def as_json(self) -> dict:
        return {"id": self.id, "member_name": self.member_name,
                "member_id_number_masked": self.member_id_number_masked, "branch_code": self.branch_code,
                "state": self.state, "step_entered_on": self.step_entered_on.isoformat(),
                "due_on": self.due_on.isoformat() if self.due_on else None, "due_provisional": self.due_provisional,
                "days_left": self.days_left, "light": self.light}


@dataclass(frozen=True)
class WorkQueue:
    rows: tuple[QueueRow, ...]
    total: int                                  # all matching cases (rows may stop at the limit)
    by_light: dict[str, int]                    # over all matching cases
    states: tuple[str, ...]                     # the states that can wait on this actor (the state filter)
    branches: tuple[tuple[str, str], ...]       # (code, name) of branches with cases waiting (the branch filter)


def _orgs_on_paths(session: Session, paths: list[str]) -> dict[int, OrgRef]:
    ids = sorted({int(p) for path in paths for p in path.strip("/").split("/")})
    refs: dict[int, OrgRef] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
        chunk = ids[start:start + 900]
        for row in session.execute(select(Org.id, Org.code, Org.name, Org.level, Org.path).where(Org.id.in_(chunk))):
            refs[row.id] = OrgRef(*row)
    return refs


def _covered_branches(session: Session, actor: Actor, roles: set[str]) -> dict[str, list[int]]:
    """For each role, the branches (with an open case, in the actor's subtrees) where that role may act."""
    scope = scope_filter(actor, Org.path)
    query = (select(distinct(Case.branch_id), Org.path).join(Org, Org.id == Case.branch_id)
             .where(Case.state.in_(OPEN_STATES)))
    if scope is not None:
        query = query.where(scope)
    branches = session.execute(query).all()
    refs = _orgs_on_paths(session, [path for _id, path in branches])
    covered: dict[str, list[int]] = {role: [] for role in roles}
    for branch_id, path in branches:
        ids = [int(p) for p in path.strip("/").split("/")]
        chain = chain_from(refs[branch_id], tuple(refs[i] for i in reversed(ids[:-1])))
        for role in roles:
            try:
                grant_for(actor, (role,), chain, "queue")
            except Refused:
                continue
            covered[role].append(branch_id)
    return covered


def _waiting_condition(covered: dict[str, list[int]]):
    parts = [and_(Case.state.in_(states_waiting_on(role)), Case.branch_id.in_(ids))
             for role, ids in covered.items() if ids]
    return or_(*parts) if parts else None


def work_queue(db: Database, *, actor_login: str, today: date, state: str | None = None,
               branch_code: str | None = None, limit: int = 300) -> WorkQueue:
    """The cases waiting on `actor_login` as of today, ordered by due date (most urgent first)."""
    if state is not None and state not in STATES:
        raise UsageError(f"未知状态 {state}", f"unknown state {state}")
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        lights = Lights.of_policy(today, policy_as_of(s, today))
        roles = {g.role for g in actor.grants} & set(STEP_ROLE.values())
        states = tuple(st for st in OPEN_STATES if any(st in states_waiting_on(r) for r in roles))
        condition = _waiting_condition(_covered_branches(s, actor, roles)) if roles else None
        if condition is None:
            return WorkQueue((), 0, {light: 0 for light in ORDER}, states, ())
        filters = [condition]
        if state is not None:
            filters.append(Case.state == state)
        if branch_code:
            org = org_by_code(s, branch_code)
            if not may_see_org(actor, org.path):
                raise Refused(f"组织 {branch_code} 不在用户 {actor.login} 的授权范围内",
                              f"org {branch_code} is outside {actor.login}'s subtrees")
            filters.append(in_subtree(Org.path, org.path))
        light = lights.sql(Case.due_on)
        counts = dict(s.execute(select(light, func.count()).select_from(Case).join(Org, Org.id == Case.branch_id)
                                .where(*filters).group_by(light)).all())
        branches = s.execute(select(Org.code, Org.name).join(Case, Case.branch_id == Org.id)
                             .where(condition).group_by(Org.code, Org.name).order_by(Org.code)).all()
        rows = s.execute(select(Case.id, Case.state, Case.step_entered_on, Case.due_on, Case.due_provisional,
                                Member.name, Member.id_number, Org.code, Org.name)
                         .join(Member, Member.id == Case.member_id).join(Org, Org.id == Case.branch_id)
                         .where(*filters).order_by(Case.due_on, Case.id).limit(limit)).all()
    out = tuple(QueueRow(case_id, name, mask_id(id_number), code, org_name, st, STATES[st], entered, due,
                         bool(provisional), lights.days_left(due), lights.light(due))
                for case_id, st, entered, due, provisional, name, id_number, code, org_name in rows)
    return WorkQueue(out, sum(counts.values()), {light: counts.get(light, 0) for light in ORDER}, states,
                     tuple((code, name) for code, name in branches))
