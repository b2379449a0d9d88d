"""超期预警's list: one page of the open, overdue cases of a subtree — the page the web app and the API show
and the benchmark times, from this one function.

Sorted by due date (the default), the page is read from indexes and costs the same however large the
subtree's backlog grows:

- per_branch, for a subtree of at most PER_BRANCH_MAX orgs: each org's first `limit` cases in due order
  from the partial index ix_cases_open_branch_due (branch_id, due_on, id, state) WHERE open, merged and
  cut to `limit` (LATERAL on PostgreSQL, a UNION ALL of one arm per org on SQLite): at most
  orgs × limit index entries, one seek per org, never a table row before the page is cut;
- due_scan, for a larger subtree: the due-date index walked in order, each case's org checked on its
  primary key, until `limit` cases of the subtree have been met: about limit × (all open cases / the
  subtree's) entries, few when the subtree holds a large share of the cases.

An org costs per_branch one index seek; a case read costs due_scan a table row and an org lookup. On the
benchmark's province (SQLite, 100k cases) a county of 111 orgs takes 0.4 ms per branch against 12 ms
walking the due dates, and a city of 1,111 orgs 1 ms walking; SQLite also caps a compound SELECT at 500
arms. Hence the bound of 300 orgs. Any other sort (branch, state, opened, case) reads the subtree's
whole backlog and sorts it.
"""
from __future__ import annotations

import functools
from datetime import date

from sqlalchemy import Date, Integer, String, bindparam, exists, literal_column, select, text, true
from sqlalchemy.orm import Session

from models import Case, Member, Org
from statemachines.case_states import TERMINAL_OR_CLOSED

from ..orgtree import in_subtree
from ..prepared import connection_of

PAGE = 50
PER_BRANCH_MAX = 300
STRATEGIES = ("per_branch", "due_scan", "sort")

_cases, _orgs, _members = Case.__table__, Org.__table__, Member.__table__
# Literals, not parameters: the planners match a partial index's predicate against the query's text.
IS_OPEN = _cases.c.state.not_in([literal_column(f"'{state}'") for state in TERMINAL_OR_CLOSED])

SORTS = {
    "due": (_cases.c.due_on, _cases.c.id),
    "branch": (_orgs.c.code, _cases.c.due_on, _cases.c.id),
    "state": (_cases.c.state, _cases.c.due_on, _cases.c.id),
    "opened": (_cases.c.opened_on, _cases.c.id),
    "case": (_cases.c.id,),
}
PAGE_COLUMNS = (_cases.c.id, _cases.c.state, _cases.c.opened_on, _cases.c.due_on, _members.c.name,
                _members.c.id_number, _orgs.c.code, _orgs.c.name)


_ROOT = bindparam("root", type_=String)  # the subtree's root path
_SUBTREE_IDS = select(_orgs.c.id).where(in_subtree(_orgs.c.path, _ROOT))  # in path order: any ids will do
_SUBTREE_FIRST_IDS = _SUBTREE_IDS.limit(bindparam("most", type_=Integer))


def _ordered(columns, descending: bool) -> list:
    return [c.desc() for c in columns] if descending else list(columns)


def choose(session: Session, root_path: str, sort: str) -> tuple[str, list[int]]:
    """The strategy for this subtree and sort, with the subtree's org ids when it is per_branch (at most
    PER_BRANCH_MAX + 1 are read: past that the exact number no longer matters)."""
    if sort != "due":
        return "sort", []
    ids = list(session.execute(_SUBTREE_FIRST_IDS, {"root": root_path, "most": PER_BRANCH_MAX + 1}).scalars())
    return ("per_branch", ids) if len(ids) <= PER_BRANCH_MAX else ("due_scan", [])


def _by_due(columns, descending: bool) -> list:
    return _ordered((columns.due_on, columns.id), descending)


# Built once per shape, with bound parameters: building (and hashing, for SQLAlchemy's statement cache) a
# UNION of a hundred arms would cost more than running it.
@functools.lru_cache(maxsize=64)
def _per_branch_page(dialect: str, orgs: int, descending: bool):
    """(id, due_on) of the page: the first `per` overdue open cases of each org (one range of
    ix_cases_open_branch_due each, read in due order), merged and cut to `per`. Parameters: today, per, and
    the org ids (b0… on SQLite, org_ids on PostgreSQL)."""
    if dialect == "postgresql":
        first = (select(_cases.c.id, _cases.c.due_on)
                 .where(_cases.c.branch_id == _orgs.c.id, IS_OPEN, _cases.c.due_on < bindparam("today", type_=Date))
                 .order_by(*_by_due(_cases.c, descending)).limit(bindparam("per", type_=Integer)).lateral("first"))
        found = (select(first.c.id, first.c.due_on).select_from(_orgs.join(first, true()))
                 .where(_orgs.c.id.in_(bindparam("org_ids", expanding=True)))).subquery("found")
        return (select(found.c.id, found.c.due_on).order_by(*_by_due(found.c, descending))
                .limit(bindparam("per", type_=Integer)).subquery("page"))
    # SQLite has no LATERAL: one arm per org. MATERIALIZED keeps the arms' rows in one table sorted once,
    # rather than SQLite sorting each arm again to merge them.
    way = " DESC" if descending else ""
    is_open = str(IS_OPEN.compile(compile_kwargs={"literal_binds": True}))
    arms = " UNION ALL ".join(
        f"SELECT * FROM (SELECT id, due_on FROM cases WHERE branch_id = :b{i} AND {is_open} AND due_on < :today "
        f"ORDER BY due_on{way}, id{way} LIMIT :per)" for i in range(orgs))
    page = text(f"WITH found AS MATERIALIZED ({arms}) "
                f"SELECT id, due_on FROM found ORDER BY due_on{way}, id{way} LIMIT :per")
    return page.columns(_cases.c.id, _cases.c.due_on).subquery("page")


