"""Private trips abroad (因私出国（境）, PROGRAMMES.md §3): the application and every step fired through the one
shared machine (statemachines.travel.trips). Each step writes the trip row only at the version read (optimistic
lock) and one append-only history record, in one unit of work — with the custody record it implies: a checkout
moves its trip to `document_out` (documents.fire_custody), a recorded return counts the document's return day
from the actual entry (custody `trip_end`).

Who acts (docs/travel-documents.md#private-trips): the unit's cadre supervisor (a grant over the person's org)
applies, submits, withdraws and records the departure, the return and the closing; a discipline officer over the
person's org gives the consultation's opinion; a cadre supervisor over the person's org whose grant sits at or
above the rank's approving level (policy `[travel.trip_approval]`) approves or refuses."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, insert, select, update

from models import Org, Person, TravelDocument, Trip, TripEvent
from models.db import Database
from statemachines.codes import ORG_LEVELS, ROLES
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.texts import check_text_length
from statemachines.travel import custody, trips
from statemachines.travel.codes import DOCUMENT_KINDS, ON_FILE, RANKS

from ...permissions import Actor, GrantRef, load_actor
from ...policies import policy_as_of
from ...uow import UnitOfWork
from ..dates import effective_on
from .access import ACTION_LABELS, custodian_grant, may_read, person_in_scope, status_only

_trips, _events, _persons, _orgs, _docs = (Trip.__table__, TripEvent.__table__, Person.__table__, Org.__table__,
                                           TravelDocument.__table__)
_INSERT_EVENT = insert(_events)
_TRIP_FOR_FIRE = (select(_trips, _persons.c.registration_status, _persons.c.rank, _persons.c.person_type,
                         _orgs.c.path.label("org_path"), _docs.c.state.label("document_state"),
                         _docs.c.trip_id.label("document_trip_id"))
                  .join(_persons, _persons.c.id == _trips.c.person_id).join(_orgs, _orgs.c.id == _persons.c.org_id)
                  .join(_docs, _docs.c.id == _trips.c.document_id).where(_trips.c.id == bindparam("trip_id")))
# every column a step may change
_FIRED_COLUMNS = ("state", "consulted_on", "consultation_opinion", "approved_on", "approved_by",
                  "decision_note", "actual_exit_on", "actual_entry_on", "actual_places", "deviations")
DISCIPLINE = "discipline_officer"


@dataclass(frozen=True)
class TripResult:
    trip_id: int
    trigger: str
    from_state: str | None
    to_state: str
    version: int
    deviations: tuple[str, ...] = ()


def unknown_trip(trip_id: int) -> BadInput:
    """The one answer about a trip the actor may not see, whatever was asked of it."""
    return BadInput(f"未知出行申请编号 {trip_id}（或不在您的管理范围内）", f"no trip {trip_id} in your subtrees")


def _changed_meanwhile() -> Conflict:
    return Conflict("该出行申请已被他人办理，请刷新后重试", "the trip was changed by someone else: reload and retry")


def _label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def discipline_grant(actor: Actor, org_path: str) -> GrantRef:
    """The actor's discipline-officer grant over the person's org (事先征求纪检监察机关意见), or Refused."""
    if actor.is_operator:
        raise Refused(f"{_label('trip consult')}需要指定办理用户", "trip consult needs the user who does it", "--actor")
    for grant in actor.grants:
        if grant.role == DISCIPLINE and org_path.startswith(grant.org_path):
            return grant
    raise Refused(f"{_label('trip consult')}须由管理该单位的{ROLES[DISCIPLINE]}办理，{actor.person()}没有该授权",
                  f"trip consult needs a {DISCIPLINE} grant over the person's org; {actor.login} has none")


def approver_grant(actor: Actor, org_path: str, rank: str, level: str, action: str) -> GrantRef:
    """A cadre-supervisor grant over the person's org at or above `level` (the cadre authority of the rank,
    干部管理权限; "unit": any such grant), or Refused naming the level."""
    if actor.is_operator:
        raise Refused(f"{_label(action)}需要指定办理用户", f"{action} needs the user who does it", "--actor")
    order = list(ORG_LEVELS)
    for grant in actor.grants:
        if (grant.role == "cadre_supervisor" and org_path.startswith(grant.org_path)
                and (level == "unit" or order.index(grant.org_level) <= order.index(level))):
            return grant
    where = "管理该人员的" if level == "unit" else f"{ORG_LEVELS[level]}级或以上管理该人员的"
    raise Refused(f"{RANKS.get(rank, rank)}人员的因私出国（境）须由{where}{ROLES['cadre_supervisor']}审批，"
                  f"{actor.person()}没有该授权",
                  f"a {rank} person's private trip is decided by a cadre_supervisor over the person's org at level "
                  f"{level} or above; {actor.login} has no such grant")


def _places(destinations: list[str]) -> list[str]:
    destinations = trips.parse_places("、".join(destinations))  # as typed anywhere: trimmed, each once
    if len(trips.places_text(destinations)) > 2000:
        raise UsageError("前往国家（地区）过长", "too many destinations")
    return destinations


def _checked_application(conn, person_id: int, document_id: int, destinations: list[str], reason: str,
                         planned_departure: date, planned_return: date, day: date) -> None:
    """What an application (applied for, or edited) must be: the person's own private document, not lost or
    revoked and valid until the return, and the machine module's rules for the rest."""
    document = conn.execute(select(_docs).where(_docs.c.id == document_id)).first()
    if document is None or document.person_id != person_id:
        from .documents import unknown_document
        raise unknown_document(document_id)  # another person's document: as if there were none
    trips.check_application(destinations, reason, planned_departure, planned_return, day, document.expires_on,
                            DOCUMENT_KINDS[document.kind].private)
    if document.state in custody.GONE:
        raise Refused(f"证件 {document_id} {custody.STATES[document.state]}，不能用于出行",
                      f"document {document_id} is {document.state}: it cannot be used")


