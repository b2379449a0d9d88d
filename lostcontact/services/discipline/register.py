"""Keeping the register (PROGRAMMES.md §5): an entry is made by a discipline officer once the failed
re-contact is recorded; it ends as found, returned, deceased or revoked through ONE shared machine
(statemachines/discipline/register.py). A party member's entry links their lost-contact case (DOMAIN R1):
one person, two views, never a second record. Each step writes the entry at the version read and one
append-only history record, in one unit of work."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from models import Case, DisciplineEntry, DisciplineEvent, Member, Person, UnitContact
from models.base import utcnow
from models.db import Database
from statemachines.clocks import more_than_months
from statemachines.discipline import register as machine
from statemachines.discipline.codes import CATEGORIES, TRIGGERS, WHEREABOUTS
from statemachines.errors import Conflict, Refused, UsageError
from statemachines.lifecycle import OPEN_STATES

from ...permissions import load_actor
from ...policies import policy_as_of
from ...queries.contacts import latest_contact_of
from ...uow import UnitOfWork
from ..dates import effective_on
from .access import CONTACT_RECORDERS, KEEPERS, READERS, grant_over, may_read, person_for, unknown_entry

_entries, _events, _persons = DisciplineEntry.__table__, DisciplineEvent.__table__, Person.__table__
_cases, _members, _contacts = Case.__table__, Member.__table__, UnitContact.__table__
TEXTS = {"recontact_note": ("经再次联系情况", 2000), "remarks": ("备注", 2000), "sanction": ("处分情况", 200),
         "documents_held": ("外逃所持证照信息", 2000), "place": ("所在地", 200), "case_filed_by": ("立案单位", 200),
         "suspected_offence": ("涉嫌罪名", 200), "region": ("所属地区", 200)}
FLED_ONLY = ("documents_held", "whereabouts", "place", "case_filed_by", "case_filed_on", "suspected_offence",
             "amount_wan")


@dataclass(frozen=True)
class EntryResult:
    id: int
    state: str
    version: int
    case_id: int | None = None


def _typed(id_number: str) -> str:
    from ..members import typed_id_number
    return typed_id_number(id_number)


def _check_fields(category: str, fields: dict) -> None:
    if category not in CATEGORIES:
        raise UsageError(f"未知类别 {category}（{'、'.join(f'{k}={v}' for k, v in CATEGORIES.items())}）",
                         f"unknown category {category} ({'|'.join(CATEGORIES)})")
    for name, (label, limit) in TEXTS.items():
        value = fields.get(name)
        if value is not None and len(value) > limit:
            raise UsageError(f"{label}不能超过 {limit} 个字符", f"the {name} is longer than {limit} characters")
    if fields.get("whereabouts") is not None and fields["whereabouts"] not in WHEREABOUTS:
        raise UsageError(f"去向须为 {'、'.join(f'{k}={v}' for k, v in WHEREABOUTS.items())}",
                         f"whereabouts must be one of {'|'.join(WHEREABOUTS)}")
    given_fled = [f for f in FLED_ONLY if fields.get(f) is not None]
    if category != "fled" and given_fled:
        raise UsageError(f"{', '.join(given_fled)} 只用于外逃人员", f"{', '.join(given_fled)} apply to fled persons only")
    if category == "fled" and not (fields.get("case_filed_by") and fields.get("case_filed_on")):
        raise UsageError("外逃须写明立案单位和立案时间：外逃指立案后失去联系",
                         "a fled entry needs who filed the case and when (fled means lost after a case was filed)",
                         "--case-filed-by、--case-filed-on")
    if category == "fled" and fields.get("whereabouts") is None:
        raise UsageError("外逃须写明去向：国内或国（境）外", "a fled entry needs its whereabouts (domestic or abroad)",
                         "--whereabouts domestic|abroad")
    if fields.get("amount_wan") is not None:
        try:
            amount = Decimal(str(fields["amount_wan"]))
        except InvalidOperation:
            raise UsageError("涉案金额须为数字（万元）", "the amount involved must be a number (10k yuan)") from None
        if amount < 0 or amount >= Decimal("1e12"):
            raise UsageError("涉案金额须为非负数（万元）", "the amount involved must not be negative")
        fields["amount_wan"] = amount.quantize(Decimal("0.01"))


def last_contact(conn, person, as_of: date | None = None) -> date | None:
    """The latest contact with the person's org (the roster's, for a member) or unit: as of the day when given,
    else every one on record (queries/contacts.py, the same expression the candidates and the flight risk read)."""
    return latest_contact_of(conn, person.id, date.max if as_of is None else as_of)


def add_entry(db: Database, id_number: str, category: str, *, since_on: date, recontact_on: date,
              recontact_note: str, actor_login: str | None, today: date, at: date | None = None,
              **fields) -> EntryResult:
    """登记 a person as 失联, 外逃 or 出走, once the failed re-contact is recorded. One open entry per person and
    category; a 失联 entry needs more than the policy's months without contact on record."""
    fields = {k: v for k, v in fields.items() if v is not None}
    _check_fields(category, fields)
    if not (recontact_note or "").strip():
        raise UsageError("须记录再次联系的情况：经再次联系仍然无法取得联系才能登记",
                         "record the failed re-contact: no entry without it", "--recontact-note")
    number = _typed(id_number)
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        # whoever may see the person is told who keeps the register; anyone else reads an unknown person
        person = person_for(s, number, actor, READERS + CONTACT_RECORDERS)
        grant = grant_over(actor, person.org_path, KEEPERS, "登记失联、外逃、出走人员", "a register entry")
        day = effective_on(at, today)
        if not since_on <= recontact_on <= day:
            raise Refused(f"日期须依次为{CATEGORIES[category]}时间（{since_on}）≤ 再次联系日期（{recontact_on}）≤ 登记日期（{day}）",
                          f"dates must run since ({since_on}) <= re-contact ({recontact_on}) <= entry ({day})")
        if category == "fled" and fields["case_filed_on"] > since_on:
            raise Refused(f"外逃指立案后失去联系：立案时间 {fields['case_filed_on']} 晚于外逃时间 {since_on}",
                          f"fled means lost after a case was filed: filed {fields['case_filed_on']} after {since_on}")
        if category == "lost":
            _check_lost(conn, person, since_on, day, policy_as_of(s, day).discipline_threshold_months)
        open_already = conn.scalar(select(_entries.c.id).where(
            _entries.c.person_id == person.id, _entries.c.category == category, _entries.c.state == "open"))
        if open_already is not None:
            raise Refused(f"该人员已有在册的{CATEGORIES[category]}登记（第 {open_already} 号）",
                          f"the person already has an open {category} entry ({open_already})")
        case_id = _linked_case(conn, person)
        try:
            entry_id = conn.execute(insert(_entries).values(
                person_id=person.id, category=category, state="open", org_id=person.org_id, since_on=since_on,
                recontact_on=recontact_on, recontact_note=recontact_note.strip(), case_id=case_id, opened_on=day,
                last_seq=1, last_event_on=day, version=1, recorded_at=utcnow(), **fields)).inserted_primary_key[0]
        except IntegrityError:
            raise Conflict("该人员的同类登记刚被他人录入", "an entry of this category was just made by someone else") from None
        conn.execute(insert(_events).values(entry_id=entry_id, seq=1, trigger="open", from_state=None, to_state="open",
                                            note=recontact_note.strip(), effective_on=day, actor=actor.label(),
                                            role=grant.role, recorded_at=utcnow()))
        uow.commit()
        return EntryResult(entry_id, "open", 1, case_id)


