"""Users and their scoped grants (DOMAIN.md §6.1): create, grant, revoke, disable, enable.

The CLI (`lostcontact users …`) and the admin pages call these same functions. With `actor_login` the
change is an admin's, limited to the accounts and orgs of the admin's subtrees (user_scope: one rule);
without it, the local operator's. Every change writes an audit entry in the same unit of work.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import Grant, Org, User, UserSession
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import Conflict, Refused, UsageError

from ..permissions import check_grantable
from ..uow import UnitOfWork
from . import audit, sessions, user_scope
from .audit import Origin

LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,64}$")


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)  # bookkeeping time from the entry point, never a rule's date


def _origin(origin: Origin | None, actor_login: str | None) -> Origin | None:
    return origin or (Origin.command_line() if actor_login is None else None)


def _check_login(login: str) -> None:
    if not LOGIN_PATTERN.match(login or ""):
        raise UsageError("用户名须为 2–64 个字母、数字、汉字或 _ . @ -（不含空格）",
                         "a login is 2-64 letters, digits, Chinese characters or _ . @ - (no spaces)")


MAX_USER_NAME = User.__table__.c.name.type.length  # 100: refused here on SQLite as PostgreSQL would


def _check_name(name: str | None) -> None:
    if name and len(name) > MAX_USER_NAME:
        raise UsageError(f"姓名不能超过 {MAX_USER_NAME} 个字符（现为 {len(name)} 个）",
                         f"the name is longer than {MAX_USER_NAME} characters ({len(name)} given)")


def _insert_grant(session: Session, user_id: int, role: str, org_id: int) -> bool:
    """Add the grant unless it exists; two admins adding it at once both succeed and one row remains
    (INSERT … ON CONFLICT DO NOTHING on the unique (user, role, org))."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    result = session.execute(dialect.insert(Grant).values(user_id=user_id, role=role, org_id=org_id,
                                                          created_at=datetime.now(timezone.utc))
                             .on_conflict_do_nothing(index_elements=["user_id", "role", "org_id"]))
    return bool(result.rowcount)


def _grantable_org(session: Session, paths, role: str, org_text: str) -> Org:
    org = user_scope.org_in_scope(session, paths, org_text)
    check_grantable(role, org.level, org.code, org.name)
    return org


def create_user(db: Database, login: str, *, role: str, org: str, name: str | None = None,
                password_hash: str | None = None, actor_login: str | None = None, origin: Origin | None = None,
                now: datetime | None = None) -> int:
    """A new account with its first grant (an account without one would belong to no admin). Without a
    password the user cannot log in until one is set. Returns the new user's id."""
    _check_login(login)
    _check_name(name)
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        target_org = _grantable_org(s, paths, role, org)
        if s.scalar(select(User.id).where(User.login == login)) is not None:
            raise Conflict(f"用户名 {login} 已被使用，请换一个", f"the login {login} is taken")
        user = User(login=login, name=(name or None), password_hash=password_hash, created_at=now)
        s.add(user)
        s.flush()
        _insert_grant(s, user.id, role, target_org.id)
        origin = _origin(origin, actor_login)
        audit.record(s, actor=actor_login, action="user.create", target_kind="user", target=login,
                     org_id=target_org.id, detail={"name": name or "", "password_set": password_hash is not None},
                     origin=origin, at=now)
        audit.record(s, actor=actor_login, action="grant.add", target_kind="user", target=login, org_id=target_org.id,
                     detail={"role": role, "org": target_org.code}, origin=origin, at=now)
        uow.commit()
        return user.id


def grant_role(db: Database, *, role: str, org: str, login: str | None = None, user_id: int | None = None,
               actor_login: str | None = None, origin: Origin | None = None, now: datetime | None = None) -> bool:
    """Grant `role` over `org`'s subtree (an org code or full name). Returns whether a grant was added
    (granting one that exists changes nothing and records nothing)."""
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login, user_id=user_id)
        target_org = _grantable_org(s, paths, role, org)
        added = _insert_grant(s, user.id, role, target_org.id)
        if added:
            audit.record(s, actor=actor_login, action="grant.add", target_kind="user", target=user.login,
                         org_id=target_org.id, detail={"role": role, "org": target_org.code},
                         origin=_origin(origin, actor_login), at=now)
        uow.commit()
        return added


