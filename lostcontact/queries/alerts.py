"""The alerts open for a subtree as of a day: one query behind the web list (filtered, paged, exported), the
CLI table and the JSON (INTERFACE.md `alerts`). Each row carries what a person reads — the rule in words,
the recipient org's name, and the member's name to a user whose subtree holds the member — and keeps the
English ids for the JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from models import Alert, Case, Member, Org
from models.db import Database
from statemachines.codes import ALERT_LEVELS, ALERT_RULES
from statemachines.errors import Refused, UsageError

from ..masking import mask_id
from .counting import capped_count
from ..orgtree import in_subtree, org_by_code
from ..permissions import Actor, load_actor, may_see_org, scope_filter
from ..services.dates import check_as_of
from ..uow import UnitOfWork

SEVERITY = {"reminder": 1, "overdue": 2, "escalated": 3}
LIGHTS = {"reminder": "yellow", "overdue": "red", "escalated": "escalated"}
LIGHT_LABELS = {"yellow": "黄灯 提醒", "red": "红灯 超期", "escalated": "督办 升级"}
PER_PAGE = 50
BATCH = 1000
COUNT_CAP = 1000       # the list's total is counted up to here; past it the page reads "1000+"
NARROW_SCOPE_ORGS = 300  # up to here a subtree's alerts are read org by org (ix_alerts_org_raised)
# the index a larger subtree's list walks: alerts (level, due_on, id, raised_on, closed_on, rule, org_id)


@dataclass(frozen=True)
class AlertFilter:
    """What the list is narrowed to (all optional): rule id, level, the recipient's subtree, raised between."""
    rule: str | None = None
    level: str | None = None
    org_code: str | None = None
    raised_from: date | None = None
    raised_to: date | None = None

    def check(self) -> "AlertFilter":
        if self.rule is not None and self.rule not in ALERT_RULES:
            raise UsageError("未知的预警类别，请从列表中选择", f"unknown alert rule {self.rule[:20]!r}")
        if self.level is not None and self.level not in ALERT_LEVELS:
            raise UsageError("未知的预警级别，请从列表中选择", f"unknown alert level {self.level[:20]!r}")
        if self.raised_from and self.raised_to and self.raised_from > self.raised_to:
            raise UsageError(f"发出日期范围有误：{self.raised_from} 晚于 {self.raised_to}",
                             f"raised between {self.raised_from} and {self.raised_to}: the range is empty")
        return self


@dataclass
class AlertRow:
    id: int
    subject_kind: str
    subject_id: int
    case_id: int | None
    rule: str
    level: str
    due_on: date
    raised_on: date
    message: str
    org_code: str                     # the recipient
    org_name: str
    member_id: int | None = None      # only when the actor's subtree holds the member
    member_name: str | None = None
    member_id_masked: str | None = None
    subject_org: tuple[str, str] | None = None  # (code, name) of an org subject
    case_visible: bool = False

    @property
    def rule_label(self) -> str:
        return ALERT_RULES.get(self.rule, self.rule)

    @property
    def level_label(self) -> str:
        return ALERT_LEVELS[self.level]

    @property
    def light(self) -> str:
        """The row's own light: its level, not the subject's highest."""
        return LIGHTS[self.level]

    def as_json(self) -> dict:
        subject_id = {"member": self.member_id_masked, "org": self.subject_org and self.subject_org[0]}.get(
            self.subject_kind, self.subject_id)
        return {"subject_kind": self.subject_kind, "subject_id": subject_id, "case_id": self.case_id,
                "rule": self.rule, "level": self.level, "org": self.org_code, "due_on": self.due_on.isoformat(),
                "raised_on": self.raised_on.isoformat(), "message": self.message, "member_name": self.member_name,
                "org_name": self.org_name}


@dataclass
class AlertPage:
    rows: list[AlertRow]
    total: int
    page: int
    per_page: int
    as_of: date
    filters: AlertFilter = field(default_factory=AlertFilter)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# Most severe first, then by due date: the level names sort alphabetically in exactly that order
