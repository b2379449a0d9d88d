"""The trip checks (PROGRAMMES.md §4) as set-based SQL, each ONE SELECT of (person_id, subject, org_id, evidence
[, self_corrected]) for the runner in checks.py: the administration's crossings against the approved private
trips (P4, P5), and the approvals themselves (P7). docs/travel-documents.md#checks has the readings.

An approval stands when the trip is in statemachines.travel.trips.APPROVED_STATES and was approved on or before
the crossing (an approval given after the exit approves nothing)."""
from __future__ import annotations

from sqlalchemy import Select, String, and_, case, exists, func, literal, not_, or_, select, union_all

from models import Org, PoliceCrossing, TravelDocument, Trip, TripEvent
from statemachines.codes import ORG_LEVELS
from statemachines.travel.codes import PRIVATE_KINDS, RANKS
from statemachines.travel.trips import APPROVED_STATES

from .check_sql import Scope, day_text, kind_label, masked_document, on_file_on, text
from .self_report_lines import exit_self_corrected

_crossings, _trips, _trip_events = PoliceCrossing.__table__, Trip.__table__, TripEvent.__table__
_orgs, _docs = Org.__table__, TravelDocument.__table__
_STRING = String()


def _flag(condition):
    return case((condition, True), else_=False)


def _approved(t, by_day):
    return and_(t.c.state.in_(APPROVED_STATES), t.c.approved_on <= by_day)


def check_p4(scope: Scope) -> Select:
    """未经批准擅自因私出国（境）: an exit on a private document of a person on file that day, which no approved
    trip of theirs covers (approved by the exit day, planned to return on or after it). Subject
    `exit:<day>:<kind>:<number>`."""
    p, c, day = scope.persons, _crossings, scope.day
    covered = exists().where(_trips.c.person_id == p.c.person_id, _approved(_trips, c.c.crossed_on),
                             _trips.c.planned_return >= c.c.crossed_on)
    return (select(p.c.person_id,
                   text("exit:", day_text(c.c.crossed_on), ":", c.c.document_kind, ":", c.c.document_number)
                   .label("subject"), p.c.org_id,
                   text("公安出入境管理部门记录其于 ", day_text(c.c.crossed_on), " 持", kind_label(c.c.document_kind), " ",
                        masked_document(c.c.document_number), " 经", c.c.port, "出境",
                        func.coalesce(text("（前往", c.c.destination, "）"), ""),
                        "，其时为登记备案人员，没有经批准的因私出国（境）申请").label("evidence"),
                   _flag(exit_self_corrected(p.c.person_id, c.c.crossed_on, day)).label("self_corrected"))
            .join(c, c.c.id_number == p.c.id_number)
            .where(c.c.direction == "exit", c.c.document_kind.in_(PRIVATE_KINDS), c.c.crossed_on <= day,
                   not_(covered), on_file_on(p.c.person_id, c.c.crossed_on)))


def _legs(scope: Scope):
    """Each approved trip of a person in scope with its exit: the one the unit recorded, else the
    administration's first exit on the trip's document between the approval and the planned return."""
    p, t, c, day = scope.persons, _trips, _crossings, scope.day
    d = _docs.alias("trip_document")
    police_exit = (select(func.min(c.c.crossed_on))
                   .where(c.c.id_number == p.c.id_number, c.c.direction == "exit", c.c.document_kind == d.c.kind,
                          c.c.document_number == d.c.number, c.c.crossed_on >= t.c.approved_on,
                          c.c.crossed_on <= t.c.planned_return, c.c.crossed_on <= day).scalar_subquery())
    return (select(t.c.id.label("trip_id"), p.c.person_id, p.c.org_id, p.c.id_number, t.c.planned_departure,
                   t.c.planned_return, t.c.destinations, t.c.deviations, t.c.actual_entry_on, d.c.kind, d.c.number,
                   func.coalesce(t.c.actual_exit_on, police_exit).label("exit_on"))
            .select_from(t.join(p, p.c.person_id == t.c.person_id).join(d, d.c.id == t.c.document_id))
            .where(_approved(t, day)).subquery("legs"))