def revoke_grant(db: Database, *, login: str | None = None, user_id: int | None = None, grant_id: int | None = None,
                 role: str | None = None, org: str | None = None, actor_login: str | None = None,
                 origin: Origin | None = None, now: datetime | None = None) -> tuple[str, str, str]:
    """Take back one grant, named by id (web) or by role and org (CLI). A user's last grant stays (disable
    the account instead), and an admin cannot take back their own admin grant. Returns (login, role, org)."""
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login, user_id=user_id)
        query = select(Grant, Org).join(Org, Org.id == Grant.org_id).where(Grant.user_id == user.id)
        if grant_id is not None:
            query = query.where(Grant.id == grant_id)
        else:
            query = query.where(Grant.role == role, Org.id == user_scope.org_in_scope(s, paths, org or "").id)
        found = s.execute(query).first()
        if found is None:
            raise UsageError("该用户没有这项授权", "the user holds no such grant")
        grant, grant_org = found
        count = len(s.scalars(select(Grant.id).where(Grant.user_id == user.id).limit(2)).all())
        if count < 2:
            raise Refused("这是该用户唯一的授权，不能撤销；如不再使用该账户，请停用账户",
                          "this is the user's only grant: disable the account instead")
        if actor_login == user.login and grant.role == "admin":
            raise Refused("不能撤销自己的系统管理员授权", "an admin cannot revoke their own admin grant")
        s.execute(delete(Grant).where(Grant.id == grant.id))
        audit.record(s, actor=actor_login, action="grant.revoke", target_kind="user", target=user.login,
                     org_id=grant_org.id, detail={"role": grant.role, "org": grant_org.code},
                     origin=_origin(origin, actor_login), at=now)
        uow.commit()
        return user.login, grant.role, grant_org.code


def set_disabled(db: Database, disabled: bool, *, login: str | None = None, user_id: int | None = None,
                 actor_login: str | None = None, origin: Origin | None = None, now: datetime | None = None) -> str:
    """Disable an account (it can no longer log in, and every session of it ends at once) or enable it
    again. Doing what is already done changes nothing. Returns the login."""
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login, user_id=user_id)
        if disabled and actor_login == user.login:
            raise Refused("不能停用自己的账户", "an admin cannot disable their own account")
        if (user.disabled_at is not None) == disabled:
            return user.login
        user.disabled_at = now if disabled else None
        ended = sessions.end_all(s, user.id, now=now) if disabled else 0
        audit.record(s, actor=actor_login, action="user.disable" if disabled else "user.enable", target_kind="user",
                     target=user.login, org_id=user_scope.home_org_id(s, user.id),
                     detail={"sessions_ended": ended} if disabled else {}, origin=_origin(origin, actor_login), at=now)
        uow.commit()
        return user.login


def end_sessions(db: Database, *, login: str | None = None, user_id: int | None = None,
                 session_id: int | None = None, actor_login: str | None = None, origin: Origin | None = None,
                 now: datetime | None = None) -> int:
    """An admin logs a user out: one session (by id) or all of them. Returns how many ended."""
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login, user_id=user_id)
        if session_id is None:
            ended = sessions.end_all(s, user.id, now=now)
        else:
            ended = s.execute(update(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id,
                                                        UserSession.ended_at.is_(None))
                              .values(ended_at=sessions.utc(now))).rowcount or 0
        if ended:
            audit.record(s, actor=actor_login, action="session.end", target_kind="user", target=user.login,
                         org_id=user_scope.home_org_id(s, user.id), detail={"sessions_ended": ended},
                         origin=_origin(origin, actor_login), at=now)
        uow.commit()
        return ended


def add_user(db: Database, login: str, *, role: str, org_code: str, name: str | None = None,
             password_hash: str | None = None, actor_login: str | None = None, origin: Origin | None = None,
             now: datetime | None = None) -> bool:
    """`users add`: create the user with this grant, or add the grant to an existing user (whose name and
    password, when given, are set too). Returns whether a grant was added."""
    _check_name(name)
    with UnitOfWork(db, write=False) as uow:
        exists = uow.session.scalar(select(User.id).where(User.login == login)) is not None
    if not exists:
        create_user(db, login, role=role, org=org_code, name=name, password_hash=password_hash,
                    actor_login=actor_login, origin=origin, now=now)
        return True
    added = grant_role(db, login=login, role=role, org=org_code, actor_login=actor_login, origin=origin, now=now)
    if name or password_hash:
        _update_name_and_hash(db, login, name, password_hash, actor_login=actor_login, origin=origin, now=now)
    return added


def _update_name_and_hash(db: Database, login: str, name: str | None, password_hash: str | None, *,
                          actor_login: str | None, origin: Origin | None, now: datetime | None) -> None:
    now = _now(now)
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login)
        if name:
            user.name = name
        if password_hash:
            user.password_hash, user.failed_logins, user.locked_until = password_hash, 0, None
            ended = sessions.end_all(s, user.id, now=now)
            audit.record(s, actor=actor_login, action="user.password", target_kind="user", target=login,
                         org_id=user_scope.home_org_id(s, user.id), detail={"sessions_ended": ended},
                         origin=_origin(origin, actor_login), at=now)
        uow.commit()


ROLE_CHOICES = {role: label for role, label in ROLES.items() if role != "system"}
