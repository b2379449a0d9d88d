"""全部案件 / 已办 / 已办结: one page of the cases of the actor's subtrees, filtered and sorted, with a total
that is counted only up to COUNT_CAP (past it the page says "1000+": counting a province's every case
would read the whole subtree, and nobody pages through a thousand cases — they narrow the filters).

Every list is the cases whose branch lies in the actor's subtrees (the same scope as `case show`):

- all:  every case, any state;
- mine: the cases the actor acted on (a transition or a search-log entry: ix_case_events_actor and
        ix_search_entries_actor, so the cost follows the actor's own work, not the table);
- done: closed, deceased and voided cases.

Paging is by offset with a bounded page size, and at most COUNT_CAP / PAGE_SIZE pages: the deepest page
reads COUNT_CAP rows. Filters and sort travel in the query string; they never name a person.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterator

from sqlalchemy import and_, func, literal, select, union, union_all
from sqlalchemy.orm import Session

from models import Case, CaseEvent, Member, Org, SearchEntry
from models.db import Database
from statemachines.dispositions import DISPOSITIONS
from statemachines.clocks import last_due_escalated, last_due_reminded
from statemachines.errors import UsageError
from statemachines.case_states import OPEN_STATES, STATES, TERMINAL_OR_CLOSED

from ..masking import mask_id
from ..permissions import Actor, load_actor
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .case_scope import branch_scope, grant_roots, org_choices, scoped_org, subtree_ids
from .lights import ORDER as LIGHT_ORDER, Lights

VIEWS = {"all": "全部案件", "mine": "已办", "done": "已办结"}
SORTS = {"activity": "最近办理", "due": "期限", "opened": "立案日期", "case": "案件编号"}
PAGE_SIZE = 50
COUNT_CAP = 1000
MAX_PAGE = COUNT_CAP // PAGE_SIZE
EXPORT_MAX = 10_000


@dataclass(frozen=True)
class ListFilters:
    view: str = "all"
    state: str | None = None
    disposition: str | None = None
    light: str | None = None
    org: str | None = None                   # an org code of my scope: the cases of its subtree
    opened_from: date | None = None
    opened_to: date | None = None
    sort: str = "activity"
    descending: bool = True
    page: int = 1

    def check(self) -> "ListFilters":
        for value, allowed, zh, en in ((self.view, VIEWS, "列表", "list"), (self.sort, SORTS, "排序", "sort"),
                                       (self.state, STATES, "状态", "state"),
                                       (self.disposition, DISPOSITIONS, "处置", "disposition"),
                                       (self.light, LIGHT_ORDER, "信号灯", "light")):
            if value is not None and value not in allowed:
                raise UsageError(f"未知{zh}：{value}", f"unknown {en}: {value}")
        if self.opened_from and self.opened_to and self.opened_from > self.opened_to:
            raise UsageError("立案日期的起始日不能晚于截止日", "the opened-from date is after the opened-to date")
        if not 1 <= self.page <= MAX_PAGE:
            raise UsageError(f"页码应在 1 到 {MAX_PAGE} 之间，请用筛选缩小范围",
                             f"the page must be between 1 and {MAX_PAGE}: narrow the filters")
        return self

    def query(self, **changes) -> dict[str, str]:
        """The query-string items of these filters (defaults left out), with `changes` applied."""
        f = replace(self, **changes)
        items = {"view": f.view if f.view != "all" else None, "state": f.state, "disposition": f.disposition, "light": f.light, "org": f.org,
                 "from": f.opened_from and f.opened_from.isoformat(), "to": f.opened_to and f.opened_to.isoformat(),
                 "sort": f.sort, "dir": "desc" if f.descending else "asc", "page": str(f.page) if f.page > 1 else None}
        return {k: v for k, v in items.items() if v}


@dataclass(frozen=True)
class CaseRow:
    id: int
    member_id: int
    member_name: str
    member_id_number_masked: str
    branch_code: str
    branch_name: str
    state: str
    state_label: str
    disposition: str | None
    disposition_label: str | None
    opened_on: date
    last_event_on: date
    closed_on: date | None
    due_on: date | None
    days_left: int | None
    light: str | None

    def as_json(self) -> dict:
        return {"id": self.id, "member_id": self.member_id, "member_name": self.member_name,
                "member_id_number_masked": self.member_id_number_masked, "branch_code": self.branch_code,
                "branch_name": self.branch_name, "state": self.state, "state_label": self.state_label,
                "disposition": self.disposition, "disposition_label": self.disposition_label,
                "opened_on": self.opened_on.isoformat(), "last_event_on": self.last_event_on.isoformat(),
                "closed_on": _iso(self.closed_on), "due_on": _iso(self.due_on), "days_left": self.days_left,
                "light": self.light}


@dataclass(frozen=True)
class CasePage:
    filters: ListFilters
    rows: tuple[CaseRow, ...]
    total: int                                   # exact up to COUNT_CAP
    more: bool                                   # more than COUNT_CAP cases match
    orgs: tuple[tuple[str, str, int], ...] = field(default=())  # (code, name, depth) for the org filter

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // PAGE_SIZE)))

    def as_json(self) -> dict:
        return {"view": self.filters.view, "total": self.total, "total_capped": self.more,
                "page": self.filters.page, "pages": self.pages, "page_size": PAGE_SIZE,
                "cases": [row.as_json() for row in self.rows]}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


ROW_COLUMNS = (Case.id, Case.member_id, Member.name, Member.id_number, Org.code, Org.name, Case.state,
               Case.disposition, Case.opened_on, Case.last_event_on, Case.closed_on, Case.due_on)
IS_OPEN = Case.state.in_(OPEN_STATES)


def light_condition(lights: Lights, light: str):
    """The cases showing `light` today, as ranges of the due date (the same thresholds as Lights.sql)."""
    escalated_by, reminded_by = last_due_escalated(lights.today, lights.lag), last_due_reminded(lights.today, lights.lead)
    ranges = {"escalated": Case.due_on <= escalated_by,
              "red": and_(Case.due_on > escalated_by, Case.due_on < lights.today),
              "yellow": and_(Case.due_on >= lights.today, Case.due_on <= reminded_by),
              "green": Case.due_on > reminded_by}
    return and_(IS_OPEN, ranges[light])


def acted_on(login: str):
    """The ids of the cases `login` acted on: a transition or a search-log entry (both indexed by actor)."""
    return union(select(CaseEvent.case_id).where(CaseEvent.actor == login),
                 select(SearchEntry.case_id).where(SearchEntry.actor == login))


def _roots(session: Session, actor: Actor, f: ListFilters) -> list[str] | None:
    """The subtrees the list covers: the filter's org, else the actor's grants (None: the whole tree)."""
    return [scoped_org(session, actor, f.org).path] if f.org else grant_roots(session, actor)


def conditions(session: Session, actor: Actor, lights: Lights, f: ListFilters) -> list:
    roots = _roots(session, actor, f)
    return _filters(actor, lights, f, branch_scope(roots, subtree_ids(session, roots), Case.branch_id))


def _filters(actor: Actor, lights: Lights, f: ListFilters, scope) -> list:
    conds = [scope] if scope is not None else []
    if f.view == "mine":
        conds.append(Case.id.in_(acted_on(actor.login or "")))
    elif f.view == "done":
        conds.append(Case.state.in_(TERMINAL_OR_CLOSED))
    if f.state:
        conds.append(Case.state == f.state)
    if f.disposition:
        conds.append(Case.disposition == f.disposition)
    if f.light:
        conds.append(light_condition(lights, f.light))
    if f.opened_from:
        conds.append(Case.opened_on >= f.opened_from)
    if f.opened_to:
        conds.append(Case.opened_on <= f.opened_to)
    return conds


def _keys(sort: str, descending: bool, columns=Case.__table__.c) -> list:
    names = {"activity": ("last_event_on", "id"), "opened": ("opened_on", "id"), "case": ("id",),
             "due": ("due_on", "id")}[sort]
    keys = [columns[name] for name in names]
    return [k.desc() for k in keys] if descending else keys


def page_ids(conds: list, sort: str, descending: bool, offset: int, limit: int):
    """The SELECT of the page's case ids in order. By due date, the cases with one (the open cases) come
    first in either direction: two arms, each read in its index's order and cut, merged and cut again."""
    if sort != "due":
        return select(Case.id).where(*conds).order_by(*_keys(sort, descending)).offset(offset).limit(limit)
    cases = Case.__table__
    dated = (select(cases.c.id, cases.c.due_on, literal(0).label("undated")).where(*conds, cases.c.due_on.is_not(None))
             .order_by(*_keys("due", descending)).limit(offset + limit).subquery())
    undated = (select(cases.c.id, cases.c.due_on, literal(1).label("undated")).where(*conds, cases.c.due_on.is_(None))
               .order_by(*_keys("case", descending)).limit(offset + limit).subquery())
    both = union_all(select(dated), select(undated)).subquery()
    return (select(both.c.id).order_by(both.c.undated, *_keys("due", descending, both.c))
            .offset(offset).limit(limit))


