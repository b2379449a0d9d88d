"""超期预警: for an org of the actor's subtrees, its open cases counted by traffic light per child org (for
the drill-down), and the overdue and escalated cases themselves, sortable. All counting is GROUP BY in SQL."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import Integer, and_, bindparam, exists, null, or_, select, true, union_all

from models import Case, CaseStep, Org
from models.case_steps import RUNNING, cell_of
from models.db import Database
from statemachines.errors import UsageError
from statemachines.case_states import STATES

from ..masking import mask_id
from ..orgtree import in_subtree, in_subtree_bound, orgs_on_path, path_ids, subtree_bounds
from ..permissions import Actor, load_actor, may_see_org, top_grant
from ..policies import policy_as_of
from ..prepared import connection_of
from ..uow import UnitOfWork
from ..services.dates import check_as_of
from .alerts import PER_PAGE, AlertFilter, AlertPage, alert_page, visible_org
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


@dataclass(frozen=True)
class CaseSource:
    """Where the open cases and their due dates are read: the case rows (today), or the steps the cases
    stood in on a past day (models.case_steps: per branch one index range of that day's cell)."""
    table: object
    is_open: object

    @classmethod
    def today(cls) -> "CaseSource":
        return _TODAY

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


_TODAY = CaseSource(Case.__table__, IS_OPEN)
_orgs = Org.__table__
_grandchild = _orgs.alias("grandchild")
# Built once, the org and the day's light thresholds as parameters (a statement reused keeps its cache key;
# building and keying these cost more Python than PostgreSQL spends answering them).
_CHILDREN = (select(_orgs.c.id, _orgs.c.code, _orgs.c.name, _orgs.c.level,
                    exists().where(_grandchild.c.parent_id == _orgs.c.id).label("has_children"))
             .where(_orgs.c.parent_id == bindparam("root_id", type_=Integer)).order_by(_orgs.c.code))
_LIGHT = Lights.sql_bound(Case.__table__.c.due_on)  # the page's extra column (a statement built once per shape)


def _counts_statement(source: CaseSource):
    """Each child org's open cases counted by light (Lights.tallies), then one row (child NULL) of the cases
    filed at the root itself. Parameters: root_id, the root's subtree (in_subtree_bound) and the thresholds."""
    branch, child = _orgs.alias("branch"), _orgs.alias("child")
    cases = source.table
    tallies = Lights.tallies_bound(cases.c.due_on)
    by_child = (
        select(child.c.id, *tallies).select_from(cases)
        .join(branch, branch.c.id == cases.c.branch_id)
        .join(child, and_(child.c.parent_id == bindparam("root_id", type_=Integer),
                          in_subtree(branch.c.path, child.c.path)))
        # redundant with the join, but it lets the planner start from the root's subtree (an index range,
        # each org's open cases from the partial index) instead of hashing every open case of the table
        .where(source.is_open, in_subtree_bound(branch.c.path))
        # by child alone, with running totals along the due date rather than a GROUP BY of the light: the
        # children are read in id order (their parent's index), so SQLite adds each case to its child's
        # counts as it passes, where grouping by light sorted every open case of the subtree first
        .group_by(child.c.id))
    at_root = (select(null(), *tallies).select_from(cases)
               .where(source.is_open, cases.c.branch_id == bindparam("root_id", type_=Integer)))
    return union_all(by_child, at_root)


_COUNTS_TODAY = _counts_statement(_TODAY)


def overdue_overview(db: Database, *, actor_login: str, today: date, org_code: str | None = None,
                     sort: str = "due", descending: bool = False, limit: int = 200,
                     as_of: date | None = None) -> Overview:
    """The counts and the overdue cases as of `as_of` (default today): a past day sees the cases as they
    stood then, lit by that day's clock."""
    _check_sort(sort)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        return _overview(s, load_actor(s, actor_login), today, org_code, sort, descending, limit, as_of)[0]


def overview_with_alerts(db: Database, *, actor_login: str, today: date, filters: AlertFilter,
                         sort: str = "due", descending: bool = False, limit: int = 200, as_of: date | None = None,
                         page: int = 1, per_page: int = PER_PAGE) -> tuple[Overview, AlertPage]:
    """超期预警 as the web page shows it: overdue_overview of `filters.org_code` (default: the actor's top org)
    and list_alerts' page of that org's subtree, in one unit of work (the actor and the org read once)."""
    _check_sort(sort)
    day = check_as_of(as_of, today)
    filters.check()
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        view, root_path = _overview(s, actor, today, filters.org_code, sort, descending, limit, day)
        listing = alert_page(s, actor, day, root_path, replace(filters, org_code=view.org.code), page, per_page)
    return view, listing


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise UsageError(f"未知排序 {sort}（{'/'.join(SORTS)}）", f"unknown sort {sort} ({'/'.join(SORTS)})")


def _overview(s, actor: Actor, today: date, org_code: str | None, sort: str, descending: bool, limit: int,
              as_of: date | None) -> tuple[Overview, str]:
    """(the overview, the org's path)."""
    # the org and the orgs above it (the trail) in one read
    root_path = visible_org(s, actor, org_code).path if org_code else top_grant(actor).org_path
    trail_ids = path_ids(root_path)
    on_path = orgs_on_path(s, root_path)
    root = on_path[trail_ids[-1]]
    day = as_of or today
    source = _TODAY if day >= today else CaseSource.as_of(day)
    lights = Lights.of_policy(day, policy_as_of(s, day))
    connection = connection_of(s)
    params = {"root_id": root.id, **subtree_bounds(root.path), **lights.parameters()}
    children_rows = connection.execute(_CHILDREN, params).all()
    # the org's totals: its children's, plus any case filed at the org itself (one pass over the
    # subtree's open cases, not two)
    totals = OrgCounts(root.code, root.name, root.level, False)
    counts = {}
    for child_id, *tallies in connection.execute(
            _COUNTS_TODAY if source is _TODAY else _counts_statement(source), params):
        by_light = lights.split(*tallies)
        if child_id is not None:
            counts[child_id] = by_light
        for level, count in by_light.items():
            totals.lights[level] += count
    children = tuple(OrgCounts(code, name, level, has_children, counts.get(child_id, {lt: 0 for lt in ORDER}))
                     for child_id, code, name, level, has_children in children_rows)
    trail = tuple((on_path[i].code, on_path[i].name) for i in trail_ids if may_see_org(actor, on_path[i].path))
    if day >= today:
        rows = overdue_page(s, root.path, today, sort=sort, descending=descending, limit=limit,
                            extra_columns=(_LIGHT,), extra_params=params)
    else:
        rows = overdue_then(s, source.table, root.path, day, sort, descending, limit, lights)
    cases = tuple(OverdueRow(case_id, name, mask_id(id_number), code, org_name, st, STATES[st], opened, due,
                             (day - due).days, lt)
                  for case_id, st, opened, due, name, id_number, code, org_name, lt in rows)
    return Overview(totals, trail, children, cases, totals.overdue), root.path
