"""超期预警: for an org of the actor's subtrees, its open cases counted by traffic light per child org (for
the drill-down), and the overdue and escalated cases themselves, sortable. All counting is GROUP BY in SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session, aliased

from models import Case, CaseStep, Org
from models.case_steps import RUNNING, cell_of
from models.db import Database
from statemachines.errors import Refused, UsageError
from statemachines.case_states import STATES

from ..masking import mask_id
from ..orgtree import in_subtree
from ..permissions import Actor, load_actor, may_see_org
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .alerts import visible_org
from .lights import ORDER, Lights
from .overdue_page import IS_OPEN, SORTS, overdue_page
from .overdue_then import overdue_then


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


@dataclass(frozen=True)
class CaseSource:
    """Where the open cases and their due dates are read: the case rows (today), or the steps the cases
    stood in on a past day (models.case_steps: per branch one index range of that day's cell)."""
    table: object
    is_open: object

    @classmethod
    def today(cls) -> "CaseSource":
        return cls(Case.__table__, IS_OPEN)

    @classmethod
    def as_of(cls, day: date) -> "CaseSource":
        """The spans standing on `day`: each case open that day once, with its step and the due date then
        in force (only open steps are kept, so every row is open)."""
        steps = CaseStep.__table__.c
        then = (select(steps.case_id.label("id"), steps.branch_id, steps.state, steps.due_on)
                .where(steps.cell.in_([cell_of(day), RUNNING]), steps.entered_on <= day,
                       or_(steps.left_on > day, steps.left_on.is_(None)))
                .subquery("cases_then"))
        return cls(then, true())


def _counts_by_child(session: Session, root: Org, lights: Lights, source: CaseSource) -> dict[int, dict[str, int]]:
    branch, child = aliased(Org), aliased(Org)
    cases = source.table
    rows = session.execute(
        select(child.id, *lights.tallies(cases.c.due_on)).select_from(cases)
        .join(branch, branch.id == cases.c.branch_id)
        .join(child, and_(child.parent_id == root.id, in_subtree(branch.path, child.path)))
        # redundant with the join, but it lets the planner start from the root's subtree (an index range,
        # each org's open cases from the partial index) instead of hashing every open case of the table
        .where(source.is_open, in_subtree(branch.path, root.path))
        # by child alone, with running totals along the due date rather than a GROUP BY of the light: the
        # children are read in id order (their parent's index), so SQLite adds each case to its child's
        # counts as it passes, where grouping by light sorted every open case of the subtree first
        .group_by(child.id))
    return {child_id: lights.split(*tallies) for child_id, *tallies in rows}


def overdue_overview(db: Database, *, actor_login: str, today: date, org_code: str | None = None,
                     sort: str = "due", descending: bool = False, limit: int = 200,
                     as_of: date | None = None) -> Overview:
    """The counts and the overdue cases as of `as_of` (default today): a past day sees the cases as they
    stood then, lit by that day's clock."""
    if sort not in SORTS:
        raise UsageError(f"未知排序 {sort}（{'/'.join(SORTS)}）", f"unknown sort {sort} ({'/'.join(SORTS)})")
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        root = visible_org(s, actor, org_code) if org_code else default_org(s, actor)
        day = as_of or today
        source = CaseSource.today() if day >= today else CaseSource.as_of(day)
        lights = Lights.of_policy(day, policy_as_of(s, day))
        light = lights.sql(source.table.c.due_on)
        children_rows = s.execute(select(Org.id, Org.code, Org.name, Org.level)
                                  .where(Org.parent_id == root.id).order_by(Org.code)).all()
        grandparents = set(s.scalars(select(Org.parent_id).where(Org.parent_id.in_([r.id for r in children_rows]))))
        counts = _counts_by_child(s, root, lights, source) if children_rows else {}
        # the org's totals: its children's, plus any case filed at the org itself (one pass over the
        # subtree's open cases, not two)
        totals = OrgCounts(root.code, root.name, root.level, False)
        for by_light in counts.values():
            for level, count in by_light.items():
                totals.lights[level] += count
        at_root = s.execute(select(*lights.tallies(source.table.c.due_on))
                            .where(source.is_open, source.table.c.branch_id == root.id)).one()
        for level, count in lights.split(*at_root).items():
            totals.lights[level] += count
        children = tuple(OrgCounts(code, name, level, child_id in grandparents,
                                   counts.get(child_id, {lt: 0 for lt in ORDER}))
                         for child_id, code, name, level in children_rows)
        trail_ids = [int(p) for p in root.path.strip("/").split("/")]
        trail_orgs = {o.id: o for o in s.scalars(select(Org).where(Org.id.in_(trail_ids)))}
        trail = tuple((trail_orgs[i].code, trail_orgs[i].name) for i in trail_ids
                      if may_see_org(actor, trail_orgs[i].path))
        if day >= today:
            rows = overdue_page(s, root.path, today, sort=sort, descending=descending, limit=limit,
                                extra_columns=(light,))
        else:
            rows = overdue_then(s, source.table, root.path, day, sort, descending, limit, lights)
    cases = tuple(OverdueRow(case_id, name, mask_id(id_number), code, org_name, st, STATES[st], opened, due,
                             (day - due).days, lt)
                  for case_id, st, opened, due, name, id_number, code, org_name, lt in rows)
    return Overview(totals, trail, children, cases, totals.overdue)