def rows_of(session: Session, ids: list[int]) -> list:
    """The list's columns of these cases, in the order of `ids` (members and orgs read for the page only)."""
    if not ids:
        return []
    found = {row.id: row for row in session.execute(_joined(*ROW_COLUMNS).where(Case.id.in_(ids)))}
    return [found[i] for i in ids]


def _joined(*columns):
    return (select(*columns).select_from(Case).join(Org, Org.id == Case.branch_id)
            .join(Member, Member.id == Case.member_id))


def to_row(row, lights: Lights) -> CaseRow:
    (case_id, member_id, name, id_number, code, org_name, state, disposition, opened, last, closed, due) = row
    is_open = state in OPEN_STATES
    due = due if is_open else None
    return CaseRow(case_id, member_id, name, mask_id(id_number), code, org_name, state, STATES[state], disposition,
                   DISPOSITIONS[disposition].label if disposition in DISPOSITIONS else None, opened, last,
                   closed if state == "closed" else None, due, lights.days_left(due), lights.light(due))


def case_list(db: Database, *, actor_login: str, today: date, filters: ListFilters) -> CasePage:
    f = filters.check()
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        lights = Lights.of_policy(today, policy_as_of(s, today))
        conds = conditions(s, actor, lights, f)
        total = s.scalar(select(func.count()).select_from(select(Case.id).where(*conds).limit(COUNT_CAP + 1)
                                                          .subquery()))
        ids = list(s.scalars(page_ids(conds, f.sort, f.descending, (f.page - 1) * PAGE_SIZE, PAGE_SIZE)))
        rows = rows_of(s, ids)
        orgs = org_choices(s, actor)
    return CasePage(f, tuple(to_row(r, lights) for r in rows), min(total, COUNT_CAP), total > COUNT_CAP, orgs)


def export_rows(db: Database, *, actor_login: str, today: date, filters: ListFilters,
                limit: int = EXPORT_MAX) -> Iterator[CaseRow]:
    """Every matching case (up to `limit`) in the list's order, streamed: what the XLSX export writes."""
    f = replace(filters, page=1).check()
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        lights = Lights.of_policy(today, policy_as_of(s, today))
        ids = list(s.scalars(page_ids(conditions(s, actor, lights, f), f.sort, f.descending, 0, limit)))
        for start in range(0, len(ids), 500):
            for row in rows_of(s, ids[start:start + 500]):
                yield to_row(row, lights)

