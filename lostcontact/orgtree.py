"""Queries over the organisation tree: subtrees as path ranges, and who answers for a branch."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from models import Org
from statemachines.codes import UPPER_LEVELS
from statemachines.errors import BadInput


def in_subtree(path_column, prefix: str):
    """`path_column` lies in the subtree whose root has path `prefix` (an index range scan)."""
    return and_(path_column >= prefix, path_column < prefix + "\x7f")


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


def org_by_code(session: Session, code: str) -> Org:
    org = session.scalar(select(Org).where(Org.code == code))
    if org is None:
        raise BadInput(f"未知组织代码 {code}", f"unknown org code {code}")
    return org


def branch_chain(session: Session, branch_id: int) -> BranchChain:
    branch = session.get(Org, branch_id)
    ids = [int(p) for p in branch.path.strip("/").split("/")][:-1]
    by_id = {o.id: o for o in session.scalars(select(Org).where(Org.id.in_(ids)))} if ids else {}
    ancestors = tuple(ref(by_id[i]) for i in reversed(ids))
    committee = next((a for a in ancestors if a.level == "committee"), ancestors[0] if ancestors else None)
    upper = None
    if committee is not None:
        upper = next((a for a in ancestors if len(a.path) < len(committee.path) and a.level in UPPER_LEVELS), None)
    return BranchChain(ref(branch), committee, upper, ancestors)