# (escalated < overdue < reminder), so a plain ORDER BY level can walk an index where a CASE could not.
_ORDER = (Alert.level, Alert.due_on, Alert.id)
assert sorted(SEVERITY) == sorted(SEVERITY, key=lambda level: -SEVERITY[level]), "the list's order needs this"
_COLUMNS = (Alert.id, Alert.subject_kind, Alert.subject_id, Alert.case_id, Alert.rule, Alert.level, Alert.due_on,
            Alert.raised_on, Alert.message, Org.code, Org.name)


def _org_scope(actor: Actor, org_path: str | None, path=Org.path) -> list:
    """The recipient org (its `path` column) inside the actor's subtrees and the chosen org's."""
    scope = [c for c in (scope_filter(actor, path),) if c is not None]
    return scope + ([in_subtree(path, org_path)] if org_path is not None else [])


def _open_on(day: date) -> list:
    return [Alert.raised_on <= day, or_(Alert.closed_on.is_(None), Alert.closed_on > day)]


def _where(actor: Actor, day: date, org_path: str | None, f: AlertFilter) -> list:
    """The filter's conditions over alerts joined to their recipient org."""
    return _open_on(day) + _alert_filters(f) + _org_scope(actor, org_path)


def _alert_filters(f: AlertFilter) -> list:
    where = []
    if f.rule:
        where.append(Alert.rule == f.rule)
    if f.level:
        where.append(Alert.level == f.level)
    if f.raised_from:
        where.append(Alert.raised_on >= f.raised_from)
    if f.raised_to:
        where.append(Alert.raised_on <= f.raised_to)
    return where


def _with_names(session: Session, actor: Actor, rows) -> list[AlertRow]:
    """One page (or batch) of alert rows with their members' names and org subjects: three small IN reads."""
    alerts = [AlertRow(*row) for row in rows]
    case_ids = {a.case_id for a in alerts if a.case_id is not None}
    cases = {cid: (member_id, path) for cid, member_id, path in session.execute(
        select(Case.id, Case.member_id, Org.path).join(Org, Org.id == Case.branch_id).where(Case.id.in_(case_ids)))
             } if case_ids else {}
    member_ids = {a.subject_id for a in alerts if a.subject_kind == "member"} | {m for m, _p in cases.values()}
    members = {mid: (name, id_number, path) for mid, name, id_number, path in session.execute(
        select(Member.id, Member.name, Member.id_number, Org.path).join(Org, Org.id == Member.branch_id)
        .where(Member.id.in_(member_ids)))} if member_ids else {}
    org_ids = {a.subject_id for a in alerts if a.subject_kind == "org"}
    orgs = {oid: (code, name) for oid, code, name in session.execute(
        select(Org.id, Org.code, Org.name).where(Org.id.in_(org_ids)))} if org_ids else {}
    for a in alerts:
        member_id = a.subject_id if a.subject_kind == "member" else cases.get(a.case_id, (None, None))[0]
        if a.case_id in cases:
            a.case_visible = may_see_org(actor, cases[a.case_id][1])
        if member_id in members:
            name, id_number, path = members[member_id]
            in_scope = may_see_org(actor, path)  # a member since moved out of the user's subtree stays unnamed
            if a.subject_kind == "member" or in_scope:
                a.member_id_masked = mask_id(id_number)
            if in_scope:
                a.member_id, a.member_name = member_id, name
        if a.subject_kind == "org":
            a.subject_org = orgs.get(a.subject_id)
    return alerts


def visible_org(session: Session, actor: Actor, code: str) -> Org:
    """The org `code` when the actor may see it. To a user an unknown code and an org outside their subtrees
    get the same answer (status and text), so a refusal never tells which codes exist elsewhere."""
    if actor.is_operator:
        return org_by_code(session, code)
    org = session.scalar(select(Org).where(Org.code == code))
    if org is None or not may_see_org(actor, org.path):
        raise Refused(f"组织 {code} 不存在或不在您的授权范围内", f"org {code} is unknown or outside your subtrees")
    return org


def _scope(session: Session, actor_login: str | None, org_code: str | None) -> tuple[Actor, str | None]:
    actor = load_actor(session, actor_login)
    return actor, (visible_org(session, actor, org_code).path if org_code else None)


