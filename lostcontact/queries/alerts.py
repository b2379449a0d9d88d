"""The alerts open for a subtree as of a day: one query behind the web list (filtered, paged, exported), the
CLI table and the JSON (INTERFACE.md `alerts`). Each row carries what a person reads — the rule in words,
the recipient org's name, and the member's name to a user whose subtree holds the member — and keeps the
English ids for the JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from typing import Iterator

from sqlalchemy import Date, Integer, String, bindparam, exists, or_, select
from sqlalchemy.orm import Session

from models import Alert, Case, Member, Org
from models.db import Database
from statemachines.codes import ALERT_LEVELS, ALERT_RULES
from statemachines.errors import BadInput, Refused, UsageError

from ..masking import mask_id
from .counting import CappedTotal, count_limit, count_up_to
from ..orgtree import OrgRef, in_subtree_bound, org_ref_by_code, subtree_bounds
from ..permissions import Actor, load_actor, may_see_org, scope_bounds, scope_filter_bound, scope_shape
from ..prepared import connection_of
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


# The list's statements are built once per shape (operator or how many subtrees the user holds, an org
# chosen or not, which filters are set), with the day, the subtrees' bounds and the filters' values as
# parameters (`_parameters`): a statement reused keeps its cache key, where building and keying it anew
# on every page cost more Python than the database spends answering.
_DAY = bindparam("day", type_=Date)
_FILTERS = {"rule": Alert.rule == bindparam("rule", type_=String),
            "level": Alert.level == bindparam("level", type_=String),
            "raised_from": Alert.raised_on >= bindparam("raised_from", type_=Date),
            "raised_to": Alert.raised_on <= bindparam("raised_to", type_=Date)}
_OPEN_ON_DAY = (Alert.raised_on <= _DAY, or_(Alert.closed_on.is_(None), Alert.closed_on > _DAY))


@dataclass(frozen=True)
class _Shape:
    subtrees: int | None   # permissions.scope_shape: the user's subtrees (None: the operator's whole tree)
    by_org: bool           # within a chosen org's subtree
    filters: tuple[str, ...]  # the set filters, in _FILTERS' order

    @classmethod
    def of(cls, actor: Actor, org_path: str | None, f: AlertFilter) -> "_Shape":
        return cls(scope_shape(actor), org_path is not None,
                   tuple(name for name in _FILTERS if getattr(f, name)))


def _parameters(actor: Actor, day: date, org_path: str | None, f: AlertFilter) -> dict:
    params = {"day": day, **{name: getattr(f, name) for name in _FILTERS}, **count_limit(COUNT_CAP),
              "orgs_limit": NARROW_SCOPE_ORGS + 1, **scope_bounds(actor)}
    return params | (subtree_bounds(org_path, "org") if org_path is not None else {})


def _org_scope(shape: _Shape, path=Org.path) -> list:
    """The recipient org (its `path` column) inside the user's subtrees and the chosen org's."""
    scope = [c for c in (scope_filter_bound(shape.subtrees, path),) if c is not None]
    return scope + ([in_subtree_bound(path, "org")] if shape.by_org else [])


@lru_cache(maxsize=256)
def _statements(shape: _Shape) -> SimpleNamespace:
    """count: the matching alerts up to COUNT_CAP; orgs: the scope's orgs, up to NARROW_SCOPE_ORGS + 1 (both
    caps are parameters, which `_parameters` fills); listed: the list in its order read with the recipient
    joined (a small subtree, and the export); walked: the list walked in its order (a larger subtree), both
    paged by `limit` and `offset`."""
    where = [*_OPEN_ON_DAY, *(_FILTERS[name] for name in shape.filters)]
    scope = _org_scope(shape)
    joined = select(*_COLUMNS).join(Org, Org.id == Alert.org_id)
    page = dict(limit=bindparam("limit", type_=Integer), offset=bindparam("offset", type_=Integer))
    recipient = Org.__table__.alias("recipient")
    in_scope = exists().where(recipient.c.id == Alert.org_id, *_org_scope(shape, recipient.c.path))
    return SimpleNamespace(
        count=count_up_to(select(Alert.id).join(Org, Org.id == Alert.org_id).where(*where, *scope)),
        orgs=select(Org.id).where(*scope).limit(bindparam("orgs_limit", type_=Integer)),
        listed=joined.where(*where, *scope).order_by(*_ORDER).limit(page["limit"]).offset(page["offset"]),
        walked=joined.where(*where, in_scope).order_by(*_ORDER).limit(page["limit"]).offset(page["offset"]))


_CASES = (select(Case.id, Case.member_id, Org.path).join(Org, Org.id == Case.branch_id)
          .where(Case.id.in_(bindparam("ids", expanding=True))))
_MEMBERS = (select(Member.id, Member.name, Member.id_number, Org.path).join(Org, Org.id == Member.branch_id)
            .where(Member.id.in_(bindparam("ids", expanding=True))))
_ORGS = select(Org.id, Org.code, Org.name).where(Org.id.in_(bindparam("ids", expanding=True)))


def _with_names(session: Session, actor: Actor, rows) -> list[AlertRow]:
    """One page (or batch) of alert rows with their members' names and org subjects: three small IN reads."""
    connection = connection_of(session)

    def read(statement, ids: set) -> dict:
        return {key: values for key, *values in connection.execute(statement, {"ids": sorted(ids)})} if ids else {}

    alerts = [AlertRow(*row) for row in rows]
    cases = read(_CASES, {a.case_id for a in alerts if a.case_id is not None})
    members = read(_MEMBERS, {a.subject_id for a in alerts if a.subject_kind == "member"}
                   | {m for m, _p in cases.values()})
    orgs = read(_ORGS, {a.subject_id for a in alerts if a.subject_kind == "org"})
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
            a.subject_org = tuple(orgs[a.subject_id]) if a.subject_id in orgs else None
    return alerts


