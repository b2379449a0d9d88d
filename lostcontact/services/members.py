"""Members' contacts and the last contact date (DOMAIN.md §3, §6.3)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import Case, CaseEvent, ContactEvent, Member, Org, SearchEntry
from models.db import Database
from statemachines.codes import CONTACT_KINDS
from statemachines.errors import BadInput, UsageError
from statemachines.membership import last_contact, membership_status

from ..masking import mask_id
from ..permissions import grant_for, load_actor, load_actor_and_chain, may_see_org
from ..policies import policy_as_of
from ..prepared import Prepared, connection_of
from ..uow import UnitOfWork
from .alert_closing import close_member_alerts
from .dates import effective_on

ACTIVE_CLOSINGS = ("normal_management", "retain_relationship", "correct_within_deadline")


# Built once, with bound parameters, so SQLAlchemy reuses their cache keys and compiled forms (opening a case
# runs all of them).
_MEMBER_BY_ID_NUMBER = select(Member).where(Member.id_number == bindparam("id_number"))
# Prepared (lostcontact.prepared): read-only rows, not ORM objects. The member comes with its branch's path.
_members, _orgs = Member.__table__, Org.__table__
_MEMBER_AND_PATH = (select(_members, _orgs.c.path.label("branch_path"))
                    .join(_orgs, _orgs.c.id == _members.c.branch_id)
                    .where(_members.c.id_number == bindparam("id_number")))
_MEMBER_AND_PATH_READ = Prepared(_MEMBER_AND_PATH)
# PostgreSQL's FOR NO KEY UPDATE of the member row: what an UPDATE of the row takes (a transfer), not
# blocking foreign-key checks
_MEMBER_AND_PATH_LOCKED = Prepared(_MEMBER_AND_PATH.with_for_update(key_share=True, of=_members))
_LAST_CONTACT_EVENT = select(func.max(ContactEvent.on_date)).where(
    ContactEvent.member_id == bindparam("member_id"), ContactEvent.on_date <= bindparam("as_of"))
_LAST_REACHED_ENTRY = (select(func.max(SearchEntry.effective_on)).join(Case, Case.id == SearchEntry.case_id)
                       .where(Case.member_id == bindparam("member_id"), SearchEntry.outcome == "reached",
                              SearchEntry.effective_on <= bindparam("as_of")))
_LAST_ACTIVE_CLOSING = (select(func.max(CaseEvent.effective_on)).join(Case, Case.id == CaseEvent.case_id)
                        .where(Case.member_id == bindparam("member_id"), CaseEvent.to_state == "closed",
                               or_(*(CaseEvent.disposition == d for d in ACTIVE_CLOSINGS)),
                               CaseEvent.effective_on <= bindparam("as_of")))
# the three in one round trip
_LAST_CONTACTS = Prepared(select(_LAST_CONTACT_EVENT.scalar_subquery().label("contact"),
                                 _LAST_REACHED_ENTRY.scalar_subquery().label("reached"),
                                 _LAST_ACTIVE_CLOSING.scalar_subquery().label("closing")))
_cases = Case.__table__
_LATEST_CASE = Prepared(select(_cases).where(_cases.c.member_id == bindparam("member_id"), _cases.c.state != "voided")
                        .order_by(_cases.c.opened_on.desc(), _cases.c.id.desc()).limit(1))
_LATEST_CASE_AS_OF = Prepared(select(_cases).where(_cases.c.member_id == bindparam("member_id"),
                                                   _cases.c.state != "voided", _cases.c.opened_on <= bindparam("as_of"))
                              .order_by(_cases.c.opened_on.desc(), _cases.c.id.desc()).limit(1))


def typed_id_number(raw: str) -> str:
    """An ID number a person typed, normalised (全角, spaces, x) and checked (length, digits, the GB 11643
    check digit, the birth date): a mistyped number says what is wrong with it, never 未知身份证号."""
    from ..importing.values import id_number_problem, id_number_text  # stdnum: only when a number is typed

    value = id_number_text(raw)
    problem = id_number_problem(value)
    if problem:
        raise BadInput(*problem)
    return value


def member_by_id_number(session: Session, id_number: str) -> Member:
    number = typed_id_number(id_number)
    member = session.scalar(_MEMBER_BY_ID_NUMBER, {"id_number": number})
    if member is None:
        raise _unknown_id_number(number)
    return member


def _unknown_id_number(number: str) -> BadInput:
    return BadInput(f"未知身份证号 {mask_id(number)}", f"unknown ID number {mask_id(number)}")


def member_in_scope(session: Session, id_number: str, actor_login: str | None, *,
                    lock: bool = False) -> tuple:
    """The member with this typed ID number, the actor and the member's branch chain, when the actor may see
    that branch. A member outside the actor's subtrees is answered exactly as a number that matches no
    member: typing numbers must not tell anyone who is a party member, nor where. `lock`: hold the member
    row (PostgreSQL) until the transaction ends, so a concurrent transfer waits or is waited for. The member
    is a read-only row (the members columns and `branch_path`), not an ORM object."""
    number = typed_id_number(id_number)
    member = (_MEMBER_AND_PATH_LOCKED if lock else _MEMBER_AND_PATH_READ).run(
        connection_of(session), {"id_number": number}).first()
    if member is None:
        load_actor(session, actor_login)  # an unknown actor is refused as such, whether or not the member exists
        raise _unknown_id_number(number)
    path = member.branch_path
    actor, chain = load_actor_and_chain(session, actor_login, path)
    if not may_see_org(actor, path):
        raise _unknown_id_number(member.id_number)
    return member, actor, chain


def last_contact_as_of(session: Session, member: Member, as_of: date) -> date:
    """Latest contact event, reached search entry or active closing effective on or before `as_of`."""
    contact, reached, closing = _LAST_CONTACTS.run(connection_of(session), {"member_id": member.id,
                                                                          "as_of": as_of}).first()
    return last_contact(member.join_date, contact, reached, closing)


def latest_case(session: Session, member_id: int, as_of: date | None = None):
    """The member's latest non-voided case (opened on or before `as_of` when given), as a read-only row."""
    if as_of is None:
        return _LATEST_CASE.run(connection_of(session), {"member_id": member_id}).first()
    return _LATEST_CASE_AS_OF.run(connection_of(session), {"member_id": member_id, "as_of": as_of}).first()


