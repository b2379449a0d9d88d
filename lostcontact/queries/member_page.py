"""党员信息: one member's roster data, flags, contact history, cases and open warnings, for the member page
and GET /api/members/{id}. Every read is by primary key or an indexed member/subject column, so the page
costs the same at any roster size; the contact history is paged."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from models import Alert, Case, ContactEvent, Member, Org, User
from models.db import Database
from statemachines.errors import BadInput, Refused
from statemachines.case_states import OPEN_STATES

from ..masking import mask_id
from ..orgtree import BranchChain, branch_chain_at
from ..permissions import Actor, grant_for, load_actor, may_see_full_id, may_see_org
from ..services.members import status_of
from ..services.transfers import may_transfer
from ..uow import UnitOfWork
from .alerts import LIGHTS, SEVERITY

CONTACTS_PER_PAGE = 20
CONTACT_RECORDERS = ("branch_officer", "admin")  # the roles services.members.add_contact accepts


def member_not_found() -> BadInput:
    """The one answer for an unknown member and for a member outside the user's subtrees (naming nothing,
    so the pages of two ids differ in nothing)."""
    return BadInput("未找到该党员，或其不在您的管理范围内", "no such member in your scope")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def visible_member(session: Session, actor: Actor, member_id: int) -> tuple[Member, Org]:
    """The member and their branch, or `member_not_found` when there is none or it lies outside the
    actor's subtrees (the same error, so a refusal reveals nothing)."""
    member = session.get(Member, member_id)
    branch = session.get(Org, member.branch_id) if member is not None else None
    if branch is None or not may_see_org(actor, branch.path):
        raise member_not_found()
    return member, branch


def may_record_contact(actor: Actor, chain: BranchChain) -> bool:
    """Whether add_contact would accept this actor for this member (its own permission rule, asked)."""
    try:
        grant_for(actor, CONTACT_RECORDERS, chain, "记录联系")
    except Refused:
        return False
    return True


def _flags(m: Member) -> dict:
    mobile = {"flow_direction": m.flow_direction, "flow_reason": m.flow_reason, "flow_card_no": m.flow_card_no,
              "receiving_unit": m.receiving_unit, "away_since": _iso(m.away_since), "reported": m.reported}
    abroad = {"reason": m.abroad_reason, "since": _iso(m.abroad_date)}
    pocket = {"transfer_out_date": _iso(m.transfer_out_date), "receiving_org": m.receiving_org}
    return {"mobile": mobile if m.mobile else None, "abroad": abroad if m.abroad else None,
            "pocket": pocket if m.transfer_out_date is not None and not m.receipt_returned else None}


def _basic_information(m: Member) -> dict:
    """The fields of seed 003 附件1 党员基本信息表 the roster keeps (value-list ids, dates in ISO), with the
    出国（境） block's own fields under `abroad` and the family as its list."""
    return {"marital_status": m.marital_status, "work_start_date": _iso(m.work_start_date), "education": m.education,
            "degree": m.degree, "school": m.school, "party_post": m.party_post,
            "abroad": {"contact": m.abroad_contact, "membership_handling": m.membership_handling,
                       "return_date": _iso(m.return_date), "life_resumption": m.life_resumption},
            "family": json.loads(m.family) if m.family else []}


def _contacts(session: Session, member_id: int, page: int) -> tuple[int, list[dict]]:
    total = session.scalar(select(func.count()).select_from(ContactEvent).where(ContactEvent.member_id == member_id))
    rows = session.execute(
        select(ContactEvent.on_date, ContactEvent.kind, ContactEvent.source, ContactEvent.actor, User.name)
        .outerjoin(User, User.login == ContactEvent.actor)
        .where(ContactEvent.member_id == member_id)
        .order_by(ContactEvent.on_date.desc(), ContactEvent.id.desc())
        .offset((page - 1) * CONTACTS_PER_PAGE).limit(CONTACTS_PER_PAGE))
    return total, [{"on_date": _iso(on), "kind": kind, "source": "manual" if source == "manual" else "import",
                    "recorded_by": login, "recorded_by_name": name} for on, kind, source, login, name in rows]


