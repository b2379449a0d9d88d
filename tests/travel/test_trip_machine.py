"""The private-trip lifecycle as pure domain rules (statemachines.travel.trips): one shared machine, every
transition, guards that say why in both languages, every rule reading the day it is given; and, whatever is
fired in whatever order, the trip stays inside the machine and a refusal changes nothing."""
from __future__ import annotations

from copy import deepcopy
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from statemachines.errors import Refused
from statemachines.travel import trips
from statemachines.travel.trips import TripContext, TripState

DEPARTURE, RETURN = date(2024, 3, 10), date(2024, 3, 20)


def a_trip(state: str = "draft", **kw) -> TripState:
    return TripState(state=state, destinations=["泰国", "老挝"], planned_departure=DEPARTURE, planned_return=RETURN,
                     **kw)


def ctx(day: date = date(2024, 3, 1), **kw) -> TripContext:
    return TripContext(day, actor="cadre_city", **kw)


def refusal(trip: TripState, trigger: str, context: TripContext) -> Refused:
    before = deepcopy(trip)
    with pytest.raises(Refused) as caught:
        trips.fire(trip, trigger, context)
    assert trip == before, "a refusal changes nothing"
    assert caught.value.zh and caught.value.en
    return caught.value


def test_the_machine_is_shared_and_binds_no_trip():
    trip = a_trip()
    trips.fire(trip, "submit", ctx())
    assert trip.state == "submitted" and trips.MACHINE.models == []


def test_a_registered_person_s_trip_goes_from_draft_through_the_consultation_to_closed():
    trip = a_trip()
    for trigger, context, state in [
            ("submit", ctx(), "submitted"),
            ("consult", ctx(date(2024, 3, 2), note="同意", on_file=True), "consulted"),
            ("approve", ctx(date(2024, 3, 3), on_file=True), "approved"),
            ("hand_out", ctx(date(2024, 3, 6)), "document_out"),
            ("depart", ctx(date(2024, 3, 11), exit_on=date(2024, 3, 10)), "travelling"),
            ("return", ctx(date(2024, 3, 21), entry_on=date(2024, 3, 20), places=["泰国"]), "returned"),
            ("close", ctx(date(2024, 3, 25)), "closed")]:
        trips.fire(trip, trigger, context)
        assert trip.state == state
    assert (trip.consulted_on, trip.consultation_opinion) == (date(2024, 3, 2), "同意")
    assert (trip.approved_on, trip.approved_by) == (date(2024, 3, 3), "cadre_city")
    assert (trip.actual_exit_on, trip.actual_entry_on, trip.actual_places) == (DEPARTURE, RETURN, ["泰国"])
    assert trip.deviations == [] and trips.triggers_from("closed") == []


def test_a_registered_person_s_trip_is_not_approved_before_the_discipline_organ_is_consulted():
    reason = refusal(a_trip("submitted"), "approve", ctx(on_file=True))
    assert "征求纪检监察机关意见" in reason.zh and "discipline organ" in reason.en
    unregistered = a_trip("submitted")
    trips.fire(unregistered, "approve", ctx())
    assert unregistered.state == "approved"


def test_a_strictly_reviewed_trip_is_consulted_whatever_the_registration_and_approved_with_an_opinion():
    assert "从严审查" in refusal(a_trip("submitted", strict_review=True), "approve", ctx()).zh
    consulted = a_trip("consulted", strict_review=True, consulted_on=date(2024, 3, 1))
    assert "审查意见" in refusal(consulted, "approve", ctx()).zh
    trips.fire(consulted, "approve", ctx(note="经从严审查，同意"))
    assert (consulted.state, consulted.decision_note) == ("approved", "经从严审查，同意")


def test_a_consultation_and_a_refusal_say_what_they_say():
    assert "纪检监察机关意见" in refusal(a_trip("submitted"), "consult", ctx(note="  ")).zh
    assert "理由" in refusal(a_trip("consulted"), "refuse", ctx()).zh
    trip = a_trip("consulted")
    trips.fire(trip, "refuse", ctx(note="事由不充分"))
    assert (trip.state, trip.decision_note, trip.approved_on) == ("refused", "事由不充分", None)


def test_nothing_is_submitted_or_approved_once_the_planned_departure_is_past():
    late = DEPARTURE + timedelta(days=1)
    assert "已过" in refusal(a_trip(), "submit", ctx(late)).zh
    assert "too late to approve" in refusal(a_trip("submitted"), "approve", ctx(late)).en


def test_a_document_kept_in_custody_is_checked_out_before_departure_one_held_by_the_person_need_not_be():
    assert refusal(a_trip("approved"), "depart", ctx(DEPARTURE)).option == "document check-out --trip"
    held = a_trip("approved")
    trips.fire(held, "depart", ctx(DEPARTURE, document_in_custody=False))
    assert (held.state, held.actual_exit_on) == ("travelling", DEPARTURE)


def test_exit_and_entry_days_are_not_after_the_day_recorded_and_the_entry_not_before_the_exit():
    assert "晚于登记日期" in refusal(a_trip("document_out"), "depart", ctx(DEPARTURE, exit_on=DEPARTURE
                                                                          + timedelta(days=1))).zh
    travelling = a_trip("travelling", actual_exit_on=DEPARTURE)
    assert "早于出境日期" in refusal(travelling, "return", ctx(RETURN, entry_on=DEPARTURE - timedelta(days=1),
                                                          places=["泰国"])).zh
    assert refusal(travelling, "return", ctx(RETURN)).option == "--places"


