"""Passwords and logins: argon2id hashes, verification, lockout after repeated failures, admin resets.

The wall clock enters only as `now`, passed by the entry point (a login is not a domain rule, but the
lockout still has to be testable without sleeping).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, case, or_, select, update
from sqlalchemy.orm import Session

from models import Grant, Org, User
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import Refused, UsageError

from ..uow import UnitOfWork
from .account import Account, LoginGrant  # noqa: F401  (re-exported: the web imports them from here)
from . import audit, sessions, user_scope
from .audit import Origin

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

# Made on first use, not at import: every command of the CLI imports this module's neighbours, and argon2's
# import and the dummy hash cost a noticeable part of a second (tests swap in cheaper ones).
_hasher = None
# Verified against when the login is unknown or has no password, so both cost what a real check costs
# (the response time does not tell which logins exist).
_DUMMY_HASH: str | None = None


def _password_hasher():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher
        _hasher = PasswordHasher()
    return _hasher


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _password_hasher().hash("lostcontact-no-such-user")
    return _DUMMY_HASH


# also the answer to a locked account: a lock must not tell anyone that the login exists
_BAD_LOGIN = ("用户名或密码错误", "wrong login or password")


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符", f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UsageError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符", f"a password has at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    check_password_strength(password)
    return _password_hasher().hash(password)


def _verify(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    dummy = _dummy_hash()  # made on the first check whichever the branch: the first login tells nothing either
    try:
        return _password_hasher().verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _account(session: Session, user: User) -> Account:
    rows = session.execute(select(Grant.role, Org.code, Org.name).join(Org, Org.id == Grant.org_id)
                           .where(Grant.user_id == user.id).order_by(Grant.id)).all()
    grants = tuple(LoginGrant(role, ROLES.get(role, role), code, name) for role, code, name in rows)
    return Account(user.id, user.login, user.name, grants)


def authenticate(db: Database, login: str, password: str, *, now: datetime) -> Account:
    """The account when the password is right and the account not locked; else Refused, counting the failure.
    After MAX_FAILED_LOGINS failures in a row the account is locked for LOCKOUT (even the right password
    is refused meanwhile); a success resets the count.

    An unknown login, a wrong password and a locked account get the same words after the same work (one
    password check), so failing five times does not tell anyone which logins exist."""
    attempt = _take_attempt(db, login, now)
    if attempt is None:
        _verify(None, password)
        raise Refused(*_BAD_LOGIN)
    if not _verify(attempt.password_hash, password):
        raise Refused(*_BAD_LOGIN)  # counted already, and locked if it was the last one allowed
    with UnitOfWork(db) as uow:
        s = uow.session
        user = s.get(User, attempt.id)
        if user.disabled_at is not None:
            raise Refused("该账户已停用，请联系系统管理员", "this account is disabled: ask an admin")
        if _password_hasher().check_needs_rehash(user.password_hash):
            user.password_hash = _password_hasher().hash(password)
        user.failed_logins, user.locked_until = 0, None
        account = _account(s, user)
        uow.commit()
        return account


_users = User.__table__
_USER_BY_LOGIN = select(_users.c.id, _users.c.password_hash).where(_users.c.login == bindparam("login"))
# One attempt is taken with one atomic UPDATE before the password is checked: it counts the attempt and,
# when that makes MAX_FAILED_LOGINS, locks the account at once (a right password lifts the lock again). An
# account already locked matches no row and its password is never checked. So however many guesses arrive
# together, at most MAX_FAILED_LOGINS are checked per lockout, and none is lost from the count. The SET
# expressions read the row's values before the update (on both engines); an expired lock starts a new count.
_COUNT_AFTER = case((_users.c.locked_until.is_(None), _users.c.failed_logins + 1), else_=1)
_TAKE_ATTEMPT = (
    update(_users)
    .where(_users.c.id == bindparam("user_id"),
           or_(_users.c.locked_until.is_(None), _users.c.locked_until <= bindparam("now")))
    .values(failed_logins=_COUNT_AFTER,
            locked_until=case((_COUNT_AFTER >= MAX_FAILED_LOGINS, bindparam("lock_until")), else_=None))
    .returning(_users.c.failed_logins))


def _take_attempt(db: Database, login: str, now: datetime):
    """The user's id and password hash when the login exists and is not locked, the attempt counted; else None."""
    now = now.astimezone(timezone.utc)
    with UnitOfWork(db) as uow:
        conn = uow.session.connection()
        user = conn.execute(_USER_BY_LOGIN, {"login": login}).first()
        if user is None:
            return None
        taken = conn.execute(_TAKE_ATTEMPT, {"user_id": user.id, "now": now, "lock_until": now + LOCKOUT}).first()
        uow.commit()
        return user if taken is not None else None


def _aware(moment: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive (in UTC); PostgreSQL keeps the zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def set_password(db: Database, login: str, password: str, *, actor_login: str | None = None,
                 origin: Origin | None = None, now: datetime | None = None) -> None:
    """Set (or reset) a user's password and lift any lockout; every session of that user ends. An admin
    resets only users they manage (user_scope); the change is kept in the audit log."""
    _reset(db, password, actor_login=actor_login, origin=origin, now=now, login=login)


def set_password_by_id(db: Database, user_id: int, password: str, *, actor_login: str,
                       origin: Origin | None = None, now: datetime | None = None) -> str:
    """The web's reset: the user is named by id (a login can be a person's name: never in a URL)."""
    return _reset(db, password, actor_login=actor_login, origin=origin, now=now, user_id=user_id)


def _reset(db: Database, password: str, *, actor_login: str | None, origin: Origin | None, now: datetime | None,
           login: str | None = None, user_id: int | None = None) -> str:
    new_hash = hash_password(password)
    now = now or datetime.now(timezone.utc)  # bookkeeping time of the entry point, not a rule's date
    with UnitOfWork(db) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, login=login, user_id=user_id)
        user.password_hash, user.failed_logins, user.locked_until = new_hash, 0, None
        ended = sessions.end_all(s, user.id, now=now)
        audit.record(s, actor=actor_login, action="user.password", target_kind="user", target=user.login,
                     org_id=user_scope.home_org_id(s, user.id), detail={"sessions_ended": ended},
                     origin=origin or (Origin.command_line() if actor_login is None else None), at=now)
        uow.commit()
        return user.login
