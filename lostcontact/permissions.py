"""Who may do what where (DOMAIN.md §6.1): grants are (role, org subtree)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

from sqlalchemy import Integer, bindparam, literal_column, null, or_, select, union_all
from sqlalchemy.orm import Session

from models import Grant, Org, User
from statemachines.codes import ORG_LEVELS, ROLES, UPPER_LEVELS
from statemachines.errors import Refused
from statemachines.case_states import TRIGGERS

from .orgtree import (ORG_REF_COLUMNS, BranchChain, OrgRef, branch_chain_at, chain_on_path, in_subtree,
                      in_subtree_bound, path_ids, subtree_bounds)
from .prepared import Prepared, connection_of

# the org levels at which each role may be granted; None: anywhere
GRANT_LEVELS = {
    "branch_officer": ("branch",),
    "committee_reviewer": ("committee", "general_branch"),
    "upper_reviewer": UPPER_LEVELS,
    "supervisor": None,
    "admin": None,
    # the travel-documents programme (PROGRAMMES.md §8): any org, a subtree like every grant
    "cadre_supervisor": None,
    "discipline_officer": None,
    "exit_entry_liaison": None,
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
    name: str | None = None  # users.name

    @property
    def is_operator(self) -> bool:
        return self.login is None

    def label(self) -> str:
        return self.login or "operator"

    def person(self) -> str:
        """How a Chinese sentence names the user: by name (a login only marked as one without a name), as
        pages do (queries.people.person_label); the English sentence keeps the login the CLI's --actor takes."""
        from .queries.people import person_label

        return person_label(self.label(), self.name)


OPERATOR = Actor(None)

# What a refusal calls an action in Chinese (the CLI's command names stay in the English text).
ACTION_LABELS = {"case open": "立案", "case log": "记录查找情况", "contact add": "记录联系情况", "queue": "办理待办",
                 **TRIGGERS}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def case_out_of_scope(case_id: int, actor: Actor) -> Refused:
    """The one answer about a case outside the actor's subtrees, whatever was asked of it."""
    return Refused(f"案件 {case_id} 不在{actor.person()}的授权范围内",
                   f"case {case_id} is outside {actor.login}'s subtrees")


# The user and every grant in one round trip (a user without grants is one row of NULLs), built once so
# SQLAlchemy reuses its cache key and compiled form on every call. Each row: kind 0, grant id, role, the
# user's name, then the granted org as an OrgRef.
_users, _grants, _orgs = User.__table__, Grant.__table__, Org.__table__
_USER_GRANTS = (select(literal_column("0", Integer).label("kind"), _grants.c.id.label("grant_id"), _grants.c.role,
                       _users.c.name.label("user_name"), *ORG_REF_COLUMNS)
                .select_from(_users).outerjoin(_grants, _grants.c.user_id == _users.c.id)
                .outerjoin(_orgs, _orgs.c.id == _grants.c.org_id).where(_users.c.login == bindparam("login")))
_USER_GRANTS_IN_ORDER = _USER_GRANTS.order_by(_grants.c.id)
# ... and, for an action on a case, the orgs on its branch's path in the same round trip (kind 1 rows).
_USER_GRANTS_AND_CHAIN = union_all(
    _USER_GRANTS,
    select(literal_column("1", Integer), null(), null(), null(), *ORG_REF_COLUMNS)
    .where(_orgs.c.id.in_(bindparam("ids", expanding=True))),
).order_by("kind", "grant_id")
# The same as a prepared statement (lostcontact.prepared) for the hot paths, one per length of path (a
# prepared statement takes no expanding list; NULL-padded slots made SQLite build its IN-list for nothing),
# unordered: the rows are sorted here (SQLite's sorter cost a quarter of the statement for a dozen rows).
_CHAIN_SLOTS = 16


@lru_cache(maxsize=_CHAIN_SLOTS)
def _user_grants_and_chain(orgs: int) -> Prepared:
    return Prepared(union_all(
        _USER_GRANTS,
        select(literal_column("1", Integer), null(), null(), null(), *ORG_REF_COLUMNS)
        .where(_orgs.c.id.in_([bindparam(f"org{i}", type_=Integer) for i in range(orgs)]))))


def _actor(login: str, rows) -> Actor:
    if not rows:
        raise Refused(f"未知用户 {login}", f"unknown actor {login}")
    return Actor(login, tuple(GrantRef(row.role, row.id, row.code, row.path, row.level)
                              for row in rows if row.role is not None), rows[0].user_name)


def load_actor(session: Session, login: str | None) -> Actor:
    if login is None:
        return OPERATOR
    return _actor(login, connection_of(session).execute(_USER_GRANTS_IN_ORDER, {"login": login}).all())


