"""Queries over the organisation tree: subtrees as path ranges, and who answers for a branch."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, bindparam, select
from sqlalchemy.orm import Session

from models import Org
from statemachines.codes import UPPER_LEVELS
from statemachines.errors import BadInput

from .prepared import connection_of


_PAST_SUBTREE = "\x7f"  # after every path that starts with the prefix


def in_subtree(path_column, prefix: str):
    """`path_column` lies in the subtree whose root has path `prefix` (an index range scan)."""
    return and_(path_column >= prefix, path_column < prefix + _PAST_SUBTREE)


def in_subtree_bound(path_column, name: str = "subtree"):
    """in_subtree with the prefix as parameters, for a statement built once: their values are
    `subtree_bounds(prefix, name)`."""
    return and_(path_column >= bindparam(f"{name}_from", type_=String),
                path_column < bindparam(f"{name}_to", type_=String))


def subtree_bounds(prefix: str, name: str = "subtree") -> dict[str, str]:
    return {f"{name}_from": prefix, f"{name}_to": prefix + _PAST_SUBTREE}


@dataclass(frozen=True)
class OrgRef:
    id: int
    code: str
    name: str
    level: str
    path: str


@dataclass(frozen=True)
class BranchChain:
    """A branch and the orgs that answer for its cases (DOMAIN.md §6.1), plus every ancestor."""
    branch: OrgRef
    committee: OrgRef | None
    upper: OrgRef | None
    ancestors: tuple[OrgRef, ...]  # from the branch's parent up to the root

    def recipients(self) -> list[OrgRef]:
        """The alert recipient chain: branch, committee, upper org department, then each ancestor above."""
        chain = [self.branch]
        for org in (self.committee, self.upper):
            if org is not None and org not in chain:
                chain.append(org)
        top = chain[-1]
        chain += [a for a in self.ancestors if len(a.path) < len(top.path)]
        return chain


def ref(org: Org) -> OrgRef:
    return OrgRef(org.id, org.code, org.name, org.level, org.path)


_ORG_BY_CODE = select(Org).where(Org.code == bindparam("code", type_=String))  # built once (parameter: code)


def unknown_org(code: str) -> BadInput:
    return BadInput(f"未知组织代码 {code}", f"unknown org code {code}")


def org_by_code(session: Session, code: str) -> Org:
    org = session.scalar(_ORG_BY_CODE, {"code": code})
    if org is None:
        raise unknown_org(code)
    return org


# Built once so SQLAlchemy reuses their cache keys and compiled forms (the id list is an expanding parameter).
# Table columns, executed on the session's connection: plain rows, no ORM layer.
_orgs = Org.__table__
_ORG_PATH = select(_orgs.c.path).where(_orgs.c.id == bindparam("org_id"))
ORG_REF_COLUMNS = (_orgs.c.id, _orgs.c.code, _orgs.c.name, _orgs.c.level, _orgs.c.path)  # OrgRef's fields, in order
_ORGS_BY_ID = select(*ORG_REF_COLUMNS).where(_orgs.c.id.in_(bindparam("ids", expanding=True)))
_ORG_REF_BY_CODE = select(*ORG_REF_COLUMNS).where(_orgs.c.code == bindparam("code", type_=String))


def org_ref_by_code(session: Session, code: str) -> OrgRef:
    """org_by_code's org as an OrgRef (a read-only page needs no ORM object)."""
    row = connection_of(session).execute(_ORG_REF_BY_CODE, {"code": code}).first()
    if row is None:
        raise unknown_org(code)
    return OrgRef(*row)


def orgs_on_path(session: Session, path: str) -> dict[int, OrgRef]:
    """The org at `path` and its ancestors, by id, in one query."""
    return {row[0]: OrgRef(*row) for row in connection_of(session).execute(_ORGS_BY_ID, {"ids": path_ids(path)})}


def path_ids(path: str) -> list[int]:
    """The org ids on a materialised path, from the root down to the org itself."""
    return [int(p) for p in path.strip("/").split("/")]


def org_path(session: Session, org_id: int) -> str:
    return connection_of(session).scalar(_ORG_PATH, {"org_id": org_id})


def branch_chain(session: Session, branch_id: int) -> BranchChain:
    return branch_chain_at(session, org_path(session, branch_id))


def branch_chain_at(session: Session, branch_path: str) -> BranchChain:
    """The chain of the branch whose materialised path is `branch_path`: the branch and its ancestors are
    the ids on that path, so one query loads them all (a caller that read the path with the case saves
    another round trip)."""
    return chain_on_path(branch_path, orgs_on_path(session, branch_path).values())


def chain_on_path(branch_path: str, orgs) -> BranchChain:
    """The chain of the branch at `branch_path`, given (at least) the orgs on that path as OrgRefs."""
    ids = path_ids(branch_path)
    by_id = {org.id: org for org in orgs}
    return chain_from(by_id[ids[-1]], tuple(by_id[i] for i in reversed(ids[:-1])))


def chain_from(branch: OrgRef, ancestors: tuple[OrgRef, ...]) -> BranchChain:
    """The chain of `branch` given its ancestors from the parent up (no query: the sweep loads the tree once)."""
    committee = next((a for a in ancestors if a.level == "committee"), ancestors[0] if ancestors else None)
    upper = None
    if committee is not None:
        upper = next((a for a in ancestors if len(a.path) < len(committee.path) and a.level in UPPER_LEVELS), None)
    return BranchChain(branch, committee, upper, ancestors)
