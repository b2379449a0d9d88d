"""An org's rules on private travel (seed 002 “应建尽建”, 附件3's 制度名称及出台时间): recorded by a cadre
supervisor over the org, read by every reader of the programme."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from models import Org, TravelRule
from models.base import utcnow
from models.db import Database
from statemachines.errors import Refused, UsageError

from ...permissions import load_actor
from ...uow import UnitOfWork
from .access import org_for_custodian

_rules, _orgs = TravelRule.__table__, Org.__table__
NAME_LIMIT = 200


def add_rule(db: Database, org_code: str, *, name: str, issued_on: date, actor_login: str | None, today: date) -> int:
    """Record a rule the org issued (not in the future; the same name and day twice is refused)."""
    name = (name or "").strip()
    if not name:
        raise UsageError("制度名称不能为空", "the rule's name is empty")
    if len(name) > NAME_LIMIT:
        raise UsageError(f"制度名称不能超过 {NAME_LIMIT} 个字符", f"the rule's name is longer than {NAME_LIMIT}")
    if issued_on > today:
        raise Refused(f"出台时间 {issued_on} 晚于今天（{today}）", f"the issue day {issued_on} is in the future", "--issued")
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        org_id, _path, _grant = org_for_custodian(s, org_code, actor, "travel rule")
        same = conn.execute(select(_rules.c.id).where(_rules.c.org_id == org_id, _rules.c.name == name,
                                                      _rules.c.issued_on == issued_on)).first()
        if same is not None:
            raise Refused(f"该单位已登记 {issued_on} 出台的《{name}》", f"this rule of {issued_on} is already recorded")
        rule_id = conn.execute(insert(_rules).values(org_id=org_id, name=name, issued_on=issued_on,
                                                     recorded_by=actor.label(), recorded_at=utcnow())
                               ).inserted_primary_key[0]
        uow.commit()
        return rule_id


def list_rules(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
               org_code: str | None = None) -> list[dict]:
    """The rules issued by the day in the reader's subtrees (or `org_code`'s), by org then date."""
    from ...queries.travel.as_of import org_filter
    from ..dates import check_as_of

    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        rows = conn.execute(select(_rules.c.id, _rules.c.name, _rules.c.issued_on, _orgs.c.code, _orgs.c.name)
                            .join(_orgs, _orgs.c.id == _rules.c.org_id)
                            .where(_rules.c.issued_on <= day, *org_filter(conn, actor, org_code, _orgs.c.path))
                            .order_by(_orgs.c.path, _rules.c.issued_on, _rules.c.id)).all()
        return [{"id": r[0], "name": r[1], "issued_on": r[2].isoformat(), "org": r[3], "org_name": r[4]}
                for r in rows]

