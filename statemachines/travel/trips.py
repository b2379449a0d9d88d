"""A private trip abroad (因私出国（境）, PROGRAMMES.md §3): ONE shared machine for every trip, built with
`model=None` and fired as `MACHINE.events[trigger].trigger(trip, ctx=ctx)`, like custody and the case lifecycle.

    draft --submit--> submitted --consult--> consulted            (the unit files it; the discipline organ's opinion)
    submitted / consulted --approve--> approved | --refuse--> refused        (the cadre authority of the rank)
    approved --hand_out (the custody checkout)--> document_out --depart--> travelling
    approved --depart--> travelling                        (only when the document is not kept in custody)
    travelling --return--> returned --close--> closed      (closed once the document is back in custody)
    draft / submitted / consulted / approved --withdraw--> withdrawn
    document_out --withdraw--> withdrawn                   (called off: once the document is back in custody)
    draft / submitted --edit--> (the same state)           (the application's fields changed while it awaits
    consulted --edit--> submitted                            approval; a consulted one is to be consulted again)

Guards write their reason into the context and say no; effects run as `before` callbacks once every guard of
the chosen transition passed. Every rule reads `ctx.effective_on`, never the wall clock. Who may fire what (the
unit's cadre supervisor, the discipline officer, the authority of the rank) is the service's access rule.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from transitions import Machine

from ..errors import Refused, Refusals
from .firing import fire_on

STATES = {"draft": "草稿", "submitted": "已报送", "consulted": "已征求纪检意见", "approved": "已批准", "refused": "不予批准",
          "document_out": "证件已领用", "travelling": "在外", "returned": "已回国（境）", "closed": "已办结",
          "withdrawn": "已撤回"}
TERMINAL = ("refused", "closed", "withdrawn")
# an approval stands in these states: what the later checks (self-reports, police records) compare against
APPROVED_STATES = ("approved", "document_out", "travelling", "returned", "closed")

TRIGGERS = {"submit": "报送", "consult": "征求纪检监察机关意见", "approve": "批准", "refuse": "不予批准",
            "withdraw": "撤回", "hand_out": "领用证件", "depart": "出境", "return": "回国（境）", "close": "办结"}
# the application's own fields changed while it awaits approval (services.travel.trips.edit_trip): not a step
# of the queue, so not in TRIGGERS (nor in triggers_from); the history calls it so
EDIT = {"edit": "修改申请"}
EDITABLE_STATES = ("draft", "submitted", "consulted")
# the application's fields an edit may change, as the forms and the history name them
APPLICATION_FIELDS = {"document_id": "使用证件（编号）", "destinations": "前往国家（地区）", "reason": "事由",
                      "planned_departure": "拟出境日期", "planned_return": "拟回国（境）日期"}
# what each trigger needs typed (the service checks presence; the guards check the values)
REQUIRES_NOTE = {"consult": "纪检监察机关意见", "refuse": "不予批准的理由"}

# how the actual trip differed from the approval (recorded on return)
DEVIATIONS = {"left_early": "早于批准日期出境", "returned_late": "晚于批准日期回国（境）", "other_destination": "前往未经批准的国家（地区）"}


def parse_places(text: str | None) -> list[str]:
    """Countries or regions as typed: separated by 、，, or ; (a name may hold spaces: "New Zealand"), each once,
    in the order given."""
    import re
    out: list[str] = []
    for place in re.split(r"[、，,；;]+", text or ""):
        place = " ".join(place.split())
        if place and place not in out:
            out.append(place)
    return out


def places_text(places: list[str]) -> str:
    """How a list of places is stored (`trips.destinations`, `trips.actual_places`): a JSON array of names."""
    return json.dumps(places, ensure_ascii=False)


@dataclass
class TripState:
    """What the trip rules need to know about one trip. Plain data: loaded, fired, saved."""
    state: str
    destinations: list[str]
    planned_departure: date
    planned_return: date
    strict_review: bool = False
    consulted_on: date | None = None
    consultation_opinion: str | None = None
    approved_on: date | None = None
    approved_by: str | None = None
    decision_note: str | None = None
    actual_exit_on: date | None = None
    actual_entry_on: date | None = None
    actual_places: list[str] | None = None
    deviations: list[str] | None = None


@dataclass
class TripContext(Refusals):
    effective_on: date
    actor: str = "operator"
    note: str | None = None
    # the person is on file with the exit-entry administration (登记备案): the discipline organ is consulted first
    on_file: bool = False
    # the trip's document is kept in custody (then it is checked out, not simply carried off)
    document_in_custody: bool = True
    # the document checked out for this trip is not yet back in custody
    document_outstanding: bool = False
    exit_on: date | None = None
    entry_on: date | None = None
    places: list[str] = field(default_factory=list)


def _ctx(event) -> TripContext:
    return event.kwargs["ctx"]


# ---- the application itself (not a transition: what a draft must be) -----------------------------------

def check_application(destinations: list[str], reason: str, planned_departure: date, planned_return: date,
                      day: date, document_expires_on: date, document_private: bool) -> None:
    """Refused (bilingual) when the application cannot stand: no destination or reason, a return before the
    departure, a departure already past on the day it is recorded, or a document that is not a private one or
    expires before the return."""
    if not destinations:
        raise Refused("须填写前往国家（地区）", "a trip needs its destination countries/regions", "--destinations")
    if not reason.strip():
        raise Refused("须填写出行事由", "a trip needs its reason", "--reason")
    if planned_return < planned_departure:
        raise Refused(f"拟回国（境）日期 {planned_return} 早于拟出境日期 {planned_departure}",
                      f"the planned return {planned_return} is before the planned departure {planned_departure}")
    if planned_departure < day:
        raise Refused(f"拟出境日期 {planned_departure} 早于申请日期 {day}：因私出国（境）须事先申请",
                      f"the planned departure {planned_departure} is before the application ({day}): apply first")
    if not document_private:
        raise Refused("因私出国（境）须使用因私证件", "a private trip uses a private document")
    if document_expires_on < planned_return:
        raise Refused(f"证件有效期至 {document_expires_on}，早于拟回国（境）日期 {planned_return}",
                      f"the document expires on {document_expires_on}, before the planned return {planned_return}")


# ---- guards -------------------------------------------------------------------------------------------

def _before_departure(event) -> bool:
    ctx, trip = _ctx(event), event.model
    if ctx.effective_on <= trip.planned_departure:
        return True
    return ctx.refuse(f"拟出境日期 {trip.planned_departure} 已过，不能再{TRIGGERS[event.event.name]}",
                      f"the planned departure ({trip.planned_departure}) is past: too late to {event.event.name}")


def _noted(event) -> bool:
    ctx, name = _ctx(event), event.event.name
    if ctx.note and ctx.note.strip():
        return True
    return ctx.refuse(f"“{TRIGGERS[name]}”须填写{REQUIRES_NOTE[name]}", f"{name} requires a note", "--note")


def _consulted_if_needed(event) -> bool:
    ctx, trip = _ctx(event), event.model
    if trip.consulted_on is not None or not (ctx.on_file or trip.strict_review):
        return True
    who = "登记备案人员" if ctx.on_file else "从严审查人员（“裸官”、重要岗位）"
    return ctx.refuse(f"{who}因私出国（境）须事先征求纪检监察机关意见（trip consult）",
                      "the discipline organ is consulted first for a registered or strictly reviewed person "
                      "(trip consult)")


def _strict_review_states_opinion(event) -> bool:
    ctx, trip = _ctx(event), event.model
    if not trip.strict_review or (ctx.note and ctx.note.strip()):
        return True
    return ctx.refuse("从严审查的出行，批准须写明审查意见",
                      "a strictly reviewed trip is approved with the review's opinion", "--note")


def _document_carried(event) -> bool:
    ctx = _ctx(event)
    if not ctx.document_in_custody:
        return True
    return ctx.refuse("证件在集中保管中，须先办理领用", "the document is in custody: check it out for the trip first",
                      "document check-out --trip")


def _exit_day(event) -> bool:
    ctx = _ctx(event)
    exit_on = ctx.exit_on or ctx.effective_on
    if exit_on > ctx.effective_on:
        return ctx.refuse(f"出境日期 {exit_on} 晚于登记日期 {ctx.effective_on}",
                          f"the exit {exit_on} is after the day it is recorded ({ctx.effective_on})")
    return True


def _entry_day(event) -> bool:
    ctx, trip = _ctx(event), event.model
    entry_on = ctx.entry_on or ctx.effective_on
    if entry_on > ctx.effective_on:
        return ctx.refuse(f"入境日期 {entry_on} 晚于登记日期 {ctx.effective_on}",
                          f"the entry {entry_on} is after the day it is recorded ({ctx.effective_on})")
    if entry_on < trip.actual_exit_on:
        return ctx.refuse(f"入境日期 {entry_on} 早于出境日期 {trip.actual_exit_on}",
                          f"the entry {entry_on} is before the exit {trip.actual_exit_on}")
    if not ctx.places:
        return ctx.refuse("须填写实际前往的国家（地区）", "the places actually visited are required", "--places")
    return True


def _document_back(event) -> bool:
    ctx = _ctx(event)
    if not ctx.document_outstanding:
        return True
    return ctx.refuse(f"为该出行领用的证件尚未交回保管，不能{TRIGGERS[event.event.name]}（document return）",
                      f"the document checked out for the trip is not back in custody: cannot {event.event.name} "
                      "(document return)")


# ---- effects ------------------------------------------------------------------------------------------

def _record_consultation(event) -> None:
    ctx, trip = _ctx(event), event.model
    trip.consulted_on, trip.consultation_opinion = ctx.effective_on, ctx.note.strip()


def _forget_consultation(event) -> None:
    """The opinion was given on the application as it was: the edited one goes back to be consulted again (the
    history keeps the old opinion)."""
    trip = event.model
    trip.consulted_on, trip.consultation_opinion = None, None


def _record_approval(event) -> None:
    ctx, trip = _ctx(event), event.model
    trip.approved_on, trip.approved_by, trip.decision_note = ctx.effective_on, ctx.actor, ctx.note


def _record_refusal(event) -> None:
    event.model.decision_note = _ctx(event).note.strip()  # the day and the decider are in the history


def _record_exit(event) -> None:
    ctx = _ctx(event)
    event.model.actual_exit_on = ctx.exit_on or ctx.effective_on


def _record_entry(event) -> None:
    ctx, trip = _ctx(event), event.model
    trip.actual_entry_on, trip.actual_places = ctx.entry_on or ctx.effective_on, list(ctx.places)
    trip.deviations = deviations(trip)


def deviations(trip: TripState) -> list[str]:
    """How the actual trip differs from the approval: left before the approved departure, came back after the
    approved return, visited a place not approved (in DEVIATIONS' order; empty: as approved)."""
    out = []
    if trip.actual_exit_on is not None and trip.actual_exit_on < trip.planned_departure:
        out.append("left_early")
    if trip.actual_entry_on is not None and trip.actual_entry_on > trip.planned_return:
        out.append("returned_late")
    if trip.actual_places and set(trip.actual_places) - set(trip.destinations):
        out.append("other_destination")
    return out


# ---- the machine --------------------------------------------------------------------------------------

TRANSITIONS = [
    dict(trigger="submit", source="draft", dest="submitted", conditions=[_before_departure]),
    dict(trigger="consult", source="submitted", dest="consulted", conditions=[_noted], before=[_record_consultation]),
    dict(trigger="approve", source=["submitted", "consulted"], dest="approved",
         conditions=[_before_departure, _consulted_if_needed, _strict_review_states_opinion],
         before=[_record_approval]),
    dict(trigger="refuse", source=["submitted", "consulted"], dest="refused", conditions=[_noted],
         before=[_record_refusal]),
    dict(trigger="withdraw", source=["draft", "submitted", "consulted", "approved"], dest="withdrawn"),
    # called off after the checkout: once the document is back
    dict(trigger="withdraw", source="document_out", dest="withdrawn", conditions=[_document_back]),
    dict(trigger="hand_out", source="approved", dest="document_out"),
    dict(trigger="depart", source="document_out", dest="travelling", conditions=[_exit_day], before=[_record_exit]),
    dict(trigger="depart", source="approved", dest="travelling", conditions=[_document_carried, _exit_day],
         before=[_record_exit]),
    dict(trigger="return", source="travelling", dest="returned", conditions=[_entry_day], before=[_record_entry]),
    dict(trigger="close", source="returned", dest="closed", conditions=[_document_back]),
    dict(trigger="edit", source=["draft", "submitted"], dest="="),
    dict(trigger="edit", source="consulted", dest="submitted", before=[_forget_consultation]),
]

MACHINE = Machine(model=None, states=list(STATES), initial="draft", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def fire(trip: TripState, trigger: str, ctx: TripContext) -> TripState:
    """Fire `trigger` on `trip` in place. Raises `Refused` (nothing changed) when it may not happen."""
    fire_on(MACHINE, trip, trigger, ctx, thing=("出行申请", "trip"), states=STATES, triggers={**TRIGGERS, **EDIT})
    return trip


def triggers_from(state: str) -> list[str]:
    return [t for t in TRIGGERS if state in MACHINE.events[t].transitions]