def visible_org(session: Session, actor: Actor, code: str) -> OrgRef:
    """The org `code` when the actor may see it. To a user an unknown code and an org outside their subtrees
    get the same answer (status and text), so a refusal never tells which codes exist elsewhere."""
    try:
        org = org_ref_by_code(session, code)
    except BadInput:
        if actor.is_operator:
            raise
        org = None
    if org is None or not may_see_org(actor, org.path):
        raise Refused(f"组织 {code} 不存在或不在您的授权范围内", f"org {code} is unknown or outside your subtrees")
    return org


def _scope(session: Session, actor_login: str | None, org_code: str | None) -> tuple[Actor, str | None]:
    actor = load_actor(session, actor_login)
    return actor, (visible_org(session, actor, org_code).path if org_code else None)


def list_alerts(db: Database, *, today: date, actor_login: str | None, as_of: date | None = None,
                filters: AlertFilter = AlertFilter(), page: int = 1, per_page: int = PER_PAGE) -> AlertPage:
    """One page of the open alerts, most severe first, then by due date, with their total counted up to
    COUNT_CAP (pages past it are not offered: the export holds every alert).

    A small subtree (or a few) is read org by org from ix_alerts_org_raised, its orgs first, and sorted. A
    larger one walks the alerts in the list's order, each alert's org checked on its primary key by a
    correlated EXISTS (as a join, the planners would read the whole subtree's alerts and sort them). The
    walk reads ix_alerts_list_order's entries only (level, due_on, id, raised_on, closed_on, rule, org_id)
    and stops at the page: today's list and a past day's alike."""
    day = check_as_of(as_of, today)
    filters.check()
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor, org_path = _scope(s, actor_login, filters.org_code)
        return alert_page(s, actor, day, org_path, filters, page, per_page)


def alert_page(s: Session, actor: Actor, day: date, org_path: str | None, filters: AlertFilter, page: int,
               per_page: int) -> AlertPage:
    """list_alerts' page in the caller's unit of work, given the actor, the checked filter and the path of
    its org (one the actor may see)."""
    statements = _statements(_Shape.of(actor, org_path, filters))
    params = _parameters(actor, day, org_path, filters)
    connection = connection_of(s)
    total = CappedTotal(connection.scalar(statements.count, params), COUNT_CAP)
    page = max(1, min(page, max(1, -(-total // per_page))))
    narrow = len(connection.execute(statements.orgs, params).all()) <= NARROW_SCOPE_ORGS
    rows = connection.execute(statements.listed if narrow else statements.walked,
                              params | {"limit": per_page, "offset": (page - 1) * per_page}).all()
    return AlertPage(_with_names(s, actor, rows), total, page, per_page, day, filters)


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
        query = _statements(_Shape.of(actor, org_path, filters)).listed
        params = _parameters(actor, day, org_path, filters)
        done = 0
        while True:
            # cut by position: the list's order is not the id's, so there is no key to continue from
            batch = connection_of(s).execute(query, params | {"limit": BATCH, "offset": done}).all()
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