def load_actor_and_chain(session: Session, login: str | None, branch_path: str) -> tuple[Actor, BranchChain]:
    """`load_actor` and `orgtree.branch_chain_at(branch_path)` in one round trip: every action on a case
    needs both, and they are independent reads."""
    if login is None:
        return OPERATOR, branch_chain_at(session, branch_path)
    ids = path_ids(branch_path)
    if len(ids) <= _CHAIN_SLOTS:
        params = {f"org{i}": org_id for i, org_id in enumerate(ids)}
        params["login"] = login
        rows = _user_grants_and_chain(len(ids)).run(connection_of(session), params).rows
    else:
        rows = connection_of(session).execute(_USER_GRANTS_AND_CHAIN, {"login": login, "ids": ids}).all()
    # grants in the order they were given (grant_for takes the first that fits); a user without any is one row
    actor = _actor(login, sorted((row for row in rows if row.kind == 0), key=attrgetter("grant_id")))
    return actor, chain_on_path(branch_path, (OrgRef(*row[4:]) for row in rows if row.kind == 1))


def check_grantable(role: str, level: str, org_code: str, org_name: str | None = None) -> None:
    if role == "system":
        raise Refused("system 角色为内置角色，不能授予", "the system role is built in and cannot be granted")
    if role not in ROLES:
        raise Refused(f"未知角色 {role}", f"unknown role {role}")
    levels = GRANT_LEVELS[role]
    if levels is not None and level not in levels:
        raise Refused(f"“{ROLES[role]}”不能授予在{ORG_LEVELS.get(level, level)}一级的组织{org_name or org_code}"
                      f"（只能授予在{'、'.join(ORG_LEVELS.get(v, v) for v in levels)}）",
                      f"role {role} cannot be granted at {level} org {org_code} (needs {'/'.join(levels)})")


def _covers(grant: GrantRef, org_path: str | None) -> bool:
    return org_path is not None and org_path.startswith(grant.org_path)


def grant_for(actor: Actor, roles: tuple[str, ...], chain: BranchChain, action: str) -> GrantRef:
    """The actor's grant that allows `action` on a case of `chain.branch`, or Refused saying why."""
    if actor.is_operator:
        raise Refused(f"{action_label(action)}需要指定办理用户", f"{action} needs --actor")
    for grant in actor.grants:
        if grant.role not in roles:
            continue
        anchor = {"branch_officer": chain.branch.path, "committee_reviewer": chain.committee and chain.committee.path,
                  "upper_reviewer": chain.upper and chain.upper.path}.get(grant.role, chain.branch.path)
        if _covers(grant, anchor):
            return grant
    role_names = "、".join(ROLES[r] for r in roles)
    if any(g.role in roles for g in actor.grants):
        # the branch is named only when the actor may see it: a refusal never reveals what lies outside
        branch = f"党支部 {chain.branch.name}" if may_see_org(actor, chain.branch.path) else "该党支部"
        raise Refused(f"{actor.person()}作为{role_names}的授权范围不包含{branch}，不能{action_label(action)}",
                      f"{actor.login} has no {'/'.join(roles)} grant over branch "
                      f"{chain.branch.code if may_see_org(actor, chain.branch.path) else '(outside)'} ({action})")
    raise Refused(f"{action_label(action)}须由{role_names}办理，{actor.person()}没有该角色",
                  f"{action} needs role {'/'.join(roles)}; {actor.login} has none")


def scope_filter(actor: Actor, path_column):
    """A WHERE clause limiting rows to the actor's subtrees (None for the operator: the whole tree)."""
    if actor.is_operator:
        return None
    if not actor.grants:
        return path_column == _NOWHERE
    return or_(*(in_subtree(path_column, g.org_path) for g in actor.grants))


_NOWHERE = "\x00"  # no org's path: a user with no grant sees nothing


def scope_shape(actor: Actor) -> int | None:
    """What scope_filter_bound's statement depends on: None for the operator, else the number of subtrees."""
    return None if actor.is_operator else len(actor.grants)


def scope_filter_bound(shape: int | None, path_column):
    """scope_filter with the subtrees' bounds as parameters, for a statement built once per `scope_shape`;
    their values are `scope_bounds(actor)`."""
    if shape is None:
        return None
    if not shape:
        return path_column == _NOWHERE
    return or_(*(in_subtree_bound(path_column, f"scope{i}") for i in range(shape)))


def scope_bounds(actor: Actor) -> dict[str, str]:
    bounds: dict[str, str] = {}
    for i, grant in enumerate(actor.grants):
        bounds |= subtree_bounds(grant.org_path, f"scope{i}")
    return bounds


def top_grant(actor: Actor) -> GrantRef:
    """The highest of the actor's grants (the first one when they sit side by side): the org the web pages
    (超期预警, the tally) open on when none is chosen."""
    if not actor.grants:
        raise Refused(f"{actor.person()}没有任何授权", f"{actor.login} has no grant")
    return min(actor.grants, key=lambda g: (g.org_path.count("/"), g.org_path))


def may_see_org(actor: Actor, org_path: str) -> bool:
    return actor.is_operator or any(org_path.startswith(g.org_path) for g in actor.grants)


def may_see_full_id(actor: Actor, branch_path: str) -> bool:
    """Full ID numbers: an admin over the member's branch, or that branch's officer."""
    return any(g.role in ("admin", "branch_officer") and branch_path.startswith(g.org_path) for g in actor.grants)