def list_alerts(db: Database, *, today: date, actor_login: str | None, as_of: date | None = None,
                filters: AlertFilter = AlertFilter(), page: int = 1, per_page: int = PER_PAGE) -> AlertPage:
    """One page of the open alerts, most severe first, then by due date, with their total counted up to
    COUNT_CAP (pages past it are not offered: the export holds every alert)."""
    day = check_as_of(as_of, today)
    filters.check()
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor, org_path = _scope(s, actor_login, filters.org_code)
        where = _where(actor, day, org_path, filters)
        matching = select(Alert.id).join(Org, Org.id == Alert.org_id).where(*where)
        total = capped_count(s, matching, COUNT_CAP)
        page = max(1, min(page, max(1, -(-total // per_page))))
        rows = s.execute(_page_query(s, actor, day, org_path, filters)
                         .limit(per_page).offset((page - 1) * per_page)).all()
        return AlertPage(_with_names(s, actor, rows), total, page, per_page, day, filters)


def _page_query(s: Session, actor: Actor, day: date, org_path: str | None, filters: AlertFilter):
    """The list in its order. A small subtree (or a few) is read org by org from ix_alerts_org_raised, its
    orgs first, and sorted. A larger one walks the alerts in the list's order, each alert's org checked on
    its primary key by a correlated EXISTS (as a join, the planners would read the whole subtree's alerts
    and sort them). The walk reads ix_alerts_list_order's entries only (level, due_on, id, raised_on,
    closed_on, rule, org_id) and stops at the page: today's list and a past day's alike."""
    scope = _org_scope(actor, org_path)
    query = select(*_COLUMNS).join(Org, Org.id == Alert.org_id)
    if len(s.scalars(select(Org.id).where(*scope).limit(NARROW_SCOPE_ORGS + 1)).all()) <= NARROW_SCOPE_ORGS:
        return query.where(*_where(actor, day, org_path, filters)).order_by(*_ORDER)
    recipient = Org.__table__.alias("recipient")
    in_scope = exists().where(recipient.c.id == Alert.org_id, *_org_scope(actor, org_path, recipient.c.path))
    return query.where(*_open_on(day), *_alert_filters(filters), in_scope).order_by(*_ORDER)




def iter_alerts(db: Database, *, today: date, actor_login: str | None, as_of: date | None = None,
                filters: AlertFilter = AlertFilter()) -> Iterator[AlertRow]:
    """Every open alert of the filter, in the list's order, read in batches (the export, the CLI, JSON).
    A bad filter or an org out of scope is refused here, before the first row is asked for."""
    day = check_as_of(as_of, today)
    filters.check()
    with UnitOfWork(db, write=False) as uow:
        _scope(uow.session, actor_login, filters.org_code)
    return _iterate(db, actor_login, day, filters)


def _iterate(db: Database, actor_login: str | None, day: date, filters: AlertFilter) -> Iterator[AlertRow]:
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor, org_path = _scope(s, actor_login, filters.org_code)
        query = (select(*_COLUMNS).join(Org, Org.id == Alert.org_id).where(*_where(actor, day, org_path, filters))
                 .order_by(*_ORDER))
        done = 0
        while True:
            # cut by position: the list's order is not the id's, so there is no key to continue from
            batch = s.execute(query.limit(BATCH).offset(done)).all()
            if not batch:
                return
            yield from _with_names(s, actor, batch)
            done += len(batch)


def open_alerts(db: Database, *, today: date, actor_login: str | None = None, org_code: str | None = None,
                as_of: date | None = None) -> list[dict]:
    """The JSON list (INTERFACE.md): every open alert of the subtree, most severe first, with `light` the
    highest open level of the alert's subject, and member_name/org_name."""
    rows = [row.as_json() | {"_key": (row.subject_kind, row.subject_id)}
            for row in iter_alerts(db, today=today, actor_login=actor_login, as_of=as_of,
                                   filters=AlertFilter(org_code=org_code))]
    highest: dict[tuple, str] = {}
    for row in rows:
        current = highest.get(row["_key"])
        if current is None or SEVERITY[row["level"]] > SEVERITY[current]:
            highest[row["_key"]] = row["level"]
    for row in rows:
        row["light"] = LIGHTS[highest[row["_key"]]]
        del row["_key"]
    rows.sort(key=lambda r: (-SEVERITY[r["level"]], r["due_on"], r["rule"]))
    return rows
