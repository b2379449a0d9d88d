"""The scope of the case lists and the search: which subtrees, and how a query is limited to them so that
it stays index-bound at any size (see case_lists for the lists that use it)."""
from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from models import Org
from statemachines.errors import BadInput

from ..orgtree import in_subtree
from ..permissions import Actor, may_see_org

PER_BRANCH_MAX = 300  # as queries.overdue_page: past this many orgs, walk an index in the list's order
NO_ORG = "/-/"  # a path no org has (org paths are ids): the subtree of a user without any grant
ORG_CHOICES = 300  # the org filter offers the highest orgs of the scope first, at most this many


def scoped_org(session: Session, actor: Actor, code: str) -> Org:
    """The org of the filter; one outside the actor's subtrees is answered exactly as an unknown code."""
    org = None if any(ord(ch) < 32 for ch in code) else session.scalar(select(Org).where(Org.code == code))
    if org is None or not may_see_org(actor, org.path):
        raise BadInput(f"未知组织代码 {code}", f"unknown org code {code}")
    return org


def grant_roots(session: Session, actor: Actor) -> list[str] | None:
    """The paths of the actor's subtrees, none inside another (None: the whole tree, no condition needed)."""
    if actor.is_operator:
        return None
    roots: list[str] = []
    for path in sorted(g.org_path for g in actor.grants):
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    if not roots:
        return [NO_ORG]  # no grant: nothing
    tops = session.scalars(select(Org.path).where(Org.parent_id.is_(None))).all()
    return None if set(tops) <= set(roots) else roots  # every root granted: no condition at all


def in_roots(roots: list[str], branch_column):
    """The case's branch lies in one of the subtrees, checked case by case on the org's primary key: a
    correlated EXISTS, so that the planners walk the sort order's index instead of reading the subtree."""
    org = Org.__table__.alias("scope_org")  # its own alias: the query around may join orgs for the names
    return exists().where(org.c.id == branch_column, or_(*(in_subtree(org.c.path, root) for root in roots)))


def subtree_ids(session: Session, roots: list[str] | None) -> list[int] | None:
    """The org ids of the subtrees when there are at most PER_BRANCH_MAX of them (None: more, or the
    whole tree)."""
    if roots is None:
        return None
    ids = list(session.scalars(select(Org.id).where(or_(*(in_subtree(Org.path, r) for r in roots)))
                               .limit(PER_BRANCH_MAX + 1)))
    return ids if len(ids) <= PER_BRANCH_MAX else None


def branch_scope(roots: list[str] | None, ids: list[int] | None, branch_column):
    """A small subtree is `branch IN (its orgs)`: its rows read per branch, few however large the table;
    a larger one is checked row by row (in_roots) while an index is walked in the list's order, until the
    page is full. None: the whole tree."""
    if ids is not None:
        return branch_column.in_(ids)
    return in_roots(roots, branch_column) if roots is not None else None


def org_choices(session: Session, actor: Actor) -> tuple[tuple[str, str, int], ...]:
    """The orgs of the actor's subtrees for the org filter: level by level from the granted orgs down
    (each level one read of the parent index), at most ORG_CHOICES, shown in tree order."""
    level = list(session.execute(select(Org.id, Org.code, Org.name, Org.path).where(
        Org.id.in_([g.org_id for g in actor.grants]))).all()) if not actor.is_operator else \
        list(session.execute(select(Org.id, Org.code, Org.name, Org.path).where(Org.parent_id.is_(None))).all())
    seen = {row.id for row in level}
    chosen = list(level)
    while level and len(chosen) < ORG_CHOICES:
        level = [row for row in session.execute(
            select(Org.id, Org.code, Org.name, Org.path).where(Org.parent_id.in_([r.id for r in level]))
            .order_by(Org.path).limit(ORG_CHOICES - len(chosen))) if row.id not in seen]
        seen.update(row.id for row in level)
        chosen += level
    top = min((r.path.count("/") for r in chosen), default=0)
    return tuple((r.code, r.name, r.path.count("/") - top) for r in sorted(chosen, key=lambda r: r.path))
