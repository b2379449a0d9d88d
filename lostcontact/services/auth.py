"""Passwords and logins: argon2id hashes, verification, lockout after repeated failures, admin resets.

The wall clock enters only as `now`, passed by the entry point (a login is not a domain rule, but the
lockout still has to be testable without sleeping).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Grant, Org, User
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Refused, UsageError

from ..permissions import load_actor
from ..uow import UnitOfWork

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()
# Verified against when the login is unknown or has no password, so both cost what a real check costs
# (the response time does not tell which logins exist).
_DUMMY_HASH = _hasher.hash("lostcontact-no-such-user")

_BAD_LOGIN = ("用户名或密码错误", "wrong login or password")


@dataclass(frozen=True)
class LoginGrant:
    role: str
    role_label: str
    org_code: str
    org_name: str


@dataclass(frozen=True)
class Account:
    """Who is logged in: what the page header shows and what the session is checked against."""
    id: int
    login: str
    name: str | None
    grants: tuple[LoginGrant, ...]
    session_stamp: str

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符", f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UsageError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符", f"a password has at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _hasher.hash(password)


def session_stamp(password_hash: str | None) -> str:
    """Changes whenever the password does: a session carrying an older stamp is no longer valid, so a reset
    logs every other session out."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:16]


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _account(session: Session, user: User) -> Account:
    rows = session.execute(select(Grant.role, Org.code, Org.name).join(Org, Org.id == Grant.org_id)
                           .where(Grant.user_id == user.id).order_by(Grant.id)).all()
    grants = tuple(LoginGrant(role, ROLES.get(role, role), code, name) for role, code, name in rows)
    return Account(user.id, user.login, user.name, grants, session_stamp(user.password_hash))


def authenticate(db: Database, login: str, password: str, *, now: datetime) -> Account:
    """The account when the password is right and the account not locked; else Refused, counting the failure.
    After MAX_FAILED_LOGINS failures in a row the account is locked for LOCKOUT (even the right password
    is refused meanwhile); a success resets the count."""
    with UnitOfWork(db) as uow:
        s = uow.session
        user = s.scalar(select(User).where(User.login == login))
        if user is None:
            _verify(None, password)
            raise Refused(*_BAD_LOGIN)
        if user.locked_until is not None and _aware(user.locked_until) > now:
            _verify(None, password)
            minutes = max(1, int((_aware(user.locked_until) - now).total_seconds() // 60) + 1)
            raise Refused(f"登录失败次数过多，账户已暂时锁定，请约 {minutes} 分钟后再试或请管理员重置密码",
                          f"too many failed logins: the account is locked for about {minutes} more minute(s)")
        if not _verify(user.password_hash, password):
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until, user.failed_logins = now + LOCKOUT, 0
            uow.commit()
            raise Refused(*_BAD_LOGIN)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins, user.locked_until = 0, None
        account = _account(s, user)
        uow.commit()
        return account


def _aware(moment: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive (in UTC); PostgreSQL keeps the zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def account_for_session(db: Database, login: str, stamp: str) -> Account | None:
    """The account a session cookie names, or None when the user is gone or the password changed since."""
    with UnitOfWork(db, write=False) as uow:
        user = uow.session.scalar(select(User).where(User.login == login))
        if user is None or user.password_hash is None or session_stamp(user.password_hash) != stamp:
            return None
        return _account(uow.session, user)


def _check_admin_over(session: Session, actor_login: str | None, user: User) -> None:
    """The local operator may reset anyone; an admin only users all of whose grants lie in the admin's subtrees."""
    if actor_login is None:
        return
    actor = load_actor(session, actor_login)
    admin_paths = [g.org_path for g in actor.grants if g.role == "admin"]
    if not admin_paths:
        raise Refused("只有系统管理员可以重置密码", "only an admin can reset passwords")
    paths = session.scalars(select(Org.path).join(Grant, Grant.org_id == Org.id).where(Grant.user_id == user.id)).all()
    if not all(any(p.startswith(a) for a in admin_paths) for p in paths):
        raise Refused(f"用户 {user.login} 的授权超出管理员 {actor_login} 的管理范围",
                      f"{user.login} holds grants outside {actor_login}'s subtrees")


def set_password(db: Database, login: str, password: str, *, actor_login: str | None = None) -> None:
    """Set (or reset) a user's password and lift any lockout. Every session of that user ends."""
    new_hash = hash_password(password)
    with UnitOfWork(db) as uow:
        s = uow.session
        user = s.scalar(select(User).where(User.login == login))
        if user is None:
            raise BadInput(f"未知用户 {login}", f"unknown user {login}")
        _check_admin_over(s, actor_login, user)
        user.password_hash, user.failed_logins, user.locked_until = new_hash, 0, None
        uow.commit()


def set_password_by_id(db: Database, user_id: int, password: str, *, actor_login: str) -> str:
    """The web's reset: the user is named by id (a login can be a person's name: never in a URL)."""
    with UnitOfWork(db, write=False) as uow:
        login = uow.session.scalar(select(User.login).where(User.id == user_id))
    if login is None:
        raise BadInput(f"未知用户编号 {user_id}", f"unknown user id {user_id}")
    set_password(db, login, password, actor_login=actor_login)
    return login


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    name: str | None
    grants: tuple[LoginGrant, ...]
    has_password: bool
    locked: bool


def users_managed_by(db: Database, actor_login: str, *, now: datetime) -> list[UserRow]:
    """The users an admin may reset: every grant of theirs inside the admin's subtrees."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        admin_paths = [g.org_path for g in actor.grants if g.role == "admin"]
        if not admin_paths:
            raise Refused("只有系统管理员可以管理用户", "only an admin can manage users")
        rows = s.execute(select(User.id, User.login, User.name, User.password_hash, User.locked_until, Grant.role,
                                Org.code, Org.name, Org.path)
                         .join(Grant, Grant.user_id == User.id).join(Org, Org.id == Grant.org_id)
                         .order_by(User.login, Grant.id)).all()
    by_user: dict[int, dict] = {}
    for uid, login, name, pw, locked_until, role, code, org_name, path in rows:
        entry = by_user.setdefault(uid, {"login": login, "name": name, "pw": pw, "locked": locked_until,
                                         "grants": [], "inside": True})
        entry["grants"].append(LoginGrant(role, ROLES.get(role, role), code, org_name))
        entry["inside"] &= any(path.startswith(a) for a in admin_paths)
    return [UserRow(uid, e["login"], e["name"], tuple(e["grants"]), e["pw"] is not None,
                    e["locked"] is not None and _aware(e["locked"]) > now)
            for uid, e in by_user.items() if e["inside"]]