def apply_trip(db: Database, id_number: str, *, document_id: int, destinations: list[str], reason: str,
               planned_departure: date, planned_return: date, actor_login: str | None, today: date,
               at: date | None = None) -> TripResult:
    """Record a private trip application (draft) of a person, with the private document to use."""
    check_text_length("note", reason)
    destinations = _places(destinations)
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        person, actor = person_in_scope(s, id_number, actor_login)
        grant = custodian_grant(actor, person.org_path, "trip apply")
        day = effective_on(at, today)
        _checked_application(conn, person.id, document_id, destinations, reason, planned_departure,
                             planned_return, day)
        strict = person.person_type in policy_as_of(s, day).travel.strict_review_types
        trip_id = conn.execute(insert(_trips).values(
            person_id=person.id, document_id=document_id, destinations=trips.places_text(destinations),
            reason=reason.strip(), planned_departure=planned_departure, planned_return=planned_return, state="draft",
            strict_review=strict, applied_on=day, last_seq=1, last_event_on=day, version=1)).inserted_primary_key[0]
        conn.execute(_INSERT_EVENT, dict(trip_id=trip_id, seq=1, trigger="apply", from_state=None, to_state="draft",
                                         effective_on=day, actor=actor.label(), role=grant.role,
                                         grant_org_id=grant.org_id))
        uow.commit()
        return TripResult(trip_id, "apply", None, "draft", 1)


def edit_trip(db: Database, trip_id: int, *, actor_login: str | None, today: date, at: date | None = None,
              expected_version: int | None = None, document_id: int | None = None,
              destinations: list[str] | None = None, reason: str | None = None,
              planned_departure: date | None = None, planned_return: date | None = None) -> TripResult:
    """Change the application's fields (those given) while it awaits approval (`draft`, `submitted`,
    `consulted`: the machine's `edit`; a consulted trip goes back to `submitted`, to be consulted again), at
    the version read, by the unit's cadre supervisor. The edited application is checked as a new one would be;
    the history record names only the fields that changed, old and new. Nothing changed: nothing written."""
    import json

    check_text_length("note", reason)
    given = {k: v for k, v in dict(document_id=document_id, reason=reason, planned_departure=planned_departure,
                                   planned_return=planned_return).items() if v is not None}
    if destinations is not None:
        given["destinations"] = _places(destinations)
    if "reason" in given:
        given["reason"] = given["reason"].strip()
    if not given:
        raise UsageError("没有要修改的内容", "nothing to change: give at least one field")
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor, row = _trip_in_scope(s, trip_id, actor_login)
        grant = custodian_grant(actor, row.org_path, "trip edit")
        if expected_version is not None and row.version != expected_version:
            raise _changed_meanwhile()
        before = dict(document_id=row.document_id, destinations=json.loads(row.destinations), reason=row.reason,
                      planned_departure=row.planned_departure, planned_return=row.planned_return)
        changes = {k: [_plain(before[k]), _plain(v)] for k, v in given.items() if before[k] != v}
        if not changes:
            return TripResult(row.id, "edit", row.state, row.state, row.version)
        after = {**before, **given}
        day = effective_on(at, today, row.last_event_on)
        model = trips.fire(trip_state(row), "edit", trips.TripContext(day, actor=actor.label()))
        _checked_application(conn, row.person_id, after["document_id"], after["destinations"], after["reason"],
                             after["planned_departure"], after["planned_return"], day)
        after["destinations"] = trips.places_text(after["destinations"])
        result = _write_step(s, row, "edit", model, day, actor=actor, grant=grant, note=None,
                             fields={**{k: after[k] for k in changes}, "consulted_by": row.consulted_by
                                     if model.consulted_on else None},
                             changes=json.dumps(changes, ensure_ascii=False))
        uow.commit()
        return result


