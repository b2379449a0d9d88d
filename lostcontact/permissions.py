"""Who may do what where (DOMAIN.md §6.1): grants are (role, org subtree)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Grant, Org, User
from statemachines.codes import ROLES, UPPER_LEVELS
from statemachines.errors import Refused

from .orgtree import BranchChain, in_subtree

# the org levels at which each role may be granted; None: anywhere
GRANT_LEVELS = {
    "branch_officer": ("branch",),
    "committee_reviewer": ("committee", "general_branch"),
    "upper_reviewer": UPPER_LEVELS,
    "supervisor": None,
    "admin": None,
}


@dataclass(frozen=True)
class GrantRef:
    role: str
    org_id: int
    org_code: str
    org_path: str
    org_level: str


@dataclass(frozen=True)
class Actor:
    """The user a command runs as. `login is None` is the local operator: whole tree, ID numbers masked."""
    login: str | None
    grants: tuple[GrantRef, ...] = ()

    @property
    def is_operator(self) -> bool:
        return self.login is None

    def label(self) -> str:
        return self.login or "operator"


OPERATOR = Actor(None)


def load_actor(session: Session, login: str | None) -> Actor:
    if login is None:
        return OPERATOR
    user = session.scalar(select(User).where(User.login == login))
    if user is None:
        raise Refused(f"未知用户 {login}", f"unknown actor {login}")
    rows = session.execute(select(Grant.role, Org.id, Org.code, Org.path, Org.level)
                           .join(Org, Org.id == Grant.org_id).where(Grant.user_id == user.id)).all()
    return Actor(login, tuple(GrantRef(*row) for row in rows))


def check_grantable(role: str, level: str, org_code: str) -> None:
    if role == "system":
        raise Refused("system 角色为内置角色，不能授予", "the system role is built in and cannot be granted")
    if role not in ROLES:
        raise Refused(f"未知角色 {role}", f"unknown role {role}")
    levels = GRANT_LEVELS[role]
    if levels is not None and level not in levels:
        raise Refused(f"角色 {role} 不能授予在 {level} 层级的组织 {org_code}（应为 {'/'.join(levels)}）",
                      f"role {role} cannot be granted at {level} org {org_code} (needs {'/'.join(levels)})")


def _covers(grant: GrantRef, org_path: str | None) -> bool:
    return org_path is not None and org_path.startswith(grant.org_path)


def grant_for(actor: Actor, roles: tuple[str, ...], chain: BranchChain, action: str) -> GrantRef:
    """The actor's grant that allows `action` on a case of `chain.branch`, or Refused saying why."""
    if actor.is_operator:
        raise Refused(f"{action} 需要 --actor 指定用户", f"{action} needs --actor")
    for grant in actor.grants:
        if grant.role not in roles:
            continue
        anchor = {"branch_officer": chain.branch.path, "committee_reviewer": chain.committee and chain.committee.path,
                  "upper_reviewer": chain.upper and chain.upper.path}.get(grant.role, chain.branch.path)
        if _covers(grant, anchor):
            return grant
    role_names = "、".join(ROLES[r] for r in roles)
    if any(g.role in roles for g in actor.grants):
        raise Refused(f"用户 {actor.login} 的授权范围不包含党支部 {chain.branch.code}（{action}）",
                      f"{actor.login} has no {'/'.join(roles)} grant over branch {chain.branch.code} ({action})")
    raise Refused(f"{action} 须由{role_names}执行，用户 {actor.login} 没有该角色",
                  f"{action} needs role {'/'.join(roles)}; {actor.login} has none")


def scope_filter(actor: Actor, path_column):
    """A WHERE clause limiting rows to the actor's subtrees (None for the operator: the whole tree)."""
    if actor.is_operator:
        return None
    if not actor.grants:
        return path_column == "\x00"  # a user with no grant sees nothing
    return or_(*(in_subtree(path_column, g.org_path) for g in actor.grants))


def may_see_org(actor: Actor, org_path: str) -> bool:
    return actor.is_operator or any(org_path.startswith(g.org_path) for g in actor.grants)


def may_see_full_id(actor: Actor, branch_path: str) -> bool:
    """Full ID numbers: an admin over the member's branch, or that branch's officer."""
    return any(g.role in ("admin", "branch_officer") and branch_path.startswith(g.org_path) for g in actor.grants)
