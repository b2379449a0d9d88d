"""用户管理 reads: the accounts an admin manages, searched by login or name and paged (every query bounded),
and one account's grants, state and open sessions. Scoped by services.user_scope (the one rule)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from models import Grant, Org, User
from models.db import Database
from statemachines.codes import ORG_LEVELS, ROLES

from ..orgtree import in_subtree
from ..services import sessions, user_scope
from ..uow import UnitOfWork

PAGE_SIZE = 30
MAX_QUERY = 64


@dataclass(frozen=True)
class GrantView:
    id: int
    role: str
    role_label: str
    org_code: str
    org_name: str


@dataclass(frozen=True)
class UserRow:
    id: int
    login: str
    name: str | None
    grants: tuple[GrantView, ...]
    has_password: bool
    locked: bool
    disabled: bool

    @property
    def state(self) -> str:
        """已停用 / 已锁定 / 未设密码 / 正常"""
        if self.disabled:
            return "已停用"
        if self.locked:
            return "已锁定"
        return "正常" if self.has_password else "未设密码"


@dataclass(frozen=True)
class UserPage:
    rows: list[UserRow]
    total: int
    page: int
    pages: int
    query: str


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _grants(session: Session, user_ids: list[int]) -> dict[int, list[GrantView]]:
    by_user: dict[int, list[GrantView]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return by_user
    rows = session.execute(select(Grant.user_id, Grant.id, Grant.role, Org.code, Org.name)
                           .join(Org, Org.id == Grant.org_id).where(Grant.user_id.in_(user_ids))
                           .order_by(Grant.user_id, Grant.id)).all()
    for uid, gid, role, code, name in rows:
        by_user[uid].append(GrantView(gid, role, ROLES.get(role, role), code, name))
    return by_user


def _row(user: User, grants: list[GrantView], now: datetime) -> UserRow:
    locked = user.locked_until is not None and sessions.utc(user.locked_until) > sessions.utc(now)
    return UserRow(user.id, user.login, user.name, tuple(grants), user.password_hash is not None, locked,
                   user.disabled_at is not None)


def search_users(db: Database, actor_login: str, *, query: str | None = None, page: int = 1, now: datetime,
                 page_size: int = PAGE_SIZE, within: str | None = None) -> UserPage:
    """The accounts the admin manages whose login or name contains `query`, by login, one page; with
    `within` (an org path), only those holding a grant in that subtree."""
    query = (query or "").strip()[:MAX_QUERY]
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        where = [c for c in (user_scope.managed_clause(paths),) if c is not None]
        if query:
            where.append(or_(User.login.ilike(_like(query), escape="\\"), User.name.ilike(_like(query), escape="\\")))
        if within is not None:
            where.append(exists().where(Grant.user_id == User.id, Org.id == Grant.org_id, in_subtree(Org.path, within)))
        total = s.scalar(select(func.count()).select_from(User).where(*where))
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        users = s.scalars(select(User).where(*where).order_by(User.login)
                          .limit(page_size).offset((page - 1) * page_size)).all()
        grants = _grants(s, [u.id for u in users])
        return UserPage([_row(u, grants[u.id], now) for u in users], total, page, pages, query)


@dataclass(frozen=True)
class UserDetail:
    user: UserRow
    created_at: datetime
    sessions: list[sessions.OpenSession]
    is_self: bool


def user_detail(db: Database, actor_login: str, user_id: int, *, now: datetime) -> UserDetail:
    """One managed account; any other id is answered as an unknown one."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        user = user_scope.managed_user(s, paths, user_id=user_id)
        row = _row(user, _grants(s, [user.id])[user.id], now)
        return UserDetail(row, sessions.utc(user.created_at), sessions.open_sessions_of(s, user.id, now=now),
                          user.login == actor_login)


@dataclass(frozen=True)
class OrgChoice:
    code: str
    name: str
    level_label: str


def org_choices(db: Database, actor_login: str, *, limit: int = 500) -> list[OrgChoice]:
    """The orgs an admin may grant at, top down, for the form's suggestions (bounded: a code or a full name
    typed by hand reaches any other)."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        query = select(Org.code, Org.name, Org.level).order_by(Org.depth, Org.path).limit(limit)
        if paths is not None:
            query = query.where(user_scope.inside(Org.path, paths))
        return [OrgChoice(code, name, ORG_LEVELS.get(level, level)) for code, name, level in s.execute(query)]


def every_user(db: Database, actor_login: str | None, *, query: str | None = None, org: str | None = None,
               now: datetime, page_size: int = 500) -> list[UserRow]:
    """Every account the admin (None: the local operator) manages, by login, optionally only those with a
    grant in the subtree of `org` (a code or full name, inside the admin's reach): `users list`. Read page by
    page, so each query stays bounded."""
    within = None
    if org is not None:
        with UnitOfWork(db, write=False) as uow:
            _actor, paths = user_scope.load_admin(uow.session, actor_login)
            within = user_scope.org_in_scope(uow.session, paths, org).path
    rows, page = [], 1
    while True:
        found = search_users(db, actor_login, query=query, page=page, now=now, page_size=page_size, within=within)
        rows.extend(found.rows)
        if page >= found.pages:
            return rows
        page += 1
