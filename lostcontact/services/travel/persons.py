"""The registry (PROGRAMMES.md §1): recording and editing persons, and their registration with the exit-entry
administration. Every change writes the person row (only at the version read: optimistic lock) and one
append-only history record, in one unit of work."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, insert, select, update

from models import Member, Person, PersonEvent
from models.db import Database
from statemachines.errors import Conflict, Refused, UsageError
from statemachines.texts import check_text_length
from statemachines.travel import registration
from statemachines.travel.codes import ON_FILE, PERSON_TYPES, POLITICAL_STATUSES, RANKS

from ...permissions import load_actor
from ...uow import UnitOfWork
from ..dates import effective_on
from .access import custodian_grant, org_for_custodian, person_in_scope

# what may be edited, besides the org (given as a code)
EDITABLE = ("name", "former_names", "political_status", "work_unit", "post", "rank", "household_place",
            "authority", "person_type")
# what an edit may empty (a field set by mistake); the name and the rank are required, the org is always one
CLEARABLE = ("former_names", "political_status", "work_unit", "post", "household_place", "authority",
             "person_type")
FIELD_LABELS = {"rank": "职级", "person_type": "登记备案人员类别", "political_status": "政治面貌", "org": "管理单位"}
# a change of any of these must be re-filed with the exit-entry administration (PROGRAMMES.md §1 `changed`)
REFILED_ON_CHANGE = frozenset({"org", "work_unit", "post", "authority"})
TEXT_LIMITS = {"name": 100, "former_names": 200, "work_unit": 200, "post": 200, "household_place": 200,
               "authority": 200}
TEXT_LABELS = {"name": "姓名", "former_names": "曾用名", "work_unit": "工作单位", "post": "职务",
               "household_place": "户口所在地", "authority": "人事主管部门"}
FIELD_LABELS.update(TEXT_LABELS)

_persons, _events, _members = Person.__table__, PersonEvent.__table__, Member.__table__
_INSERT_EVENT = insert(_events)
_MEMBER_WITH_NUMBER = select(_members.c.id).where(_members.c.id_number == bindparam("id_number"))
_DUPLICATE = Conflict("该身份证号刚被他人登记为人员", "a person with this ID number was just recorded by someone else")


@dataclass(frozen=True)
class PersonResult:
    id_number: str
    registration_status: str
    version: int


def check_codes(*, rank: str | None = None, person_type: str | None = None,
                political_status: str | None = None) -> None:
    """An unknown code is a usage error (exit 2) naming the codes there are."""
    for value, table, zh, en in ((rank, RANKS, "职级", "rank"), (person_type, PERSON_TYPES, "登记备案人员类别", "type"),
                                 (political_status, POLITICAL_STATUSES, "政治面貌", "political status")):
        if value is not None and value not in table:
            raise UsageError(f"未知{zh} {value}（{'、'.join(f'{k}={v}' for k, v in table.items())}）",
                             f"unknown {en} {value} ({'|'.join(table)})")


def check_texts(fields: dict) -> None:
    for name, limit in TEXT_LIMITS.items():
        value = fields.get(name)
        if value is not None and len(value) > limit:
            raise UsageError(f"{TEXT_LABELS[name]}不能超过 {limit} 个字符（现为 {len(value)} 个）",
                             f"the {name} is longer than {limit} characters ({len(value)} given)")
    if fields.get("name") is not None and not fields["name"].strip():
        raise UsageError("姓名不能为空", "the name is empty")


def _changed_meanwhile() -> Conflict:
    return Conflict("该人员信息已被他人修改，请刷新后重试", "the person was changed by someone else: reload and retry")


def add_person(db: Database, id_number: str, *, name: str, org_code: str, rank: str, actor_login: str | None,
               today: date, at: date | None = None, **fields) -> PersonResult:
    """Record a person (unregistered). One person per ID number; the roster's member with it is linked."""
    from ..members import typed_id_number
    from ...importing.values import id_birth_date
    from ...masking import mask_id

    check_codes(rank=rank, person_type=fields.get("person_type"), political_status=fields.get("political_status"))
    check_texts({"name": name, **fields})
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise UsageError(f"未知字段 {sorted(unknown)}", f"unknown fields {sorted(unknown)}")
    number = typed_id_number(id_number)
    with UnitOfWork(db, duplicate=_DUPLICATE) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        org_id, _path, grant = org_for_custodian(s, org_code, actor, "person add")
        existing = conn.execute(select(_persons.c.id).where(_persons.c.id_number == number)).first()
        if existing is not None:
            raise Refused(f"身份证号 {mask_id(number)} 已有人员记录（一人一条），请用 person edit 修改",
                          f"a person with ID number {mask_id(number)} is already recorded: use person edit")
        day = effective_on(at, today)
        member_id = conn.scalar(_MEMBER_WITH_NUMBER, {"id_number": number})
        row = dict(id_number=number, name=name.strip(), sex="M" if int(number[16]) % 2 else "F",
                   birth_date=id_birth_date(number), member_id=member_id, org_id=org_id, rank=rank,
                   registration_status="unregistered", last_seq=1, last_event_on=day, version=1,
                   **{k: fields.get(k) for k in EDITABLE if k not in ("name", "rank")})
        person_id = conn.execute(insert(_persons).values(**row)).inserted_primary_key[0]
        conn.execute(_INSERT_EVENT, dict(person_id=person_id, seq=1, action="add", from_status=None,
                                         to_status="unregistered", person_type=row["person_type"], org_id=org_id,
                                         rank=rank, effective_on=day, actor=actor.label(), role=grant.role))
        uow.commit()
        return PersonResult(number, "unregistered", 1)


