"""Seed 001 附件2 专项治理工作情况汇总统计表 as counts, per org row, as of any day: the persons on file by
registered-person type, the problems found by kind, and the handled ones by org, by the person's rank and by
measure. Each is one GROUP BY over the histories as of the day (persons_as_of, the problems' latest records),
rolled up to the form's rows in Python (a handful of groups per org, never a row per person)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from models import Org, Problem
from statemachines.travel.codes import ON_FILE

from ...orgtree import in_subtree
from ...services.travel.history import persons_as_of
from .problems import _as_of as problems_as_of

_orgs, _problems = Org.__table__, Problem.__table__

# 登记备案人员数's columns after 小计, in the form's order (the other types count in 小计 only)
TYPE_COLUMNS = ("county_level_serving", "bureau_level_retired", "enterprise_leader", "sensitive_post",
                "naked_official")
ORG_SIDE_KINDS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7")   # 问题排查情况's seven columns
POLICE_SIDE_KINDS = ("Q1", "Q2", "Q3")                          # the police side's, written in 备注
# 处理人员's rank columns after 小计: 省部级, 厅局级, 县处级, 乡科级, 其他 (一般国家工作人员, 非公职党员, 其他)
RANK_COLUMN_OF = {"provincial": "provincial", "bureau": "bureau", "county": "county", "township": "township"}
RANK_COLUMNS = ("provincial", "bureau", "county", "township", "other")
MEASURE_COLUMNS = ("criticism", "admonition", "transfer", "ordered_resignation", "removal", "demotion",
                   "referral_discipline")


@dataclass
class GovernanceRow:
    org_id: int
    name: str
    path: str
    units: int = 0                                            # 开展治理的地区和单位数
    on_file: Counter = field(default_factory=Counter)         # by type; 小计 under None
    problems: Counter = field(default_factory=Counter)        # by kind
    handling_units: int = 0                                   # 处理单位数
    handled: Counter = field(default_factory=Counter)         # persons by rank column; 小计 under None
    measures: Counter = field(default_factory=Counter)        # persons by measure


def governance_summary(session: Session, root: Org, day: date) -> list[GovernanceRow]:
    children = session.execute(select(_orgs.c.id, _orgs.c.name, _orgs.c.path)
                               .where(_orgs.c.parent_id == root.id).order_by(_orgs.c.path)).all()
    rows = [GovernanceRow(root.id, root.name, root.path), *(GovernanceRow(c.id, c.name, c.path) for c in children)]

    def rows_over(path: str):
        return [r for r in rows if path.startswith(r.path)]

    p = persons_as_of(day, statuses=ON_FILE)
    units: dict[int, set[str]] = {r.org_id: set() for r in rows}
    for path, person_type, n in session.execute(
            select(_orgs.c.path, p.c.person_type, func.count())
            .select_from(p.join(_orgs, _orgs.c.id == p.c.org_id)).where(in_subtree(_orgs.c.path, root.path))
            .group_by(_orgs.c.path, p.c.person_type)):
        for row in rows_over(path):
            units[row.org_id].add(path)
            row.on_file[None] += n
            row.on_file[person_type if person_type in TYPE_COLUMNS else "others"] += n

    for row in rows:
        row.units = len(units[row.org_id])

    a = problems_as_of(day)
    live = (_problems.join(a, a.c.problem_id == _problems.c.id).join(_orgs, _orgs.c.id == _problems.c.org_id))
    scope = [in_subtree(_orgs.c.path, root.path), a.c.status != "dismissed"]
    for path, kind, n in session.execute(select(_orgs.c.path, _problems.c.kind, func.count()).select_from(live)
                                         .where(*scope).group_by(_orgs.c.path, _problems.c.kind)):
        for row in rows_over(path):
            row.problems[kind] += n

    handled = [in_subtree(_orgs.c.path, root.path), a.c.status == "handled"]
    for (path,) in session.execute(select(_orgs.c.path).select_from(live).where(*handled).distinct()):
        for row in rows_over(path):
            row.handling_units += 1
    ranked = persons_as_of(day)
    by_person = live.join(ranked, ranked.c.person_id == _problems.c.person_id)
    for path, rank, n in session.execute(
            select(_orgs.c.path, ranked.c.rank, func.count(func.distinct(_problems.c.person_id)))
            .select_from(by_person).where(*handled).group_by(_orgs.c.path, ranked.c.rank)):
        for row in rows_over(path):
            row.handled[None] += n
            row.handled[RANK_COLUMN_OF.get(rank, "other")] += n
    for measure in MEASURE_COLUMNS:
        holds = (literal(",") + func.coalesce(a.c.measures, "") + literal(",")).like(f"%,{measure},%")
        for path, n in session.execute(
                select(_orgs.c.path, func.count(func.distinct(_problems.c.person_id))).select_from(live)
                .where(*handled, holds).group_by(_orgs.c.path)):
            for row in rows_over(path):
                row.measures[measure] += n
    return rows
