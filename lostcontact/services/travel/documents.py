"""Travel documents and their custody (PROGRAMMES.md §2): recording a document, and every custody step fired
through the one shared machine (statemachines.travel.custody). Each step writes the document row only at the
version read (optimistic lock) and one append-only history record, in one unit of work."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, exists, func, insert, select, update

from models import CustodyEvent, Org, Person, PersonEvent, TravelDocument
from models.db import Database
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.texts import check_text_length
from statemachines.travel import custody
from statemachines.travel.codes import DOCUMENT_KINDS, ON_FILE

from ...masking import mask_document
from ...permissions import load_actor
from ...policies import policy_as_of
from ...uow import UnitOfWork
from ..dates import effective_on
from ..sweep.custody_alerts import close_document_alerts
from .access import custodian_grant, may_read, person_in_scope

_docs, _events, _persons, _orgs = (TravelDocument.__table__, CustodyEvent.__table__, Person.__table__,
                                   Org.__table__)
_person_events = PersonEvent.__table__
_INSERT_EVENT = insert(_events)
_NUMBER = re.compile(r"[A-Z0-9]{5,40}")
_DOCUMENT_FOR_FIRE = (select(_docs, _persons.c.id_number, _persons.c.registration_status,
                             _orgs.c.path.label("org_path"))
                      .join(_persons, _persons.c.id == _docs.c.person_id).join(_orgs, _orgs.c.id == _persons.c.org_id)
                      .where(_docs.c.id == bindparam("document_id")))
_REGISTERED_ON = (select(func.max(_person_events.c.effective_on))
                  .where(_person_events.c.person_id == bindparam("person_id"),
                         _person_events.c.action == "register", _person_events.c.effective_on <= bindparam("day")))
# what `fire` writes back: every column a custody step may change
_FIRED_COLUMNS = ("state", "kept_at", "received_on", "checked_out_on", "trip_ref", "departure_on", "trip_ends_on",
                  "return_due_on", "trip_id", "last_seq", "last_event_on")


@dataclass(frozen=True)
class CustodyResult:
    document_id: int
    trigger: str
    from_state: str
    to_state: str
    late: bool | None
    version: int


def document_number(raw: str) -> str:
    """A document number as typed: 全角 folded, spaces removed, upper case; 5–40 letters and digits."""
    import unicodedata
    value = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if not _NUMBER.fullmatch(value):
        raise UsageError("证件号码应为 5 到 40 位字母或数字", "a document number is 5 to 40 letters and digits")
    return value


def unknown_document(document_id: int) -> BadInput:
    return BadInput(f"未知证件编号 {document_id}（或不在您的管理范围内）",
                    f"no document {document_id} in your subtrees")


def _changed_meanwhile() -> Conflict:
    return Conflict("该证件已被他人办理，请刷新后重试", "the document was changed by someone else: reload and retry")


def add_document(db: Database, id_number: str, *, kind: str, number: str, issued_on: date, expires_on: date,
                 actor_login: str | None, today: date, at: date | None = None, name_on_document: str | None = None,
                 issuing_authority: str | None = None) -> int:
    """Record a document the person holds (`held`: not yet in custody). Returns its id."""
    if kind not in DOCUMENT_KINDS:
        raise UsageError(f"未知证件类别 {kind}（{'、'.join(f'{k}={v.label}' for k, v in DOCUMENT_KINDS.items())}）",
                         f"unknown document kind {kind} ({'|'.join(DOCUMENT_KINDS)})")
    number = document_number(number)
    if expires_on <= issued_on:
        raise UsageError(f"有效期至 {expires_on} 不晚于签发日期 {issued_on}",
                         f"the expiry {expires_on} is not after the issue date {issued_on}")
    for value, limit, label in ((name_on_document, 100, "证件姓名"), (issuing_authority, 200, "签发机关")):
        if value is not None and len(value) > limit:
            raise UsageError(f"{label}不能超过 {limit} 个字符", f"a text is longer than {limit} characters")
    duplicate = Conflict(f"{DOCUMENT_KINDS[kind].label} {mask_document(number)} 已经登记",
                         f"a {kind} numbered {mask_document(number)} is already recorded")
    with UnitOfWork(db, duplicate=duplicate) as uow:
        s = uow.session
        conn = s.connection()
        person, actor = person_in_scope(s, id_number, actor_login)
        grant = custodian_grant(actor, person.org_path, "document add")
        day = effective_on(at, today)
        if issued_on > day:
            raise Refused(f"签发日期 {issued_on} 晚于登记日期 {day}", f"the issue date {issued_on} is after {day}")
        if conn.scalar(select(exists().where(_docs.c.kind == kind, _docs.c.number == number))):
            raise duplicate
        document_id = conn.execute(insert(_docs).values(
            person_id=person.id, kind=kind, number=number, name_on_document=name_on_document or person.name,
            issued_on=issued_on, expires_on=expires_on, issuing_authority=issuing_authority, state="held",
            last_seq=1, last_event_on=day, version=1)).inserted_primary_key[0]
        conn.execute(_INSERT_EVENT, dict(document_id=document_id, seq=1, trigger="record", from_state=None,
                                         to_state="held", effective_on=day, actor=actor.label(), role=grant.role,
                                         grant_org_id=grant.org_id))
        uow.commit()
        return document_id


def fire_custody(db: Database, document_id: int, trigger: str, *, actor_login: str | None, today: date,
                 at: date | None = None, trip_id: int | None = None, note: str | None = None,
                 kept_at: str | None = None, expected_version: int | None = None) -> CustodyResult:
    """A custody step as the cadre supervisor over the person's org. Refused (exit 3) changes nothing. A
    checkout is against `trip_id`, an approved private trip of the document's holder for this document; the
    trip moves to `document_out` in the same unit of work."""
    if trigger not in custody.TRIGGERS:
        raise UsageError(f"未知保管操作 {trigger}（{'|'.join(custody.TRIGGERS)}）",
                         f"unknown custody trigger {trigger} ({'|'.join(custody.TRIGGERS)})")
    check_text_length("note", note)
    if "note" in custody.REQUIRES[trigger] and not (note and note.strip()):
        raise UsageError(f"“{custody.TRIGGERS[trigger]}”须填写{custody.NOTE_LABELS[trigger]}",
                         f"{trigger} requires a note", "--note")
    if "trip" in custody.REQUIRES[trigger] and trip_id is None:
        raise UsageError("领用须指明已批准的因私出国（境）申请", "check_out requires the approved private trip",
                         "--trip 编号")
    if kept_at is not None and len(kept_at) > 200:
        raise UsageError("保管地点不能超过 200 个字符", "the storage place is longer than 200 characters", "--kept-at")
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        row = conn.execute(_DOCUMENT_FOR_FIRE, {"document_id": document_id}).first()
        if row is None or not may_read(actor, row.org_path):
            raise unknown_document(document_id)
        grant = custodian_grant(actor, row.org_path, trigger)
        if expected_version is not None and row.version != expected_version:
            raise _changed_meanwhile()
        day = effective_on(at, today, row.last_event_on)
        trip = None
        if trigger == "check_out":
            from .trips import trip_for_checkout
            trip = trip_for_checkout(conn, trip_id, row, day)
        result = custody_step(s, row, trigger, day, actor=actor, grant=grant, trip=trip, note=note, kept_at=kept_at)
        if trigger == "check_out":
            from .trips import document_handed_out
            document_handed_out(s, trip.trip_id, row.id, day, actor=actor, grant=grant)
        uow.commit()
        return result


def custody_step(s, row, trigger: str, day: date, *, actor, grant, trip: custody.TripRef | None = None,
                 note: str | None = None, kept_at: str | None = None) -> CustodyResult:
    """Fire `trigger` on the document `row` (a `_DOCUMENT_FOR_FIRE` row) inside the caller's unit of work: the
    document row at the version read, one history record, its T1/T2 closed. Refused changes nothing."""
    conn = s.connection()
    policy = policy_as_of(s, day).travel
    ctx = custody.CustodyContext(day, policy, trip=trip, note=note,
                                 holds_counterpart=trigger == "check_out" and _holds_counterpart(conn, row, day),
                                 on_file=row.registration_status in ON_FILE)
    model = custody.fire(_document_state(row), trigger, ctx)
    late = _late(conn, row, trigger, day, policy)
    values = dict(state=model.state, received_on=model.received_on, checked_out_on=model.checked_out_on,
                  trip_ref=model.trip.reference[:200] if model.trip else None,
                  departure_on=model.trip.departure_on if model.trip else None,
                  trip_ends_on=model.trip.ends_on if model.trip else None, return_due_on=model.return_due_on,
                  trip_id=model.trip.trip_id if model.trip else None,
                  kept_at=kept_at if kept_at is not None else row.kept_at,
                  last_seq=row.last_seq + 1, last_event_on=day)
    written = conn.execute(update(_docs).where(_docs.c.id == row.id, _docs.c.version == row.version)
                           .values(**{c: values[c] for c in _FIRED_COLUMNS}, version=_docs.c.version + 1))
    if written.rowcount != 1:
        raise _changed_meanwhile()
    conn.execute(_INSERT_EVENT, dict(document_id=row.id, seq=row.last_seq + 1, trigger=trigger,
                                     from_state=row.state, to_state=model.state, effective_on=day,
                                     actor=actor.label(), role=grant.role, grant_org_id=grant.org_id,
                                     trip_ref=values["trip_ref"], departure_on=values["departure_on"],
                                     trip_ends_on=values["trip_ends_on"], return_due_on=model.return_due_on,
                                     trip_id=values["trip_id"], late=late, note=note))
    close_document_alerts(s, row.id, day)  # T1/T2 of the clock this step ended
    return CustodyResult(row.id, trigger, row.state, model.state, late, row.version + 1)


def document_for_fire(conn, document_id: int):
    """The document row a custody step reads (with its holder's ID number, status and org path), or None."""
    return conn.execute(_DOCUMENT_FOR_FIRE, {"document_id": document_id}).first()


def _document_state(row) -> custody.DocumentState:
    trip = (custody.TripRef(row.trip_ref, row.departure_on, row.trip_ends_on, row.trip_id) if row.trip_ref
            else None)
    return custody.DocumentState(state=row.state, kind=row.kind, issued_on=row.issued_on, expires_on=row.expires_on,
                                 received_on=row.received_on, checked_out_on=row.checked_out_on, trip=trip,
                                 return_due_on=row.return_due_on)


def _holds_counterpart(conn, row, day: date) -> bool:
    """Whether the person holds, outside custody and valid on `day`, the same family's document of the other
    privacy (an official passport while checking out a private one, or the reverse)."""
    kind = DOCUMENT_KINDS[row.kind]
    others = [k for k, v in DOCUMENT_KINDS.items() if v.family == kind.family and v.private != kind.private]
    if not others:
        return False
    return bool(conn.scalar(select(exists().where(
        _docs.c.person_id == row.person_id, _docs.c.kind.in_(others), _docs.c.state.in_(custody.OUTSIDE_CUSTODY),
        _docs.c.issued_on <= day, _docs.c.expires_on >= day))))


def _late(conn, row, trigger: str, day: date, policy) -> bool | None:
    """Whether a receipt or a return comes after its due day (None: no due day applies)."""
    if trigger == "return":
        return row.return_due_on is not None and day > row.return_due_on
    if trigger != "receive" or not DOCUMENT_KINDS[row.kind].private:
        return None
    registered_on = conn.scalar(_REGISTERED_ON, {"person_id": row.person_id, "day": day})
    if registered_on is None:
        return None
    return day > custody.hand_in_due_on(registered_on, row.issued_on, policy)


def custody_history(conn, document_id: int) -> list:
    """A document's whole custody history in order (what a replay of its states reads)."""
    return conn.execute(select(_events).where(_events.c.document_id == document_id)
                        .order_by(_events.c.seq)).all()


__all__ = ["add_document", "fire_custody", "custody_step", "document_for_fire", "custody_history", "document_number",
           "CustodyResult"]