def check_p5(scope: Scope) -> Select:
    """未按审批要求因私出国（境）: an approved trip whose exit came before the planned departure (subject
    `trip:<id>:left_early`), whose entry came after the planned return (`trip:<id>:returned_late`), or which
    went where it was not approved (`trip:<id>:other_destination`): the unit's record of the return, or the
    administration's exit destination where it recorded one."""
    legs, c, day = _legs(scope), _crossings, scope.day
    police_entry = (select(func.min(c.c.crossed_on))
                    .where(c.c.id_number == legs.c.id_number, c.c.direction == "entry",
                           c.c.document_kind == legs.c.kind, c.c.document_number == legs.c.number,
                           c.c.crossed_on >= legs.c.exit_on, c.c.crossed_on <= day).scalar_subquery())
    entry_on = func.coalesce(legs.c.actual_entry_on, police_entry)
    elsewhere = exists().where(c.c.id_number == legs.c.id_number, c.c.direction == "exit",
                               c.c.crossed_on == legs.c.exit_on, c.c.document_number == legs.c.number,
                               c.c.destination.is_not(None), c.c.destination != "",
                               not_(legs.c.destinations.like(literal('%"').concat(c.c.destination).concat('"%'))))
    corrected = _flag(exit_self_corrected(legs.c.person_id, legs.c.exit_on, day)).label("self_corrected")

    def finding(deviation: str, evidence, *where):
        return (select(legs.c.person_id, text("trip:", legs.c.trip_id.cast(_STRING), ":", deviation).label("subject"),
                       legs.c.org_id, text("出行申请 ", legs.c.trip_id.cast(_STRING), " 批准 ",
                                           day_text(legs.c.planned_departure), " 至 ", day_text(legs.c.planned_return),
                                           "，", *evidence).label("evidence"), corrected)
                .where(*where))

    return union_all(
        finding("left_early", ("实际于 ", day_text(legs.c.exit_on), " 出境，早于批准日期"),
                legs.c.exit_on < legs.c.planned_departure),
        finding("returned_late", ("实际于 ", day_text(entry_on), " 入境，晚于批准日期"),
                entry_on > legs.c.planned_return),
        finding("other_destination", ("前往未经批准的国家（地区）（批准前往 ", legs.c.destinations, "）"),
                or_(legs.c.deviations.like('%"other_destination"%'), elsewhere)))


def check_p7(scope: Scope) -> Select:
    """审批因私出国（境）事项把关不严 — a problem of the approving org: found on the traveller (the approval
    concerned them) and filed under the org of the approving grant (`org_id`), so that org's readers see it.
    An approval with no discipline consultation before it where one was required (the person on file on the
    approval day, or a strictly reviewed trip; subject `trip:<id>:consultation`), or by a grant below the rank's
    approving level (policy `[travel.trip_approval]` and the person's rank, both as of the run's day) or
    outside the person's org (as of the run's day too)
    (`trip:<id>:authority`)."""
    p, t, e, day = scope.persons, _trips, _trip_events, scope.day
    g, own = _orgs.alias("approving_org"), _orgs.alias("person_org")
    order = list(ORG_LEVELS)
    rank = p.c.rank   # as of the run's day, like the org and the policy: never the person's current row
    required = case(*((rank == r, order.index(level)) for r, level in scope.policy.trip_approval.items()
                      if level != "unit"), else_=None)
    granted = case(*((g.c.level == level, i) for i, level in enumerate(order)), else_=len(order))
    required_label = case(*((rank == r, ORG_LEVELS[level]) for r, level in scope.policy.trip_approval.items()
                            if level != "unit"), else_="")
    rank_label = case(*((rank == r, label) for r, label in RANKS.items()), else_=rank)
    base = (t.join(p, p.c.person_id == t.c.person_id).join(own, own.c.id == p.c.org_id)
            .join(e, and_(e.c.trip_id == t.c.id, e.c.trigger == "approve"))
            .outerjoin(g, g.c.id == e.c.grant_org_id))
    approval = text("出行申请 ", t.c.id.cast(_STRING), " 于 ", day_text(t.c.approved_on), " 由 ",
                    func.coalesce(t.c.approved_by, e.c.actor), "（", func.coalesce(g.c.name, ""), "）批准，")
    no_consultation = (
        select(p.c.person_id, text("trip:", t.c.id.cast(_STRING), ":consultation").label("subject"),
               func.coalesce(e.c.grant_org_id, p.c.org_id).label("org_id"),
               text(approval, "批准前未征求纪检监察机关意见（",
                    case((t.c.strict_review, "严格审查对象"), else_="登记备案人员"), "）").label("evidence"))
        .select_from(base)
        .where(_approved(t, day), or_(t.c.consulted_on.is_(None), t.c.consulted_on > t.c.approved_on),
               or_(t.c.strict_review, on_file_on(t.c.person_id, t.c.approved_on))))
    outside = or_(own.c.path < g.c.path, own.c.path >= g.c.path.concat("\x7f"))
    no_authority = (
        select(p.c.person_id, text("trip:", t.c.id.cast(_STRING), ":authority").label("subject"),
               e.c.grant_org_id.label("org_id"),
               text(approval, "无相应干部管理权限（", rank_label, "人员须由管理其单位的",
                    required_label, "级或以上组织人事部门审批）").label("evidence"))
        .select_from(base)
        .where(_approved(t, day), e.c.grant_org_id.is_not(None),
               or_(and_(required.is_not(None), granted > required), outside)))
    return union_all(no_consultation, no_authority)
