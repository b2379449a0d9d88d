"""Who may import what, and where. The local operator (the CLI without --actor) imports anywhere; a user
imports only inside the subtrees of their grants for that kind of file: orgs and members files need an
admin grant, a contacts file an admin or branch-officer grant (as `contact add` does, DOMAIN.md §6.1).

Inside a scoped import an org, branch or member outside those subtrees is treated exactly like one that
does not exist, with the one reason OUTSIDE: a refusal never tells what lies outside."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_
from sqlalchemy.orm import Session

from statemachines.codes import ROLES
from statemachines.errors import Refused

from ..orgtree import in_subtree
from ..permissions import load_actor

IMPORT_ROLES: dict[str, tuple[str, ...]] = {"orgs": ("admin",), "members": ("admin",),
                                            "contacts": ("admin", "branch_officer"),
                                            "persons": ("admin", "cadre_supervisor"),
                                            "police_holdings": ("admin", "exit_entry_liaison"),
                                            "police_crossings": ("admin", "exit_entry_liaison")}
KIND_LABELS = {"orgs": "组织", "members": "党员名册", "contacts": "联系记录", "persons": "人员（证件管理）",
               "police_holdings": "公安持证记录", "police_crossings": "公安出入境记录"}
OUTSIDE = ("不在您的管理范围内或不存在", "outside your subtrees or does not exist")


@dataclass(frozen=True)
class Scope:
    """The org paths a user's import may touch, and the grant it is recorded against (the audit log)."""
    paths: tuple[str, ...]
    org_id: int

    def sql(self, path_column):
        return or_(*(in_subtree(path_column, path) for path in self.paths))

    def covers(self, path: str | None) -> bool:
        return path is not None and any(path.startswith(prefix) for prefix in self.paths)


def kinds_for_roles(roles: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The kinds of file a user with these roles may import (what the web form offers)."""
    return tuple(kind for kind, allowed in IMPORT_ROLES.items() if roles & set(allowed))


def import_scope(session: Session, login: str | None, kind: str) -> Scope | None:
    """None for the local operator (the whole tree); else the user's scope, or Refused saying why."""
    if login is None:
        return None
    actor = load_actor(session, login)
    roles = IMPORT_ROLES[kind]
    grants = [g for g in actor.grants if g.role in roles]
    if not grants:
        names = "或".join(ROLES[r] for r in roles)
        raise Refused(f"导入{KIND_LABELS[kind]}须由{names}执行，{actor.person()}没有该角色",
                      f"importing {kind} needs role {'/'.join(roles)}; {login} has none")
    return Scope(tuple(g.org_path for g in grants), grants[0].org_id)
