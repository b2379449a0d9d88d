"""Custody of a travel document (集中保管, PROGRAMMES.md §2): ONE shared machine for every document, built
with `model=None` and fired as `MACHINE.events[trigger].trigger(document, ctx=ctx)`, like the case lifecycle.

    held (本人持有) --receive--> in_custody --check_out--> checked_out --return--> in_custody
    in_custody --release--> held                     (the person is no longer on file: handed back)
    held / in_custody / checked_out --report_lost--> lost_reported --verify_loss--> lost_verified
    lost_verified --revoke--> revoked
    checked_out --trip_end--> checked_out            (the trip's actual return: the return day counted from it)

Guards write their reason into the context and say no; effects run as `before` callbacks, once every
guard of the chosen transition passed. Every rule reads `ctx.effective_on`, never the wall clock.

Checkout is against an approved private trip (PROGRAMMES.md §3, statemachines.travel.trips): the service
fills `TripRef` from the trip (its id, state, planned departure and return) and `_trip_approved` refuses any
other. When the trip's actual return is recorded, `trip_end` counts the return day from it instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from transitions import Machine

from ..clocks import add_working_days
from ..errors import Refusals
from ..policy import TravelPolicy
from .firing import fire_on
from .trips import STATES as TRIP_STATES

STATES = {"held": "本人持有（未交）", "in_custody": "集中保管", "checked_out": "已领用", "lost_reported": "已报失",
          "lost_verified": "挂失已核实", "revoked": "已注销"}
# not in custody but with the person: what 应交尽交 looks for
OUTSIDE_CUSTODY = ("held", "checked_out")
# a document in these states is gone: no longer valid whatever its expiry date
GONE = ("lost_reported", "lost_verified", "revoked")

TRIGGERS = {"receive": "收交保管", "check_out": "领用", "return": "交回", "release": "退还本人",
            "report_lost": "报失", "verify_loss": "核实挂失", "revoke": "注销"}
# fired by the trip service, not typed: the trip's actual return recorded, the return day counted from it
INTERNAL_TRIGGERS = {"trip_end": "行程结束（按实际回国（境）日期计算交回期限）"}
# what each trigger needs typed (the service checks presence; the guards check the values)
REQUIRES = {"receive": set(), "check_out": {"trip"}, "return": set(), "release": {"note"},
            "report_lost": {"note"}, "verify_loss": {"note"}, "revoke": set(), "trip_end": {"trip"}}
NOTE_LABELS = {"release": "退还原因", "report_lost": "本人书面说明（加盖单位公章）", "verify_loss": "公安机关核实情况",
               "revoke": "注销情况"}


@dataclass(frozen=True)
class TripRef:
    """What a checkout is against: a private trip (its reference text, departure and end — planned, or the
    actual return once recorded), its id and its state (only an `approved` one may take a document out)."""
    reference: str
    departure_on: date
    ends_on: date
    trip_id: int | None = None
    state: str = "approved"


@dataclass
class DocumentState:
    """What the custody rules need to know about one document. Plain data: loaded, fired, saved."""
    state: str
    kind: str
    issued_on: date
    expires_on: date
    received_on: date | None = None
    checked_out_on: date | None = None
    trip: TripRef | None = None
    return_due_on: date | None = None


@dataclass
class CustodyContext(Refusals):
    effective_on: date
    policy: TravelPolicy
    trip: TripRef | None = None
    note: str | None = None
    # the person holds, outside custody, a document of the same family of the other privacy (official vs private)
    holds_counterpart: bool = False
    # the person is on file with the exit-entry administration on effective_on
    on_file: bool = True


def _ctx(event) -> CustodyContext:
    return event.kwargs["ctx"]


# ---- rules read by the services too ------------------------------------------------------------------

def hand_in_due_on(registered_on: date, issued_on: date, policy: TravelPolicy) -> date:
    """The last day to hand a private document in: the policy's working days after registration or issue,
    whichever is later."""
    return add_working_days(max(registered_on, issued_on), policy.hand_in_working_days).on


def latest_start_overdue(day: date, policy: TravelPolicy) -> date:
    """The latest start (registration or issue, whichever is later) whose hand-in day is past on `day`: a
    document is overdue on `day` exactly when its start is on or before this — one bound, so a check over a
    million documents is a range comparison in SQL, not a working-day count per row. (hand_in_due_on never
    decreases as its start grows: step from the naive bound to the exact one.)"""
    n = policy.hand_in_working_days
    candidate = add_working_days(day, -n).on - timedelta(days=1)
    while hand_in_due_on(candidate + timedelta(days=1), candidate + timedelta(days=1), policy) < day:
        candidate += timedelta(days=1)
    while hand_in_due_on(candidate, candidate, policy) >= day:
        candidate -= timedelta(days=1)
    return candidate


def return_due_on(trip_ends_on: date, policy: TravelPolicy) -> date:
    return trip_ends_on + timedelta(days=policy.return_days)


# ---- guards -------------------------------------------------------------------------------------------

def _issued_by_then(event) -> bool:
    ctx, doc = _ctx(event), event.model
    if ctx.effective_on >= doc.issued_on:
        return True
    return ctx.refuse(f"办理日期 {ctx.effective_on} 早于证件签发日期 {doc.issued_on}",
                      f"the action's day {ctx.effective_on} is before the document was issued ({doc.issued_on})")


def _kept_in_custody(event) -> bool:
    if event.model.kind != "resident_id":
        return True
    return _ctx(event).refuse("居民身份证不集中保管", "resident ID cards are not kept in custody")


def _trip_given(event) -> bool:
    ctx = _ctx(event)
    trip = ctx.trip
    if trip is None or not trip.reference.strip():
        return ctx.refuse("领用须针对已批准的因私出国（境）申请",
                          "a checkout needs the approved private trip it is for", "--trip")
    if trip.ends_on < trip.departure_on:
        return ctx.refuse(f"行程结束日期 {trip.ends_on} 早于出发日期 {trip.departure_on}",
                          f"the trip ends ({trip.ends_on}) before it departs ({trip.departure_on})")
    return True


def _trip_approved(event) -> bool:
    ctx = _ctx(event)
    if ctx.trip.state == "approved":
        return True
    return ctx.refuse(f"出行申请{ctx.trip.trip_id or ''}处于“{TRIP_STATES.get(ctx.trip.state, ctx.trip.state)}”，"
                      "只能针对已批准且未领用证件的出行领用",
                      f"trip {ctx.trip.trip_id or ''} is {ctx.trip.state}: a document is checked out only for an "
                      "approved trip it was not yet checked out for")


def _not_too_early(event) -> bool:
    ctx = _ctx(event)
    lead = ctx.policy.checkout_lead_days
    earliest = ctx.trip.departure_on - timedelta(days=lead)
    if ctx.effective_on < earliest:
        return ctx.refuse(f"最早于出发前{lead}天领用（{earliest} 起）",
                          f"a document is checked out at most {lead} days before departure (from {earliest})")
    if ctx.effective_on > ctx.trip.departure_on:
        return ctx.refuse(f"出发日期 {ctx.trip.departure_on} 已过，不能再领用",
                          f"the departure ({ctx.trip.departure_on}) is past: too late to check out")
    return True


def _valid_for_the_trip(event) -> bool:
    ctx, doc = _ctx(event), event.model
    if doc.expires_on < ctx.trip.ends_on:
        return ctx.refuse(f"证件有效期至 {doc.expires_on}，早于行程结束日期 {ctx.trip.ends_on}",
                          f"the document expires on {doc.expires_on}, before the trip ends ({ctx.trip.ends_on})")
    return True


def _no_counterpart_held(event) -> bool:
    ctx = _ctx(event)
    if not ctx.holds_counterpart:
        return True
    return ctx.refuse("本人已持有同类因公（因私）证件未交回，不得同时持有因公和因私同类证件出境",
                      "the person already holds the official (private) counterpart of this document outside "
                      "custody: one may not travel holding both")


def _not_on_file(event) -> bool:
    ctx = _ctx(event)
    if not ctx.on_file:
        return True
    return ctx.refuse("本人仍为登记备案人员，证件应继续集中保管（可办理领用）",
                      "the person is still on file: the document stays in custody (check it out for a trip)")


# ---- effects ------------------------------------------------------------------------------------------

def _take_in(event) -> None:
    event.model.received_on = _ctx(event).effective_on
    event.model.checked_out_on = event.model.trip = event.model.return_due_on = None


def _hand_out(event) -> None:
    ctx, doc = _ctx(event), event.model
    doc.checked_out_on, doc.trip = ctx.effective_on, ctx.trip
    doc.return_due_on = return_due_on(ctx.trip.ends_on, ctx.policy)


def _count_from_the_return(event) -> None:
    ctx, doc = _ctx(event), event.model
    doc.trip = ctx.trip
    doc.return_due_on = return_due_on(ctx.trip.ends_on, ctx.policy)


def _let_go(event) -> None:
    event.model.received_on = None


# ---- the machine --------------------------------------------------------------------------------------

TRANSITIONS = [
    dict(trigger="receive", source="held", dest="in_custody", conditions=[_kept_in_custody, _issued_by_then],
         before=[_take_in]),
    dict(trigger="check_out", source="in_custody", dest="checked_out",
         conditions=[_trip_given, _trip_approved, _not_too_early, _valid_for_the_trip, _no_counterpart_held],
         before=[_hand_out]),
    dict(trigger="trip_end", source="checked_out", dest="checked_out", conditions=[_trip_given],
         before=[_count_from_the_return]),
    dict(trigger="return", source="checked_out", dest="in_custody", before=[_take_in]),
    dict(trigger="release", source="in_custody", dest="held", conditions=[_not_on_file], before=[_let_go]),
    dict(trigger="report_lost", source=["held", "in_custody", "checked_out"], dest="lost_reported",
         conditions=[_issued_by_then]),
    dict(trigger="verify_loss", source="lost_reported", dest="lost_verified"),
    dict(trigger="revoke", source="lost_verified", dest="revoked"),
]

MACHINE = Machine(model=None, states=list(STATES), initial="held", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def fire(document: DocumentState, trigger: str, ctx: CustodyContext) -> DocumentState:
    """Fire `trigger` on `document` in place. Raises `Refused` (nothing changed) when it may not happen."""
    fire_on(MACHINE, document, trigger, ctx, thing=("证件", "document"), states=STATES,
            triggers={**TRIGGERS, **INTERNAL_TRIGGERS})
    return document


def triggers_from(state: str) -> list[str]:
    return [t for t in TRIGGERS if state in MACHINE.events[t].transitions]