def check_clearable(clear: tuple[str, ...] | list[str], fields: dict) -> None:
    """Emptying is for the optional fields (CLEARABLE) only, and a field is either set or emptied."""
    for name in clear:
        if name not in CLEARABLE and name not in FIELD_LABELS:
            raise UsageError(f"未知字段 {name}", f"unknown field {name}")
        if name not in CLEARABLE:
            raise UsageError(f"“{FIELD_LABELS[name]}”是必填项，不能清空", f"the {name} is required: it cannot be emptied")
        if name in fields:
            raise UsageError(f"“{FIELD_LABELS[name]}”不能同时修改和清空", f"the {name} is both given and cleared")


def edit_person(db: Database, id_number: str, *, actor_login: str | None, today: date, at: date | None = None,
                expected_version: int | None = None, org_code: str | None = None, clear: tuple[str, ...] = (),
                **fields) -> PersonResult:
    """Change what is recorded of a person; the history keeps old and new. `clear` names optional fields to
    empty (a value set by mistake). A person on file whose org, unit, post or authority changed becomes
    `changed` (to be re-filed with the exit-entry administration); the type of a person on file is not emptied
    (their registration is revoked instead)."""
    fields = {k: v for k, v in fields.items() if v is not None}
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise UsageError(f"未知字段 {sorted(unknown)}", f"unknown fields {sorted(unknown)}")
    check_codes(rank=fields.get("rank"), person_type=fields.get("person_type"),
                political_status=fields.get("political_status"))
    check_texts(fields)
    check_clearable(clear, fields)
    fields.update({name: None for name in clear})
    if not fields and org_code is None:
        raise UsageError("没有要修改的内容", "nothing to change: give at least one field")
    with UnitOfWork(db) as uow:
        s = uow.session
        person, actor = person_in_scope(s, id_number, actor_login)
        grant = custodian_grant(actor, person.org_path, "person edit")
        if expected_version is not None and person.version != expected_version:
            raise _changed_meanwhile()
        if org_code is not None and org_code != person.org_code:
            fields["org_id"], _path, _grant = org_for_custodian(s, org_code, actor, "person edit")
        changes = {k: [_plain(person._mapping[k]), _plain(v)] for k, v in fields.items() if person._mapping[k] != v}
        if "org_id" in changes:  # the history names orgs by their codes
            changes["org"] = [person.org_code, org_code]
            del changes["org_id"]
        if not changes:
            return PersonResult(person.id_number, person.registration_status, person.version)
        status = person.registration_status
        if "person_type" in changes and fields["person_type"] is None and status in ON_FILE:
            raise Refused("已备案人员的“登记备案人员类别”不能清空；不再需要备案的，请先撤销备案",
                          "the type of a person on file cannot be emptied: revoke the registration first")
        day = effective_on(at, today, person.last_event_on)
        note = None
        if status == "registered" and REFILED_ON_CHANGE & set(changes):
            model = registration.fire(registration.Registration(status, fields.get("person_type", person.person_type)),
                                      "change", registration.RegistrationContext(day))
            status, note = model.state, "单位、职务或人事主管部门变更，须重新备案"
        after = {**person._mapping, **fields}
        version = _write(s, person, values={**fields, "registration_status": status}, day=day,
                         event=dict(action="edit", from_status=person.registration_status, to_status=status,
                                    person_type=after["person_type"], org_id=after["org_id"], rank=after["rank"],
                                    changes=json.dumps(changes, ensure_ascii=False), note=note,
                                    actor=actor.label(), role=grant.role))
        uow.commit()
        return PersonResult(person.id_number, status, version)


def fire_registration(db: Database, id_number: str, trigger: str, *, actor_login: str | None, today: date,
                      at: date | None = None, note: str | None = None,
                      expected_version: int | None = None) -> PersonResult:
    """备案 / 变更备案 / 撤销备案 as a cadre supervisor over the person's org. Refused changes nothing."""
    if trigger not in registration.TRIGGERS:
        raise UsageError(f"未知备案操作 {trigger}（{'|'.join(registration.TRIGGERS)}）",
                         f"unknown registration trigger {trigger} ({'|'.join(registration.TRIGGERS)})")
    check_text_length("note", note)
    if trigger in registration.REQUIRES_NOTE and not (note and note.strip()):
        raise UsageError(f"“{registration.TRIGGERS[trigger]}”须填写原因", f"{trigger} requires a reason", "--note")
    with UnitOfWork(db) as uow:
        s = uow.session
        person, actor = person_in_scope(s, id_number, actor_login)
        grant = custodian_grant(actor, person.org_path, trigger)
        if expected_version is not None and person.version != expected_version:
            raise _changed_meanwhile()
        day = effective_on(at, today, person.last_event_on)
        model = registration.fire(registration.Registration(person.registration_status, person.person_type), trigger,
                                  registration.RegistrationContext(day, note))
        version = _write(s, person, values={"registration_status": model.state}, day=day,
                         event=dict(action=trigger, from_status=person.registration_status, to_status=model.state,
                                    person_type=person.person_type, org_id=person.org_id, rank=person.rank,
                                    note=note, actor=actor.label(), role=grant.role))
        uow.commit()
        return PersonResult(person.id_number, model.state, version)


def _write(s, person, *, values: dict, day: date, event: dict) -> int:
    """The person row, only if still at the version read, then its history record. The new version."""
    seq = person.last_seq + 1
    written = s.connection().execute(
        update(_persons).where(_persons.c.id == person.id, _persons.c.version == person.version)
        .values(**values, last_seq=seq, last_event_on=day, version=_persons.c.version + 1))
    if written.rowcount != 1:
        raise _changed_meanwhile()
    s.connection().execute(_INSERT_EVENT, dict(person_id=person.id, seq=seq, effective_on=day, **event))
    return person.version + 1


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