def _check_lost(conn, person, since_on: date, day: date, months: int) -> None:
    last = last_contact(conn, person)
    if last is not None and last > since_on:
        raise Refused(f"该人员 {last} 还有联系记录，晚于所填失联时间 {since_on}",
                      f"the person was in contact on {last}, after the lost-since day {since_on}")
    if not more_than_months(since_on, months, day):
        raise Refused(f"失联须连续{months}个月以上与所在党组织或单位失去联系：自 {since_on} 起至 {day} 未满{months}个月",
                      f"lost means more than {months} months without contact: {since_on} to {day} is not")


def _linked_case(conn, person) -> int | None:
    """The member's lost-contact case the entry shows: the open one, else none."""
    if person.member_id is None:
        return None
    return conn.scalar(select(_cases.c.id).where(_cases.c.member_id == person.member_id,
                                                 _cases.c.state.in_(OPEN_STATES))
                       .order_by(_cases.c.id.desc()).limit(1))


def fire_entry(db: Database, entry_id: int, trigger: str, *, actor_login: str | None, today: date,
               at: date | None = None, note: str | None = None, expected_version: int | None = None) -> EntryResult:
    """End an open entry (found, returned, deceased, revoked) as the discipline officer over it."""
    if trigger not in TRIGGERS:
        raise UsageError(f"未知操作 {trigger}（{'|'.join(TRIGGERS)}）", f"unknown trigger {trigger} ({'|'.join(TRIGGERS)})")
    if note is not None and len(note) > 2000:
        raise UsageError("说明不能超过 2000 个字符", "the note is longer than 2000 characters")
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        row = conn.execute(select(_entries).where(_entries.c.id == entry_id)).first()
        path = _org_path(conn, row.org_id) if row is not None else None
        if row is None or not may_read(actor, path):
            raise unknown_entry(entry_id)
        grant = grant_over(actor, path, KEEPERS, "办理登记", "ending an entry")
        if expected_version is not None and expected_version != row.version:
            raise _changed_meanwhile()
        day = effective_on(at, today)
        entry = machine.fire(machine.Entry(row.state, row.category, row.since_on, row.opened_on), trigger,
                             machine.EntryContext(day, note))
        written = conn.execute(update(_entries).where(_entries.c.id == entry_id, _entries.c.version == row.version)
                               .values(state=entry.state, ended_on=day, last_seq=row.last_seq + 1, last_event_on=day,
                                       version=row.version + 1))
        if written.rowcount != 1:
            raise _changed_meanwhile()
        conn.execute(insert(_events).values(entry_id=entry_id, seq=row.last_seq + 1, trigger=trigger,
                                            from_state=row.state, to_state=entry.state, note=note, effective_on=day,
                                            actor=actor.label(), role=grant.role, recorded_at=utcnow()))
        uow.commit()
        return EntryResult(entry_id, entry.state, row.version + 1, row.case_id)


