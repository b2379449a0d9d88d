"""Server-side login sessions and API tokens (models.UserSession).

Starting a session stores the SHA-256 of a fresh random id; the signed cookie or bearer token carries the id
itself. Every request looks the row up by that hash (one indexed query, joined with the user and their
grants) and is refused when the row is ended or expired or the account disabled. Logging out, revoking a
token, a password reset and disabling an account end rows, so a copied cookie stops working at once.

`now` is the entry point's wall clock (web: WebConfig.now), never a business date.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models import Grant, Org, User, UserSession
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import BadInput

from ..uow import UnitOfWork
from .account import Account, LoginGrant

PAGE, API = "page", "api"
KIND_LABELS = {PAGE: "网页登录", API: "接口令牌"}
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often (not a write per request)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def utc(moment: datetime) -> datetime:
    """SQLite hands timezone-aware columns back naive (in UTC); PostgreSQL keeps the zone."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def start(db: Database, user_id: int, *, kind: str, now: datetime, lifetime: timedelta,
          user_agent: str | None = None, remote_addr: str | None = None) -> str:
    """A new session of the user; returns the random id the cookie or token carries."""
    token = secrets.token_urlsafe(32)
    now = utc(now)
    with UnitOfWork(db) as uow:
        uow.session.add(UserSession(token_hash=_hash(token), user_id=user_id, kind=kind, created_at=now,
                                    last_seen_at=now, expires_at=now + lifetime, user_agent=(user_agent or "")[:200]
                                    or None, remote_addr=(remote_addr or "")[:64] or None))
        uow.commit()
    return token


@dataclass(frozen=True)
class Resumed:
    account: Account
    session_id: int


_u, _s, _g, _o = User.__table__, UserSession.__table__, Grant.__table__, Org.__table__
# built once, the token and the time as parameters: every request runs it, and a statement reused keeps
# its compiled form's cache key where a new one would be built and keyed again
_RESUME = (select(_s.c.id, _s.c.last_seen_at, _u.c.id.label("user_id"), _u.c.login, _u.c.name, _g.c.role,
                  _o.c.code, _o.c.name.label("org_name"))
           .select_from(_s.join(_u, _u.c.id == _s.c.user_id).outerjoin(_g, _g.c.user_id == _u.c.id)
                        .outerjoin(_o, _o.c.id == _g.c.org_id))
           .where(_s.c.token_hash == bindparam("token_hash"), _s.c.kind == bindparam("kind"),
                  _s.c.ended_at.is_(None), _s.c.expires_at > bindparam("now", type_=_s.c.expires_at.type),
                  _u.c.disabled_at.is_(None), _u.c.password_hash.isnot(None))
           .order_by(_g.c.id))


def resume(db: Database, token: str, *, kind: str, now: datetime) -> Resumed | None:
    """The account of an open session (the row neither ended nor expired, the user not disabled and with a
    password), or None."""
    now = utc(now)
    with UnitOfWork(db, write=False) as uow:
        # within a request, its reads go on in this transaction (uow.lending_reads)
        rows = uow.connection.execute(_RESUME, {"token_hash": _hash(token), "kind": kind, "now": now}).all()
    if not rows:
        return None
    first = rows[0]
    grants = tuple(LoginGrant(r.role, ROLES.get(r.role, r.role), r.code, r.org_name) for r in rows if r.role)
    if now - utc(first.last_seen_at) >= SEEN_EVERY:
        with UnitOfWork(db) as uow:
            uow.session.execute(update(UserSession).where(UserSession.id == first.id).values(last_seen_at=now))
            uow.commit()
    return Resumed(Account(first.user_id, first.login, first.name, grants), first.id)


def end_token(db: Database, token: str, *, now: datetime) -> None:
    """Log out: the session or token carrying `token` ends (nothing happens when it already has)."""
    with UnitOfWork(db) as uow:
        uow.session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                      UserSession.ended_at.is_(None)).values(ended_at=utc(now)))
        uow.commit()


def end_all(session: Session, user_id: int, *, now: datetime) -> int:
    """Inside the caller's unit of work: every open session of the user ends (a reset, a disabled account)."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.ended_at.is_(None)).values(ended_at=utc(now)))
    return result.rowcount or 0


@dataclass(frozen=True)
class OpenSession:
    id: int
    kind: str
    kind_label: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str | None
    browser: str
    remote_addr: str | None


def open_sessions_of(session: Session, user_id: int, *, now: datetime, limit: int = 100) -> list[OpenSession]:
    """The user's sessions still open (newest first), bounded."""
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None),
                                                     UserSession.expires_at > utc(now))
                           .order_by(UserSession.created_at.desc(), UserSession.id.desc()).limit(limit)).all()
    return [OpenSession(r.id, r.kind, KIND_LABELS.get(r.kind, r.kind), utc(r.created_at), utc(r.last_seen_at),
                        utc(r.expires_at), r.user_agent, browser_of(r.user_agent), r.remote_addr) for r in rows]


def my_sessions(db: Database, user_id: int, *, now: datetime) -> list[OpenSession]:
    with UnitOfWork(db, write=False) as uow:
        return open_sessions_of(uow.session, user_id, now=now)


def end_own(db: Database, user_id: int, session_id: int, *, now: datetime) -> None:
    """A user ends one of their own sessions; another user's session is answered as an unknown one."""
    with UnitOfWork(db) as uow:
        ended = uow.session.execute(update(UserSession).where(
            UserSession.id == session_id, UserSession.user_id == user_id, UserSession.ended_at.is_(None))
            .values(ended_at=utc(now))).rowcount
        if not ended:
            raise BadInput("该会话不存在或已结束", f"no open session {session_id}")
        uow.commit()


_BROWSERS = (("MicroMessenger", "微信"), ("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("python-httpx", "脚本（httpx）"),
             ("python-requests", "脚本（requests）"), ("curl/", "curl"), ("testclient", "测试客户端"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def browser_of(user_agent: str | None) -> str:
    """A short Chinese description of a User-Agent: the browser and the system, or 未知."""
    if not user_agent:
        return "未知"
    browser = next((label for needle, label in _BROWSERS if needle in user_agent), None)
    system = next((label for needle, label in _SYSTEMS if needle in user_agent), None)
    if browser is None and system is None:
        return user_agent[:40]
    return " · ".join(part for part in (browser, system) if part)
