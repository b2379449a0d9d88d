"""The rows of the member forms of seed 003: 附件1 党员基本信息表 and 附件2 党员名册 (every member of a subtree),
附件4 外出流动党员登记表 (the mobile members who are not lost) and 附件8 外出流动党员情况汇总表 (the same members
counted per org in one GROUP BY and rolled up the tree, like every summary).

The member fields are the roster as recorded now (DOMAIN.md §6.2, as 排查前在册党员人数 is); the date decides
who had joined, who had left by then and who was lost then."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models import Case, CaseEvent, Member, Org
from statemachines.member_codes import mobile_occupation

from ..masking import mask_id
from ..orgtree import in_subtree
from ..permissions import Actor, may_see_full_id
from .registers import BATCH, OrgInfo, org_infos
from .tally.status import superseded
from .tally.tree import TallyNode, org_nodes, roll_up

# a search ends a member's being lost when it reaches them; a void says they never were; a death ends it
NOT_LOST_AFTER = ("reach", "void", "confirm_death")


def lost_on(as_of: date):
    """A member is lost (失联党员) on `as_of` when their latest case opened by then has not reached them, been
    voided nor ended in death by then: the tally's A less B and X (a case still searching or given up)."""
    c = Case.__table__
    e = CaseEvent.__table__
    ended = exists().where(e.c.case_id == c.c.id, e.c.trigger.in_(NOT_LOST_AFTER), e.c.effective_on <= as_of)
    return exists().where(c.c.member_id == Member.id, c.c.opened_on <= as_of, c.c.id.not_in(superseded(as_of)),
                          ~ended)


def away_on(as_of: date):
    """外出流动党员 on `as_of`: flagged mobile, gone by then (or since a day not recorded), not lost."""
    return and_(Member.mobile.is_(True), or_(Member.away_since.is_(None), Member.away_since <= as_of),
                ~lost_on(as_of))


@dataclass(frozen=True)
class MemberInfo:
    name: str
    sex: str | None
    ethnicity: str | None
    birth_date: date | None
    id_number: str            # masked unless the actor may see it
    join_date: date
    standing: str
    probation_start: date | None
    phone: str | None
    occupation: int | None
    branch: OrgInfo
    marital_status: str | None
    work_start_date: date | None
    education: str | None
    degree: str | None
    school: str | None
    party_post: str | None
    mobile: bool
    flow_direction: int | None
    flow_reason: str | None
    flow_card_no: str | None
    receiving_unit: str | None
    away_since: date | None
    abroad: bool
    abroad_date: date | None
    abroad_reason: str | None
    abroad_contact: str | None
    membership_handling: str | None
    return_date: date | None
    life_resumption: str | None
    family: tuple[dict, ...]
    lost: bool                # 失联党员 on the date
    away: bool                # 外出流动党员 on the date (away_on)


FIELDS = ("name", "sex", "ethnicity", "birth_date", "id_number", "join_date", "standing", "probation_start", "phone",
          "occupation", "marital_status", "work_start_date", "education", "degree", "school", "party_post", "mobile",
          "flow_direction", "flow_reason", "flow_card_no", "receiving_unit", "away_since", "abroad", "abroad_date",
          "abroad_reason", "abroad_contact", "membership_handling", "return_date", "life_resumption", "family")


def member_rows(session: Session, root: Org, as_of: date, actor: Actor, *, only_away: bool = False
                ) -> Iterator[MemberInfo]:
    """Every member of `root`'s subtree who had joined by `as_of` (only the 外出流动党员 with `only_away`), in
    branch order, streamed a batch at a time."""
    m = Member.__table__
    where = [in_subtree(Org.path, root.path), Member.join_date <= as_of]
    if only_away:
        where.append(away_on(as_of))
    query = (select(*(m.c[f] for f in FIELDS), m.c.branch_id, lost_on(as_of).label("lost"),
                    away_on(as_of).label("away"))
             .join(Org, Org.id == Member.branch_id).where(*where).order_by(Org.path, Member.join_date, Member.id))
    orgs = org_infos(session, root)
    for r in session.execute(query.execution_options(yield_per=BATCH)).mappings():
        branch = orgs[r["branch_id"]]
        values = {f: r[f] for f in FIELDS}
        values["id_number"] = r["id_number"] if may_see_full_id(actor, branch.path) else mask_id(r["id_number"])
        values["family"] = tuple(json.loads(r["family"])) if r["family"] else ()
        yield MemberInfo(**values, branch=branch, lost=bool(r["lost"]), away=bool(r["away"]))


MOBILE_SUMMARY_KEYS = ("total", *(f"occupation{i}" for i in range(1, 6)), "occupation_unknown",
                       *(f"direction{i}" for i in range(1, 7)), "direction_unknown", "card", "probationary")


def mobile_summary(session: Session, root: Org, as_of: date) -> TallyNode:
    """附件8 per org, rolled up: the 外出流动党员 by 附件4's occupation ①–⑤ and by 外出流向 ①–⑥, and those holding
    a 流动党员活动证. One GROUP BY over the subtree's members; each group lands on its branch's node."""
    has_card = func.coalesce(func.length(func.trim(Member.flow_card_no)), 0) > 0
    probationary = Member.standing == "probationary"
    keys = (Member.branch_id, Member.occupation, Member.flow_direction, has_card.label("card"),
            probationary.label("probationary"))
    query = (select(*keys, func.count().label("n")).join(Org, Org.id == Member.branch_id)
             .where(in_subtree(Org.path, root.path), Member.join_date <= as_of, away_on(as_of))
             .group_by(*keys))
    nodes = org_nodes(session, root, MOBILE_SUMMARY_KEYS)
    for r in session.execute(query).mappings():
        node, n = nodes[r["branch_id"]], r["n"]
        node.add("total", n)
        occupation = mobile_occupation(r["occupation"])
        node.add(f"occupation{occupation}" if occupation else "occupation_unknown", n)
        node.add(f"direction{r['flow_direction']}" if r["flow_direction"] in range(1, 7) else "direction_unknown", n)
        node.add("card", n if r["card"] else 0)
        node.add("probationary", n if r["probationary"] else 0)
    return roll_up(nodes, root.id)
