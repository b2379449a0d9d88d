"""超期预警: for an org of the actor's subtrees, its open cases counted by traffic light per child org (for
the drill-down), and the overdue and escalated cases themselves, sortable. All counting is GROUP BY in SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from models import Case, Org
from models.db import Database
from statemachines.errors import Refused, UsageError
from statemachines.lifecycle import STATES

from ..masking import mask_id
from ..orgtree import in_subtree, org_by_code
from ..permissions import Actor, load_actor, may_see_org
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .lights import ORDER, Lights
from .overdue_page import IS_OPEN, SORTS, overdue_page


@dataclass
class OrgCounts:
    code: str
    name: str
    level: str
    has_children: bool
    lights: dict[str, int] = field(default_factory=lambda: {light: 0 for light in ORDER})

    @property
    def open(self) -> int:
        return sum(self.lights.values())

    @property
    def overdue(self) -> int:
        return self.lights["red"] + self.lights["escalated"]


@dataclass(frozen=True)
class OverdueRow:
    id: int
    member_name: str
    member_id_number_masked: str
    branch_code: str
    branch_name: str
    state: str
    state_label: str
    opened_on: date
    due_on: date
    overdue_days: int
    light: str


@dataclass(frozen=True)
class Overview:
    org: OrgCounts                               # the org itself (its whole subtree)
    trail: tuple[tuple[str, str], ...]           # (code, name) from the top the actor may see down to the org
    children: tuple[OrgCounts, ...]
    cases: tuple[OverdueRow, ...]
    overdue_total: int


def default_org(session: Session, actor: Actor) -> Org:
    """The highest org among the actor's grants (the first one when they sit side by side)."""
    if not actor.grants:
        raise Refused(f"用户 {actor.login} 没有任何授权", f"{actor.login} has no grant")
    top = min(actor.grants, key=lambda g: (g.org_path.count("/"), g.org_path))
    return session.get(Org, top.org_id)


def _counts_by_child(session: Session, root: Org, lights: Lights) -> dict[int, dict[str, int]]:
    branch, child = aliased(Org), aliased(Org)
    light = lights.sql(Case.due_on)
    rows = session.execute(
        select(child.id, light, func.count()).select_from(Case)
        .join(branch, branch.id == Case.branch_id)
        .join(child, and_(child.parent_id == root.id, in_subtree(branch.path, child.path)))
        # redundant with the join, but it lets the planner start from the root's subtree (an index range,
        # each org's open cases from the partial index) instead of hashing every open case of the table
        .where(IS_OPEN, in_subtree(branch.path, root.path)).group_by(child.id, light))
    out: dict[int, dict[str, int]] = {}
    for child_id, level, count in rows:
        out.setdefault(child_id, {lt: 0 for lt in ORDER})[level] = count
    return out


def overdue_overview(db: Database, *, actor_login: str, today: date, org_code: str | None = None,
                     sort: str = "due", descending: bool = False, limit: int = 200) -> Overview:
    if sort not in SORTS:
        raise UsageError(f"未知排序 {sort}（{'/'.join(SORTS)}）", f"unknown sort {sort} ({'/'.join(SORTS)})")
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        root = org_by_code(s, org_code) if org_code else default_org(s, actor)
        if not may_see_org(actor, root.path):
            raise Refused(f"组织 {root.code} 不在用户 {actor.login} 的授权范围内",
                          f"org {root.code} is outside {actor.login}'s subtrees")
        lights = Lights.of_policy(today, policy_as_of(s, today))
        light = lights.sql(Case.due_on)
        in_root = and_(IS_OPEN, in_subtree(Org.path, root.path))
        totals = OrgCounts(root.code, root.name, root.level, False)
        for level, count in s.execute(select(light, func.count()).select_from(Case)
                                      .join(Org, Org.id == Case.branch_id).where(in_root).group_by(light)):
            totals.lights[level] = count
        children_rows = s.execute(select(Org.id, Org.code, Org.name, Org.level)
                                  .where(Org.parent_id == root.id).order_by(Org.code)).all()
        grandparents = set(s.scalars(select(Org.parent_id).where(Org.parent_id.in_([r.id for r in children_rows]))))
        counts = _counts_by_child(s, root, lights) if children_rows else {}
        children = tuple(OrgCounts(code, name, level, child_id in grandparents,
                                   counts.get(child_id, {lt: 0 for lt in ORDER}))
                         for child_id, code, name, level in children_rows)
        trail_ids = [int(p) for p in root.path.strip("/").split("/")]
        trail_orgs = {o.id: o for o in s.scalars(select(Org).where(Org.id.in_(trail_ids)))}
        trail = tuple((trail_orgs[i].code, trail_orgs[i].name) for i in trail_ids
                      if may_see_org(actor, trail_orgs[i].path))
        rows = overdue_page(s, root.path, today, sort=sort, descending=descending, limit=limit,
                            extra_columns=(light,))
    cases = tuple(OverdueRow(case_id, name, mask_id(id_number), code, org_name, st, STATES[st], opened, due,
                             (today - due).days, lt)
                  for case_id, st, opened, due, name, id_number, code, org_name, lt in rows)
    return Overview(totals, trail, children, cases, totals.overdue)