def test_the_actual_trip_is_compared_with_the_approval():
    trip = a_trip("travelling", actual_exit_on=DEPARTURE - timedelta(days=2))
    trips.fire(trip, "return", ctx(RETURN + timedelta(days=3), places=["泰国", "越南"]))
    assert trip.deviations == ["left_early", "returned_late", "other_destination"]
    as_approved = a_trip("travelling", actual_exit_on=DEPARTURE)
    trips.fire(as_approved, "return", ctx(RETURN - timedelta(days=1), places=["老挝"]))
    assert as_approved.deviations == []


def test_a_trip_is_closed_or_called_off_after_a_checkout_only_once_the_document_is_back():
    returned = a_trip("returned")
    assert "尚未交回" in refusal(returned, "close", ctx(document_outstanding=True)).zh
    trips.fire(returned, "close", ctx())
    out = a_trip("document_out")
    assert "not back in custody" in refusal(out, "withdraw", ctx(document_outstanding=True)).en
    trips.fire(out, "withdraw", ctx())
    assert (returned.state, out.state) == ("closed", "withdrawn")


@pytest.mark.parametrize("state", ["draft", "submitted", "consulted", "approved"])
def test_an_application_is_withdrawn_at_any_step_before_the_document_goes_out(state):
    trip = a_trip(state)
    trips.fire(trip, "withdraw", ctx())
    assert trip.state == "withdrawn"


@pytest.mark.parametrize("state", trips.TERMINAL)
def test_a_refused_closed_or_withdrawn_trip_never_moves_and_the_refusal_names_state_and_action(state):
    for trigger in trips.TRIGGERS:
        reason = refusal(a_trip(state), trigger, ctx(note="x", places=["泰国"]))
        assert trips.STATES[state] in reason.zh and trips.TRIGGERS[trigger] in reason.zh


def test_an_application_needs_destinations_a_reason_sensible_dates_and_a_valid_private_document():
    good = dict(destinations=["泰国"], reason="探亲", planned_departure=DEPARTURE, planned_return=RETURN,
                day=date(2024, 3, 1), document_expires_on=date(2030, 1, 1), document_private=True)
    trips.check_application(**good)
    for change, words in [({"destinations": []}, "destination"), ({"reason": " "}, "reason"),
                          ({"planned_return": DEPARTURE - timedelta(days=1)}, "before the planned departure"),
                          ({"day": DEPARTURE + timedelta(days=1)}, "apply first"),
                          ({"document_private": False}, "private document"),
                          ({"document_expires_on": RETURN - timedelta(days=1)}, "expires")]:
        with pytest.raises(Refused, match=words):
            trips.check_application(**{**good, **change})


def test_places_are_read_as_typed_each_once():
    assert trips.parse_places(" 泰国、老挝，泰国, 越南；柬埔寨 ") == ["泰国", "老挝", "越南", "柬埔寨"]
    assert trips.parse_places("New  Zealand, 泰国") == ["New Zealand", "泰国"] and trips.parse_places(" ，") == []


ALL_TRIGGERS = sorted(trips.TRIGGERS)


@settings(max_examples=120, deadline=None)
@given(on_file=st.booleans(), strict=st.booleans(), data=st.data())
def test_random_trigger_sequences_stay_legal_history_counts_accepted_steps_and_refusals_change_nothing(
        on_file, strict, data):
    trip, day, history = a_trip(strict_review=strict), date(2024, 2, 20), []
    for _ in range(data.draw(st.integers(1, 25), label="length")):
        candidates = trips.triggers_from(trip.state) or ALL_TRIGGERS
        trigger = data.draw(st.one_of(st.sampled_from(candidates), st.sampled_from(ALL_TRIGGERS)), label="trigger")
        day += timedelta(days=data.draw(st.integers(0, 6), label="gap"))
        context = TripContext(
            day, note=data.draw(st.sampled_from([None, "意见"]), label="note"), on_file=on_file,
            document_in_custody=data.draw(st.booleans(), label="in custody"),
            document_outstanding=data.draw(st.booleans(), label="outstanding"),
            exit_on=data.draw(st.sampled_from([None, day - timedelta(days=1)]), label="exit"),
            places=data.draw(st.sampled_from([[], ["泰国"], ["越南"]]), label="places"))
        before = deepcopy(trip)
        try:
            trips.fire(trip, trigger, context)
        except Refused:
            assert trip == before, f"refused {trigger} changed the trip"
            continue
        history.append((before.state, trigger, trip.state))
        assert trip.state in trips.STATES and before.state not in trips.TERMINAL
        if trip.state in trips.APPROVED_STATES:
            assert trip.approved_on is not None and trip.approved_on <= trip.planned_departure
            if on_file or strict:
                assert trip.consulted_on is not None and trip.consulted_on <= trip.approved_on
        if trip.state in ("returned", "closed"):
            assert trip.actual_exit_on <= trip.actual_entry_on and trip.deviations == trips.deviations(trip)
    # the history replays: each accepted step starts where the last one left the trip
    assert all(a[2] == b[0] for a, b in zip(history, history[1:]))
    assert (history[-1][2] if history else "draft") == trip.state
