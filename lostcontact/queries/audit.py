"""审计日志 reads: the entries an admin may read (filed under an org of their admin subtrees), newest first,
filtered by who, what and when, paged; with the actor's and the target's names and Chinese labels."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from models import AuditEntry, Org, User
from models.db import Database
from statemachines.codes import ROLES

from ..services import user_scope
from ..services.sessions import utc
from ..uow import UnitOfWork
from .counting import capped_count

PAGE_SIZE = 50
ACTIONS = {
    "user.create": "新增用户", "grant.add": "授予角色", "grant.revoke": "撤销授权", "user.disable": "停用账户",
    "user.enable": "启用账户", "user.password": "重置密码", "session.end": "结束登录会话",
    "import.orgs": "导入组织", "import.members": "导入党员名册", "import.contacts": "导入联系记录",
}
DETAIL_LABELS = {"role": "角色", "org": "组织", "name": "姓名", "password_set": "已设密码", "sessions_ended": "结束会话数"}
DETAIL_LABELS.update({"file": "文件", "rows": "数据行", "inserted": "新增", "updated": "更新", "unchanged": "未变",
                      "import_log": "导入日志编号"})  # an import (importing.service.audit_detail)
OPERATOR_NAME = "本机操作员（命令行）"


@dataclass(frozen=True)
class AuditRow:
    id: int
    recorded_at: datetime          # in the configured zone
    actor: str                     # the actor's name (or login with a note)
    action: str
    action_label: str
    target: str
    org_name: str | None
    origin: str
    detail: str                    # in Chinese, from the JSON detail


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int
    page: int
    pages: int


def person(login: str, name: str | None) -> str:
    """A person as pages show them: the name, or the login marked as having none."""
    if login == "operator":
        return OPERATOR_NAME
    return f"{name}（{login}）" if name else f"{login}（未填姓名）"


def _detail_text(raw: str, org_names: dict[str, str]) -> str:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return ""
    parts = []
    for key, value in sorted(data.items()):
        if key == "role":
            value = ROLES.get(value, value)
        elif key == "org":
            value = org_names.get(value, value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        if value in ("", None):
            continue
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


def audit_page(db: Database, actor_login: str, *, tz: str, who: str | None = None, action: str | None = None,
               since: date | None = None, until: date | None = None, page: int = 1,
               page_size: int = PAGE_SIZE) -> AuditPage:
    """Entries filed under orgs of the admin's subtrees; `who` matches the actor's login or part of their
    name; `since`/`until` are days in the configured zone, both included."""
    zone = ZoneInfo(tz)
    actor_user, target_user = aliased(User), aliased(User)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        _actor, paths = user_scope.load_admin(s, actor_login)
        where = []
        if action:
            where.append(AuditEntry.action == action)
        if since:
            where.append(AuditEntry.recorded_at >= utc(datetime.combine(since, time(), zone)))
        if until:
            where.append(AuditEntry.recorded_at < utc(datetime.combine(until + timedelta(days=1), time(), zone)))
        who = (who or "").strip()[:64]
        if who:
            names = select(User.login).where(or_(User.login == who, User.name.contains(who, autoescape=True)))
            where.append(or_(AuditEntry.actor == who, AuditEntry.actor.in_(names.limit(200).scalar_subquery())))
        in_scope = [user_scope.inside(Org.path, paths)] if paths is not None else []
        filed = [exists().where(Org.id == AuditEntry.org_id, *in_scope)] if in_scope else []
        # the entries' own conditions and their org checked on its key: newest first is then a walk of
        # ix_audit_log_recorded_at that stops at the page (a join would read the subtree's every entry)
        total = capped_count(s, select(AuditEntry.id).where(*where, *filed))
        pages = max(1, -(-total // page_size))
        page = min(max(1, page), pages)
        rows = s.execute(select(AuditEntry, actor_user.name, target_user.name)
                         .where(*where, *filed)
                         .outerjoin(actor_user, actor_user.login == AuditEntry.actor)
                         .outerjoin(target_user, (AuditEntry.target_kind == "user")
                                    & (target_user.login == AuditEntry.target))
                         .order_by(AuditEntry.recorded_at.desc(), AuditEntry.id.desc())
                         .limit(page_size).offset((page - 1) * page_size)).all()
        org_ids = {e.org_id for e, *_ in rows} - {None}
        filed_under = dict(s.execute(select(Org.id, Org.name).where(Org.id.in_(org_ids))).all()) if org_ids else {}
        codes = {json.loads(e.detail or "{}").get("org") for e, *_ in rows} - {None}
        org_names = dict(s.execute(select(Org.code, Org.name).where(Org.code.in_(codes))).all()) if codes else {}
        return AuditPage([AuditRow(e.id, utc(e.recorded_at).astimezone(zone), person(e.actor, actor_name), e.action,
                                   ACTIONS.get(e.action, "其他操作"),
                                   person(e.target, target_name) if e.target_kind == "user" else e.target, org_name,
                                   e.remote_addr or "—", _detail_text(e.detail, org_names))
                          for e, actor_name, target_name in rows
                          for org_name in (filed_under.get(e.org_id),)], total, page, pages)