def _trip_in_scope(s, trip_id: int, actor_login: str | None):
    """(actor, the trip's row to fire on) when the actor reads the trip; else `unknown_trip`, the same words
    whether or not it exists."""
    actor = load_actor(s, actor_login)
    row = s.connection().execute(_TRIP_FOR_FIRE, {"trip_id": trip_id}).first()
    if row is None or not may_read(actor, row.org_path) or status_only(actor):
        raise unknown_trip(trip_id)
    return actor, row


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def fire_trip(db: Database, trip_id: int, trigger: str, *, actor_login: str | None, today: date,
              at: date | None = None, note: str | None = None, exit_on: date | None = None,
              entry_on: date | None = None, places: list[str] | None = None,
              expected_version: int | None = None) -> TripResult:
    """One step of a trip (not `hand_out`: that is the custody checkout). Refused (exit 3) changes nothing."""
    if trigger not in trips.TRIGGERS or trigger == "hand_out":
        typed = [t for t in trips.TRIGGERS if t != "hand_out"]
        raise UsageError(f"未知出行操作 {trigger}（{'|'.join(typed)}）", f"unknown trip trigger {trigger} ({'|'.join(typed)})")
    check_text_length("note", note)
    places = trips.parse_places("、".join(places)) if places is not None else None
    if places is not None and len(trips.places_text(places)) > 2000:
        raise UsageError("实际前往国家（地区）过长", "too many places")
    with UnitOfWork(db) as uow:
        s = uow.session
        actor, row = _trip_in_scope(s, trip_id, actor_login)
        action = f"trip {trigger}"
        day = effective_on(at, today, row.last_event_on)
        if trigger == "consult":
            grant = discipline_grant(actor, row.org_path)
        elif trigger in ("approve", "refuse"):
            level = policy_as_of(s, day).travel.approver_level(row.rank)
            grant = approver_grant(actor, row.org_path, row.rank, level, action)
        else:
            grant = custodian_grant(actor, row.org_path, action)
        if expected_version is not None and row.version != expected_version:
            raise _changed_meanwhile()
        outstanding = row.document_state == "checked_out" and row.document_trip_id == row.id
        ctx = trips.TripContext(day, actor=actor.label(), note=note, on_file=row.registration_status in ON_FILE,
                                document_in_custody=row.document_state != "held", document_outstanding=outstanding,
                                exit_on=exit_on, entry_on=entry_on, places=list(places or []))
        result = _step(s, row, trigger, ctx, actor=actor, grant=grant)
        if trigger == "return" and outstanding:
            _count_return_day_from_the_entry(s, row, result, day, actor=actor, grant=grant)
        uow.commit()
        return result


def _step(s, row, trigger: str, ctx: trips.TripContext, *, actor: Actor, grant: GrantRef) -> TripResult:
    """Fire and write: the trip row at the version read, then its history record."""
    model = trips.fire(trip_state(row), trigger, ctx)
    return _write_step(s, row, trigger, model, ctx.effective_on, actor=actor, grant=grant, note=ctx.note,
                       fields={"consulted_by": actor.label() if trigger == "consult" else row.consulted_by})