def status_of(session: Session, member_id: int) -> str:
    case = latest_case(session, member_id)
    return membership_status(case.state, case.disposition) if case else "active"


# Only ever forward, in one statement: two contacts recorded at once (or a contact and a `reached` entry)
# cannot leave the earlier date in place of the later one, as a read-then-write of the member row could.
_MOVE_LAST_CONTACT_FORWARD = Prepared(update(_members).where(_members.c.id == bindparam("member_id"),
                                                              _members.c.last_contact_on < bindparam("day"))
                                       .values(last_contact_on=bindparam("day")))


def bump_last_contact(session: Session, member_id: int, day: date) -> None:
    _MOVE_LAST_CONTACT_FORWARD.run(connection_of(session), {"member_id": member_id, "day": day})


def add_contact(db: Database, id_number: str, *, on: date, kind: str, actor_login: str, today: date) -> bool:
    """Record one contact; an identical one already recorded is left as it is. Returns whether it was new."""
    if kind not in CONTACT_KINDS:
        raise UsageError(f"未知联系类型 {kind}（{'/'.join(CONTACT_KINDS)}）",
                         f"unknown contact kind {kind} ({'/'.join(CONTACT_KINDS)})")
    with UnitOfWork(db) as uow:
        s = uow.session
        member, actor, chain = member_in_scope(s, id_number, actor_login)
        grant_for(actor, ("branch_officer", "admin"), chain, "记录联系")
        day = effective_on(on, today)
        if day < member.join_date:
            raise BadInput(f"联系日期 {day} 早于入党时间", f"contact date {day} is before the join date")
        dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
        result = s.execute(dialect.insert(ContactEvent).values(
            member_id=member.id, on_date=day, kind=kind, source="manual", actor=actor_login)
            .on_conflict_do_nothing())
        bump_last_contact(s, member.id, day)
        s.flush()
        # the five-month warning and the 失控 entry end with the contact, not at the next sweep
        close_member_alerts(s, today, policy_as_of(s, day), member_id=member.id, closed_on=day)
        uow.commit()
        return bool(result.rowcount)
