"""Seed 000 附件2-3/2-4 as counts: what a self-report campaign found, per org row and by rank, as of any day.

Every count is one GROUP BY (org, rank) over the persons as of the day (their org and rank from the history)
joined with their reports as of the day (the confirmed ones, their current submission's lines) or with their
problems as of the day; the groups are rolled up to the form's rows in Python, never a row per person."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from models import Org, Person, Problem, SelfReportDocument
from statemachines.travel.codes import DOCUMENT_KINDS

from ...orgtree import in_subtree
from ...services.travel.history import persons_as_of
from ..travel.problems import _as_of as problems_as_of
from ..travel.self_reports import reports_as_of

_persons, _orgs, _lines, _problems = Person.__table__, Org.__table__, SelfReportDocument.__table__, Problem.__table__

# The forms' rank columns after 小计, in their order; 省部级 counts as 市厅级 (the forms have no higher column);
# a person of rank “其他” counts in 小计 only.
RANK_COLUMNS = ("bureau", "county", "township", "staff", "party_only")
RANK_COLUMN_OF = {"provincial": "bureau", "bureau": "bureau", "county": "county", "township": "township",
                  "staff": "staff", "party_only": "party_only"}
# 检查处理情况's three groups, as a problem's measures (MEASURES ids) hold them
HANDLINGS = ("party_government_sanction", "organisational_handling", "referral_judicial")
CHECKED, MULTIPLE, CORRECTED = "checked", "multiple", "corrected"
TRAVEL_DOCUMENT_KINDS = tuple(k for k in DOCUMENT_KINDS if k != "resident_id")


@dataclass(frozen=True)
class HoldingForm:
    """What distinguishes 附件2-3 (身份证) from 附件2-4 (出国（境）证件)."""
    kinds: tuple[str, ...]           # the document lines it reads
    by_identity: bool                # 持有两个以上…: distinct identities (names on the documents), else distinct numbers
    problem_kinds: tuple[str, ...]   # the problems whose handling it counts


ID_CARDS = HoldingForm(("resident_id",), False, ("M1",))
TRAVEL_DOCUMENTS = HoldingForm(TRAVEL_DOCUMENT_KINDS, True, ("P1", "P2", "P3", "Q1"))


@dataclass
class HoldingRow:
    """One row: an org (its whole subtree); each count by rank column, 小计 under the key None."""
    org_id: int
    name: str
    path: str
    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, group: str, rank: str, n: int) -> None:
        counter = self.counts.setdefault(group, Counter())
        counter[None] += n
        if rank in RANK_COLUMN_OF:
            counter[RANK_COLUMN_OF[rank]] += n

    def get(self, group: str, column: str | None) -> int:
        return self.counts.get(group, Counter())[column]


def org_rows(session: Session, root: Org) -> list[HoldingRow]:
    """The root (its subtree), then each org directly below it."""
    children = session.execute(select(_orgs.c.id, _orgs.c.name, _orgs.c.path)
                               .where(_orgs.c.parent_id == root.id).order_by(_orgs.c.path)).all()
    return [HoldingRow(root.id, root.name, root.path), *(HoldingRow(c.id, c.name, c.path) for c in children)]


def holding_summary(session: Session, root: Org, campaign, day: date, form: HoldingForm) -> list[HoldingRow]:
    rows = org_rows(session, root)

    def roll_up(group: str, result) -> None:
        for path, rank, n in result:
            for row in rows:
                if path.startswith(row.path) and n:
                    row.add(group, rank, int(n))

    p = persons_as_of(day)
    scope = and_(in_subtree(_orgs.c.path, root.path), in_subtree(_orgs.c.path, campaign.scope_path))
    rep = reports_as_of(campaign.id, day)
    confirmed = (select(rep.c.report_id, rep.c.person_id, rep.c.submission_seq)
                 .where(rep.c.state == "confirmed").subquery("confirmed"))
    identity = func.coalesce(func.nullif(_lines.c.name_on_document, ""), _persons.c.name) if form.by_identity \
        else _lines.c.number
    per_report = (select(confirmed.c.report_id, func.count(func.distinct(identity)).label("held"),
                         func.sum(case((_lines.c.self_corrected, 1), else_=0)).label("corrected"))
                  .select_from(confirmed.join(_lines, and_(_lines.c.report_id == confirmed.c.report_id,
                                                           _lines.c.submission_seq == confirmed.c.submission_seq))
                               .join(_persons, _persons.c.id == confirmed.c.person_id))
                  .where(_lines.c.kind.in_(form.kinds)).group_by(confirmed.c.report_id).subquery("per_report"))
    counted = session.execute(
        select(_orgs.c.path, p.c.rank, func.count().label("checked"),
               func.sum(case((per_report.c.held >= 2, 1), else_=0)).label("multiple"),
               func.sum(func.coalesce(per_report.c.corrected, 0)).label("corrected"))
        .select_from(p.join(_orgs, _orgs.c.id == p.c.org_id)
                     .join(confirmed, confirmed.c.person_id == p.c.person_id)
                     .outerjoin(per_report, per_report.c.report_id == confirmed.c.report_id))
        .where(scope).group_by(_orgs.c.path, p.c.rank)).all()
    for group in (CHECKED, MULTIPLE, CORRECTED):
        roll_up(group, ((r.path, r.rank, getattr(r, group)) for r in counted))

    a = problems_as_of(day)
    for measure in HANDLINGS:
        holds = (literal(",") + func.coalesce(a.c.measures, "") + literal(",")).like(f"%,{measure},%")
        roll_up(measure, session.execute(
            select(_orgs.c.path, p.c.rank, func.count(func.distinct(_problems.c.person_id)))
            .select_from(_problems.join(a, a.c.problem_id == _problems.c.id)
                         .join(p, p.c.person_id == _problems.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
            .where(scope, _problems.c.kind.in_(form.problem_kinds), _problems.c.found_on >= campaign.opened_on,
                   a.c.status == "handled", holds)
            .group_by(_orgs.c.path, p.c.rank)))
    return rows
