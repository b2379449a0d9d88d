"""我的待办: the open cases whose current step waits on the actor, most urgent first.

A step waits on the org that answers for it (lifecycle.STEP_OWNER: the branch, the supervising committee or
the upper org department) and so on the role granted there; whether a grant of that role covers a case's
branch is `permissions.grant_for`, asked once per branch (branches are few next to cases), and the cases
themselves are then one indexed query ordered by due date.

The statements are built once per shape (the roles that have branches, a state or branch filter or not),
with the branches, the day's light thresholds and the filters as parameters: a page asked for often would
otherwise spend more Python building and keying them than the database spends answering.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Integer, and_, bindparam, distinct, literal_column, null, or_, select, union_all
from sqlalchemy.orm import Session

from models import Case, Member, Org
from models.db import Database
from statemachines import lifecycle
from statemachines.errors import Refused, UsageError
from statemachines.lifecycle import OPEN_STATES, STATES

from ..masking import mask_id
from ..orgtree import OrgRef, chain_from, in_subtree_bound, org_by_code, subtree_bounds
from ..permissions import (Actor, grant_for, load_actor, may_see_org, scope_bounds, scope_filter_bound,
                           scope_shape)
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


_ORGS = select(Org.id, Org.code, Org.name, Org.level, Org.path).where(Org.id.in_(bindparam("ids", expanding=True)))


def _orgs_on_paths(session: Session, paths: list[str]) -> dict[int, OrgRef]:
    ids = sorted({int(p) for path in paths for p in path.strip("/").split("/")})
    refs: dict[int, OrgRef] = {}
    for start in range(0, len(ids), 900):  # stay under SQLite's bound-parameter limit
        for row in session.execute(_ORGS, {"ids": ids[start:start + 900]}):
            refs[row.id] = OrgRef(*row)
    return refs


@lru_cache(maxsize=16)
def _branches_with_open_cases(shape: int | None):
    """The branches with an open case (id, path) in the subtrees of an actor of scope `shape`
    (permissions.scope_shape), built once per shape with the subtrees' bounds as parameters."""
    query = (select(distinct(Case.branch_id), Org.path).join(Org, Org.id == Case.branch_id)
             .where(Case.state.in_(OPEN_STATES)))
    scope = scope_filter_bound(shape, Org.path)
    return query if scope is None else query.where(scope)


def _covered_branches(session: Session, actor: Actor, roles: set[str]) -> dict[str, list[int]]:
    """For each role, the branches (with an open case, in the actor's subtrees) where that role may act."""
    branches = session.execute(_branches_with_open_cases(scope_shape(actor)), scope_bounds(actor)).all()
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


@lru_cache(maxsize=64)
def _queue_statements(roles: tuple[str, ...], by_state: bool, by_branch: bool) -> tuple:
    """(counts by light and branches with cases, the first rows) of a queue whose `roles` each have branches
    (parameter `branches_<role>`), with the state (`state`) and the branch's subtree (in_subtree_bound)
    as filters when asked, counted by light with Lights.tallies_bound, at most `limit` rows."""
    condition = or_(*[and_(Case.state.in_(states_waiting_on(role)),
                           Case.branch_id.in_(bindparam(f"branches_{role}", expanding=True))) for role in roles])
    filters = [condition]
    if by_state:
        filters.append(Case.state == bindparam("state"))
    if by_branch:
        filters.append(in_subtree_bound(Org.path))
    # the counts by light (one row of running totals, kind 0) and the branches with cases waiting (kind 1,
    # by code) in one round trip
    counts = (select(literal_column("0", Integer).label("kind"), *Lights.tallies_bound(Case.due_on),
                     null().cast(Org.code.type).label("code"), null().cast(Org.name.type).label("name"))
              .select_from(Case).join(Org, Org.id == Case.branch_id).where(*filters))
    branches = (select(literal_column("1", Integer), null(), null(), null(), null(), Org.code, Org.name)
                .join(Case, Case.branch_id == Org.id).where(condition).group_by(Org.code, Org.name))
    both = union_all(counts, branches).subquery()
    counts_and_branches = select(both).order_by(both.c.kind, both.c.code)
    rows = (select(Case.id, Case.state, Case.step_entered_on, Case.due_on, Case.due_provisional,
                   Member.name, Member.id_number, Org.code, Org.name)
            .join(Member, Member.id == Case.member_id).join(Org, Org.id == Case.branch_id)
            .where(*filters).order_by(Case.due_on, Case.id).limit(bindparam("limit", type_=Integer)))
    return counts_and_branches, rows


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
        covered = {role: ids for role, ids in (_covered_branches(s, actor, roles) if roles else {}).items() if ids}
        if not covered:
            return WorkQueue((), 0, {light: 0 for light in ORDER}, states, ())
        parameters = {**{f"branches_{role}": ids for role, ids in covered.items()}, **lights.parameters(),
                      "limit": limit}
        if state is not None:
            parameters["state"] = state
        if branch_code:
            org = org_by_code(s, branch_code)
            if not may_see_org(actor, org.path):
                raise Refused(f"组织 {branch_code} 不在{actor.person()}的授权范围内",
                              f"org {branch_code} is outside {actor.login}'s subtrees")
            parameters.update(subtree_bounds(org.path))
        counts_and_branches_of, rows_of = _queue_statements(tuple(sorted(covered)), state is not None,
                                                            bool(branch_code))
        tallies, *branches = s.execute(counts_and_branches_of, parameters).all()
        counts = Lights.split(*tallies[1:5])
        branches = [(code, name) for *_kind_and_tallies, code, name in branches]
        rows = s.execute(rows_of, parameters).all()
    out = tuple(QueueRow(case_id, name, mask_id(id_number), code, org_name, st, STATES[st], entered, due,
                         bool(provisional), lights.days_left(due), lights.light(due))
                for case_id, st, entered, due, provisional, name, id_number, code, org_name in rows)
    return WorkQueue(out, tallies[1], {light: counts[light] for light in ORDER}, states, tuple(branches))
