"""Which accounts an admin may manage: the one rule, used by every user service and listing.

An admin manages a user when the user holds at least one grant and every grant of theirs lies inside one of
the admin's own admin subtrees. Anyone else is, to that admin, a user who does not exist (the same answer
as an unknown login or id: a refusal never reveals what lies outside). The local operator (the CLI without
--actor) manages everyone.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, not_, or_, select
from sqlalchemy.orm import Session

from models import Grant, Org, User
from statemachines.errors import BadInput, Refused, UsageError

from ..orgtree import in_subtree
from ..permissions import Actor, load_actor

NOT_ADMIN = ("只有系统管理员可以管理用户", "only an admin can manage users")


def admin_paths(actor: Actor) -> list[str] | None:
    """The subtrees an actor administers (None: the operator, everywhere); Refused for a non-admin."""
    if actor.is_operator:
        return None
    paths = [g.org_path for g in actor.grants if g.role == "admin"]
    if not paths:
        raise Refused(*NOT_ADMIN)
    return paths


def load_admin(session: Session, actor_login: str | None) -> tuple[Actor, list[str] | None]:
    actor = load_actor(session, actor_login)
    return actor, admin_paths(actor)


def inside(path_column, paths: list[str]):
    return or_(*(in_subtree(path_column, p) for p in paths))


def managed_clause(paths: list[str] | None, user_id_column=User.id):
    """WHERE clause: the user (by `user_id_column`) is managed by an admin over `paths`."""
    if paths is None:
        return None
    any_grant = exists().where(Grant.user_id == user_id_column)
    outside_grant = (exists().where(Grant.user_id == user_id_column)
                     .where(Org.id == Grant.org_id).where(not_(inside(Org.path, paths))))
    return and_(any_grant, not_(outside_grant))


def may_manage(session: Session, paths: list[str] | None, user_id: int) -> bool:
    clause = managed_clause(paths)
    if clause is None:
        return True
    return session.scalar(select(User.id).where(User.id == user_id, clause)) is not None


def unknown_user(login: str | None = None, user_id: int | None = None) -> BadInput:
    if login is not None:
        return BadInput(f"未知用户 {login}", f"unknown user {login}")
    return BadInput(f"未知用户编号 {user_id}", f"unknown user id {user_id}")


def managed_user(session: Session, paths: list[str] | None, *, login: str | None = None,
                 user_id: int | None = None) -> User:
    """The user named by login or id, if the admin manages them; else the unknown-user answer."""
    where = User.login == login if login is not None else User.id == user_id
    user = session.scalar(select(User).where(where))
    if user is None or not may_manage(session, paths, user.id):
        raise unknown_user(login, user_id)
    return user


def org_in_scope(session: Session, paths: list[str] | None, text: str) -> Org:
    """An org named by its code or its full name, inside the admin's subtrees; else the unknown-org answer."""
    text = (text or "").strip()
    unknown = BadInput(f"未知组织 {text}", f"unknown org {text}")
    if not text:
        raise BadInput("请填写组织", "the org is required")
    scope = inside(Org.path, paths) if paths is not None else None
    query = select(Org).where(Org.code == text)
    org = session.scalar(query.where(scope) if scope is not None else query)
    if org is not None:
        return org
    query = select(Org).where(Org.name == text).order_by(Org.path).limit(6)
    named = session.scalars(query.where(scope) if scope is not None else query).all()
    if len(named) == 1:
        return named[0]
    if named:
        raise UsageError(f"名为“{text}”的组织不止一个，请填写组织代码：{'、'.join(o.code for o in named[:5])}",
                         f"several orgs are named {text}: give the code")
    raise unknown


def home_org_id(session: Session, user_id: int) -> int | None:
    """The org an audit entry about a user is filed under (who may read it): the lowest org whose subtree
    holds all of the user's grants."""
    paths = session.scalars(select(Org.path).join(Grant, Grant.org_id == Org.id).where(Grant.user_id == user_id)).all()
    if not paths:
        return None
    common = paths[0].strip("/").split("/")
    for path in paths[1:]:
        parts = path.strip("/").split("/")
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return int(common[-1]) if common else None