def _org_path(conn, org_id: int) -> str:
    from models import Org
    return conn.scalar(select(Org.__table__.c.path).where(Org.__table__.c.id == org_id))


def _changed_meanwhile() -> Conflict:
    return Conflict("该登记已被他人办理，请刷新后重试", "the entry was changed by someone else: reload and retry")


def record_unit_contact(db: Database, id_number: str, *, on: date, note: str | None, actor_login: str | None,
                        today: date) -> date:
    """A contact of the person with their unit (not in the future); the person's latest unit contact moves
    forward only. Returns the latest contact with the unit now on record."""
    if note is not None and len(note) > 2000:
        raise UsageError("说明不能超过 2000 个字符", "the note is longer than 2000 characters")
    number = _typed(id_number)
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        person = person_for(s, number, actor, CONTACT_RECORDERS + ("admin",))
        grant_over(actor, person.org_path, CONTACT_RECORDERS, "记录与单位的联系", "recording a unit contact")
        if on > today:
            raise Refused(f"联系日期 {on} 晚于今天（{today}）", f"the contact day {on} is in the future (today {today})")
        conn.execute(insert(_contacts).values(person_id=person.id, on_date=on, note=note, actor=actor.label(),
                                              recorded_at=utcnow()))
        conn.execute(update(_persons).where(_persons.c.id == person.id,
                                            (_persons.c.unit_contact_on.is_(None)) | (_persons.c.unit_contact_on < on))
                     .values(unit_contact_on=on))
        uow.commit()
        return max(on, person.unit_contact_on) if person.unit_contact_on else on
