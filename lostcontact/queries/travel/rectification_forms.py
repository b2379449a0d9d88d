"""Seed 002 附件2 干部因私出国（境）专项整治工作情况汇总统计表 as counts, per org row, over a campaign's period
(its opening day to the day asked about): new registrations, documents received, persons with an unapproved trip
(P4), problems by kind and the handled ones by measure (人次). Each is one GROUP BY over the histories, rolled up
to the form's rows in Python."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import Session

from models import CustodyEvent, Org, PersonEvent, Problem, TravelDocument
from statemachines.travel.codes import PRIVATE_KINDS

from ...orgtree import in_subtree
from ...services.travel.history import persons_as_of
from .governance_forms import MEASURE_COLUMNS, ORG_SIDE_KINDS
from .problems import _as_of as problems_as_of

_orgs, _problems, _docs = Org.__table__, Problem.__table__, TravelDocument.__table__
_person_events, _custody_events = PersonEvent.__table__, CustodyEvent.__table__
UNAPPROVED_TRIP = "P4"   # 未经批准擅自因私出国（境）
__all__ = ["MEASURE_COLUMNS", "ORG_SIDE_KINDS", "RectificationRow", "rectification_summary"]


@dataclass
class RectificationRow:
    org_id: int
    name: str
    path: str
    new_registrations: int = 0                            # 新增登记备案人数
    received: int = 0                                     # 新收缴证件数(本)
    unapproved_trips: int = 0                             # …以来未经审批出国（境）人数
    problems: Counter = field(default_factory=Counter)    # by kind
    handled_persons: int = 0                              # 处理人数
    measures: Counter = field(default_factory=Counter)    # 处理方式（人次）: handled problems by measure


def rectification_summary(session: Session, root: Org, campaign, day: date) -> list[RectificationRow]:
    children = session.execute(select(_orgs.c.id, _orgs.c.name, _orgs.c.path)
                               .where(_orgs.c.parent_id == root.id).order_by(_orgs.c.path)).all()
    rows = [RectificationRow(root.id, root.name, root.path),
            *(RectificationRow(c.id, c.name, c.path) for c in children)]
    start = campaign.opened_on
    in_root = in_subtree(_orgs.c.path, root.path)

    def roll_up(result, add) -> None:
        for path, *values in result:
            for row in rows:
                if path.startswith(row.path):
                    add(row, *values)

    # 新增: filed within the period and never before it (a re-filing after a change is not new)
    e, earlier = _person_events, _person_events.alias("earlier_registration")
    before = select(earlier.c.id).where(earlier.c.person_id == e.c.person_id, earlier.c.action == "register",
                                        earlier.c.effective_on < start).exists()
    roll_up(session.execute(
        select(_orgs.c.path, func.count(func.distinct(e.c.person_id))).select_from(e.join(_orgs, _orgs.c.id == e.c.org_id))
        .where(in_root, e.c.action == "register", e.c.effective_on >= start, e.c.effective_on <= day, ~before)
        .group_by(_orgs.c.path)), lambda row, n: setattr(row, "new_registrations", row.new_registrations + n))

    # 新收缴: private documents received into custody within the period, by the holder's org that day
    c, p = _custody_events, persons_as_of(day)
    roll_up(session.execute(
        select(_orgs.c.path, func.count()).select_from(
            c.join(_docs, _docs.c.id == c.c.document_id).join(p, p.c.person_id == _docs.c.person_id)
            .join(_orgs, _orgs.c.id == p.c.org_id))
        .where(in_root, c.c.trigger == "receive", c.c.effective_on >= start, c.c.effective_on <= day,
               _docs.c.kind.in_(PRIVATE_KINDS))
        .group_by(_orgs.c.path)), lambda row, n: setattr(row, "received", row.received + n))

    a = problems_as_of(day)
    live = _problems.join(a, a.c.problem_id == _problems.c.id).join(_orgs, _orgs.c.id == _problems.c.org_id)
    period = [in_root, _problems.c.found_on >= start, a.c.status != "dismissed"]
    roll_up(session.execute(select(_orgs.c.path, _problems.c.kind, func.count()).select_from(live).where(*period)
                            .group_by(_orgs.c.path, _problems.c.kind)),
            lambda row, kind, n: row.problems.update({kind: n}))
    roll_up(session.execute(select(_orgs.c.path, func.count(func.distinct(_problems.c.person_id))).select_from(live)
                            .where(*period, _problems.c.kind == UNAPPROVED_TRIP).group_by(_orgs.c.path)),
            lambda row, n: setattr(row, "unapproved_trips", row.unapproved_trips + n))
    handled = [*period, a.c.status == "handled"]
    roll_up(session.execute(select(_orgs.c.path, func.count(func.distinct(_problems.c.person_id))).select_from(live)
                            .where(*handled).group_by(_orgs.c.path)),
            lambda row, n: setattr(row, "handled_persons", row.handled_persons + n))
    for measure in MEASURE_COLUMNS:
        holds = (literal(",") + func.coalesce(a.c.measures, "") + literal(",")).like(f"%,{measure},%")
        roll_up(session.execute(select(_orgs.c.path, func.count()).select_from(live).where(and_(*handled, holds))
                                .group_by(_orgs.c.path)),
                lambda row, n, m=measure: row.measures.update({m: n}))
    return rows