def _write_step(s, row, trigger: str, model: trips.TripState, day: date, *, actor: Actor, grant: GrantRef,
                note: str | None, fields: dict, changes: str | None = None) -> TripResult:
    """The fired trip's row at the version read (what the machine recorded, and `fields`), then its history
    record."""
    values = dict(state=model.state, consulted_on=model.consulted_on,
                  consultation_opinion=model.consultation_opinion, approved_on=model.approved_on,
                  approved_by=model.approved_by, decision_note=model.decision_note,
                  actual_exit_on=model.actual_exit_on, actual_entry_on=model.actual_entry_on,
                  actual_places=trips.places_text(model.actual_places) if model.actual_places is not None else None,
                  deviations=trips.places_text(model.deviations) if model.deviations is not None else None)
    values.update(fields)
    seq, conn = row.last_seq + 1, s.connection()
    written = conn.execute(update(_trips).where(_trips.c.id == row.id, _trips.c.version == row.version)
                           .values(**{c: values[c] for c in (*_FIRED_COLUMNS, *fields)}, last_seq=seq,
                                   last_event_on=day, version=_trips.c.version + 1))
    if written.rowcount != 1:
        raise _changed_meanwhile()
    conn.execute(_INSERT_EVENT, dict(
        trip_id=row.id, seq=seq, trigger=trigger, from_state=row.state, to_state=model.state,
        effective_on=day, actor=actor.label(), role=grant.role, grant_org_id=grant.org_id,
        note=note, exit_on=model.actual_exit_on if trigger == "depart" else None,
        entry_on=model.actual_entry_on if trigger == "return" else None,
        places=values["actual_places"] if trigger == "return" else None, changes=changes))
    return TripResult(row.id, trigger, row.state, model.state, row.version + 1, tuple(model.deviations or ()))


def trip_state(row) -> trips.TripState:
    import json
    return trips.TripState(
        state=row.state, destinations=json.loads(row.destinations), planned_departure=row.planned_departure,
        planned_return=row.planned_return, strict_review=row.strict_review, consulted_on=row.consulted_on,
        consultation_opinion=row.consultation_opinion, approved_on=row.approved_on, approved_by=row.approved_by,
        decision_note=row.decision_note, actual_exit_on=row.actual_exit_on, actual_entry_on=row.actual_entry_on,
        actual_places=json.loads(row.actual_places) if row.actual_places else None,
        deviations=json.loads(row.deviations) if row.deviations is not None else None)


def trip_reference(trip_id: int, destinations: list[str]) -> str:
    """What the custody record and the T2 message call the trip."""
    return f"出行申请{trip_id}：{'、'.join(destinations)}"[:200]


# ---- the custody seam (documents.fire_custody and the return above) -------------------------------------

def trip_for_checkout(conn, trip_id: int, document, day: date) -> custody.TripRef:
    """The trip a checkout of `document` is against, as custody's `TripRef` (its state decides: only an approved
    trip passes custody's guard). A trip of someone else is answered as one that does not exist."""
    row = conn.execute(_TRIP_FOR_FIRE, {"trip_id": trip_id}).first()
    if row is None or row.person_id != document.person_id:
        raise BadInput(f"该证件持有人没有编号为 {trip_id} 的出行申请", f"the document's holder has no trip {trip_id}")
    if row.document_id != document.id:
        raise Refused(f"出行申请 {trip_id} 申请使用的是另一证件（编号 {row.document_id}）",
                      f"trip {trip_id} is to use another document ({row.document_id})")
    if day < row.last_event_on:
        raise Refused(f"领用日期 {day} 早于出行申请 {trip_id} 最近一次记录的日期 {row.last_event_on}",
                      f"the checkout's day {day} is before trip {trip_id}'s latest record ({row.last_event_on})")
    state = trip_state(row)
    return custody.TripRef(trip_reference(row.id, state.destinations), row.planned_departure, row.planned_return,
                           row.id, row.state)


def document_handed_out(s, trip_id: int, document_id: int, day: date, *, actor: Actor, grant: GrantRef) -> None:
    """The checkout's other half, in its unit of work: the trip moves to `document_out`."""
    row = s.connection().execute(_TRIP_FOR_FIRE, {"trip_id": trip_id}).first()
    _step(s, row, "hand_out", trips.TripContext(day, actor=actor.label(), note=f"领用证件 {document_id}"),
          actor=actor, grant=grant)


def _count_return_day_from_the_entry(s, row, result: TripResult, day: date, *, actor: Actor,
                                     grant: GrantRef) -> None:
    """The trip came back: the document checked out for it is due the policy's days after the actual entry
    (custody `trip_end`; T2 keys off the new record)."""
    from .documents import custody_step, document_for_fire

    trip = s.connection().execute(select(_trips).where(_trips.c.id == row.id)).one()
    document = document_for_fire(s.connection(), row.document_id)
    state = trip_state(trip)
    ref = custody.TripRef(trip_reference(row.id, state.destinations), trip.actual_exit_on, trip.actual_entry_on,
                          row.id, trip.state)
    custody_step(s, document, "trip_end", day, actor=actor, grant=grant, trip=ref,
                 note=f"出行申请 {row.id} 于 {trip.actual_entry_on} 回国（境），交回期限按实际回国（境）日期计算")