def _cases(session: Session, member_id: int) -> list[dict]:
    cases = session.scalars(select(Case).where(Case.member_id == member_id)
                            .order_by(Case.opened_on.desc(), Case.id.desc())).all()
    return [{"id": c.id, "state": c.state, "origin": c.origin, "opened_on": _iso(c.opened_on),
             "disposition": c.disposition, "reached": c.reached,
             "due_on": _iso(c.due_on) if c.state in OPEN_STATES else None,
             # when the outcome was reached: the closing day, or the day of a death or a void
             "ended_on": _iso(c.closed_on if c.state == "closed" else
                              c.last_event_on if c.state not in OPEN_STATES else None)} for c in cases]


def _alerts(session: Session, member_id: int, case_ids: list[int], today: date) -> list[dict]:
    about = and_(Alert.subject_kind == "member", Alert.subject_id == member_id)
    if case_ids:
        about = or_(about, and_(Alert.subject_kind == "case", Alert.subject_id.in_(case_ids)))
    rows = session.execute(
        select(Alert.rule, Alert.level, Alert.case_id, Alert.due_on, Alert.raised_on, Org.code, Org.name)
        .join(Org, Org.id == Alert.org_id)
        .where(about, Alert.raised_on <= today, or_(Alert.closed_on.is_(None), Alert.closed_on > today)))
    alerts = [{"rule": rule, "level": level, "light": LIGHTS[level], "case_id": case_id, "due_on": _iso(due),
               "raised_on": _iso(raised), "org": org_code, "org_name": org_name}
              for rule, level, case_id, due, raised, org_code, org_name in rows]
    alerts.sort(key=lambda a: (-SEVERITY[a["level"]], a["due_on"], a["rule"]))
    return alerts


def member_view(db: Database, member_id: int, *, today: date, actor_login: str | None = None,
                contacts_page: int = 1) -> dict:
    """Everything the member page shows, in English ids (labels are the page's): the ID number in full
    only to the member's branch officer or an admin over it."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        member, branch = visible_member(s, actor, member_id)
        chain = branch_chain_at(s, branch.path)
        cases = _cases(s, member.id)
        contacts_total, contacts = _contacts(s, member.id, max(1, contacts_page))
        return {
            "id": member.id, "name": member.name, "id_number_masked": mask_id(member.id_number),
            **({"id_number": member.id_number} if may_see_full_id(actor, branch.path) else {}),
            "sex": member.sex, "ethnicity": member.ethnicity, "birth_date": _iso(member.birth_date),
            "join_date": _iso(member.join_date), "standing": member.standing,
            "probation_start": _iso(member.probation_start), "phone": member.phone,
            "occupation": member.occupation, "branch_code": branch.code, "branch_name": branch.name,
            "org_chain": [{"code": o.code, "name": o.name, "level": o.level}
                          for o in (*reversed(chain.ancestors), chain.branch)],
            "last_contact_on": _iso(member.last_contact_on),
            "status": status_of(s, member.id),
            "flags": _flags(member),
            "basic": _basic_information(member),
            "contacts_total": contacts_total, "contacts_page": max(1, contacts_page),
            "contacts_per_page": CONTACTS_PER_PAGE, "contacts": contacts,
            "cases": cases, "alerts": _alerts(s, member.id, [c["id"] for c in cases], today),
            "can_record_contact": may_record_contact(actor, chain),
            "can_transfer": may_transfer(actor, branch.path) is not None,
        }


def id_number_of_visible_member(db: Database, member_id: int, *, actor_login: str) -> str:
    """The ID number add_contact takes, for a member the actor may see (else `member_not_found`)."""
    with UnitOfWork(db, write=False) as uow:
        member, _branch = visible_member(uow.session, load_actor(uow.session, actor_login), member_id)
        return member.id_number