@functools.lru_cache(maxsize=4)
def _due_scan_page(descending: bool):
    """(id, due_on) of the page, walking the due-date index and keeping the subtree's cases until `per` have
    matched. The org is checked by a correlated EXISTS on its primary key, case by case: as a join, SQLite
    would first build a filter over every org (a Bloom filter) and the planners could read the subtree
    first and sort it. Parameters: today, per, root."""
    in_tree = exists().where(_orgs.c.id == _cases.c.branch_id, in_subtree(_orgs.c.path, _ROOT))
    return (select(_cases.c.id, _cases.c.due_on)
            .where(IS_OPEN, _cases.c.due_on < bindparam("today", type_=Date), in_tree)
            .order_by(*_by_due(_cases.c, descending)).limit(bindparam("per", type_=Integer)).subquery("page"))


def overdue_page(session: Session, root_path: str, today: date, *, sort: str = "due", descending: bool = False,
                 limit: int = PAGE, extra_columns: tuple = (), extra_params: dict | None = None,
                 strategy: str | None = None) -> list:
    """Rows of PAGE_COLUMNS + `extra_columns` (expressions over cases, members, orgs, whose parameters are
    `extra_params`): the first `limit` open cases in the subtree at `root_path` due before `today`, in `sort`
    order then by id. `strategy` forces one (tests compare them); by default the cheapest for the subtree is
    chosen. Pass extra columns built once (the same objects each call): the statement is built once per
    strategy, order and extra columns."""
    query, params = page_query(session, root_path, today, sort=sort, descending=descending, limit=limit,
                               extra_columns=extra_columns, strategy=strategy)
    return connection_of(session).execute(query, params | (extra_params or {})).all()


def page_query(session: Session, root_path: str, today: date, *, sort: str = "due", descending: bool = False,
               limit: int = PAGE, extra_columns: tuple = (), strategy: str | None = None) -> tuple:
    """(the SELECT overdue_page runs, its parameters), after one small read of the subtree's orgs that
    chooses the strategy."""
    chosen, org_ids = choose(session, root_path, sort)
    if strategy is not None:
        if strategy not in STRATEGIES or (strategy != "sort" and sort != "due"):
            raise ValueError(f"strategy {strategy} cannot sort by {sort}")
        if strategy == "per_branch" and chosen != "per_branch":
            org_ids = list(session.execute(_SUBTREE_IDS, {"root": root_path}).scalars())
        chosen = strategy
    if chosen == "per_branch" and not org_ids:  # no org at that path: an empty page, however it is read
        chosen = "due_scan"
    params = {"today": today, "per": limit, "root": root_path}
    if chosen == "sort":
        return _sorted_page(sort, descending, extra_columns), params
    if chosen == "per_branch":
        dialect = session.get_bind().dialect.name
        page = _per_branch_page(dialect, 0 if dialect == "postgresql" else len(org_ids), descending)
        params |= {"org_ids": org_ids} if dialect == "postgresql" else {f"b{i}": o for i, o in enumerate(org_ids)}
    else:
        page = _due_scan_page(descending)
    return _joined_page(page, descending, extra_columns), params


_JOINED = _cases.join(_members, _members.c.id == _cases.c.member_id).join(_orgs, _orgs.c.id == _cases.c.branch_id)


@functools.lru_cache(maxsize=64)
def _sorted_page(sort: str, descending: bool, extra_columns: tuple):
    """The subtree's whole overdue backlog sorted by `sort`, cut to `per`. Parameters: today, root, per."""
    return (select(*PAGE_COLUMNS, *extra_columns).select_from(_JOINED)
            .where(IS_OPEN, _cases.c.due_on < bindparam("today", type_=Date), in_subtree(_orgs.c.path, _ROOT))
            .order_by(*_ordered(SORTS[sort], descending)).limit(bindparam("per", type_=Integer)))


@functools.lru_cache(maxsize=64)
def _joined_page(page, descending: bool, extra_columns: tuple):
    """The page's cases with their members and orgs: the page is cut before the join, so the members and
    orgs of only `per` cases are read."""
    return (select(*PAGE_COLUMNS, *extra_columns).select_from(page.join(_JOINED, _cases.c.id == page.c.id))
            .order_by(*_by_due(page.c, descending)))
