"""超期预警's list of a past day: one page of the cases overdue on that day, from the spans of models.case_steps
standing on it, in the columns and orders of overdue_page.

By due date in a subtree of more than PER_BRANCH_MAX orgs, the page walks ix_case_steps_cell_due in due
order, once in the day's cell and once among the running spans, checking each span's org on its key, and
stops when `limit` have been met in each (as overdue_page's due_scan). Otherwise it reads the subtree's
spans of the day branch by branch (ix_case_steps_branch_cell, as the counts do) and sorts them; in both
the page is cut before a case or member row is read."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, exists, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from models import Case, CaseStep, Member, Org
from models.case_steps import RUNNING, cell_of

from ..orgtree import in_subtree
from .lights import Lights
from .overdue_page import choose

_steps = CaseStep.__table__.c


def overdue_then(session: Session, then, root_path: str, day: date, sort: str, descending: bool, limit: int,
                 lights: Lights) -> list:
    """`then`: the spans standing on `day` (overdue.CaseSource.as_of's table: id, branch_id, state, due_on)."""
    if choose(session, root_path, sort)[0] == "due_scan":
        page = _walked_by_due(root_path, day, descending, limit)
        order = [page.c.due_on, page.c.id]
    else:
        page, order = _sorted(then, root_path, day, sort, descending, limit)
    order = [c.desc() if descending else c for c in order]
    return session.execute(
        select(page.c.id, page.c.state, Case.opened_on, page.c.due_on, Member.name, Member.id_number, Org.code,
               Org.name, lights.sql(page.c.due_on))
        .select_from(page).join(Case, Case.id == page.c.id).join(Member, Member.id == Case.member_id)
        .join(Org, Org.id == Case.branch_id).order_by(*order).limit(limit)).all()


def _sorted(then, root_path: str, day: date, sort: str, descending: bool, limit: int):
    c = then.c
    branch = aliased(Org)
    keys = {"due": (c.due_on,), "branch": (branch.code, c.due_on), "state": (c.state, c.due_on),
            "opened": (Case.opened_on,), "case": ()}[sort]
    page = (select(c.id, c.state, c.due_on, *(k.label(f"key{i}") for i, k in enumerate(keys)))
            .select_from(then).join(branch, branch.id == c.branch_id)
            .where(c.due_on < day, in_subtree(branch.path, root_path))
            .order_by(*[k.desc() if descending else k for k in (*keys, c.id)]).limit(limit))
    if sort == "opened":
        page = page.join(Case, Case.id == c.id)
    page = page.subquery("page")
    return page, [page.c[f"key{i}"] for i in range(len(keys))] + [page.c.id]


def _walked_by_due(root_path: str, day: date, descending: bool, limit: int):
    in_tree = exists().where(Org.id == _steps.branch_id, in_subtree(Org.path, root_path))
    order = [_steps.due_on, _steps.case_id]

    def walk(cell: int):
        return (select(_steps.case_id.label("id"), _steps.state, _steps.due_on)
                .where(_steps.cell == literal(cell, Integer), _steps.due_on < day, _steps.entered_on <= day,
                       or_(_steps.left_on > day, _steps.left_on.is_(None)), in_tree)
                .order_by(*[k.desc() if descending else k for k in order]).limit(limit).subquery())
    arms = [walk(cell) for cell in (cell_of(day), RUNNING)]
    return union_all(*(select(arm.c.id, arm.c.state, arm.c.due_on) for arm in arms)).subquery("page")
