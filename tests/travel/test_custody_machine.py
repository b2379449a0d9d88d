"""The custody lifecycle as pure domain rules (statemachines.travel.custody): one shared machine, guards that
say why, every rule reading the day it is given."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from statemachines.errors import Refused
from statemachines.policy import TravelPolicy
from statemachines.travel import custody
from statemachines.travel.custody import CustodyContext, DocumentState, TripRef

POLICY = TravelPolicy()


def a_document(state: str = "held", kind: str = "passport_private") -> DocumentState:
    return DocumentState(state=state, kind=kind, issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1))


def ctx(day: date, **kw) -> CustodyContext:
    return CustodyContext(day, POLICY, **kw)


def test_the_machine_is_shared_and_binds_no_document():
    document = a_document()
    custody.fire(document, "receive", ctx(date(2024, 1, 5)))
    assert document.state == "in_custody" and custody.MACHINE.models == []


def test_a_resident_id_card_is_never_taken_into_custody():
    with pytest.raises(Refused, match="resident ID cards"):
        custody.fire(a_document(kind="resident_id"), "receive", ctx(date(2024, 1, 5)))


def test_a_document_is_not_received_before_it_was_issued():
    with pytest.raises(Refused) as refusal:
        custody.fire(a_document(), "receive", ctx(date(2019, 12, 31)))
    assert "早于证件签发日期" in refusal.value.zh


def test_a_checkout_is_refused_more_than_the_policy_lead_before_departure_and_allowed_on_its_first_day():
    trip = TripRef("赴泰国探亲", date(2024, 3, 10), date(2024, 3, 20))
    document = a_document("in_custody")
    with pytest.raises(Refused) as refusal:
        custody.fire(document, "check_out", ctx(date(2024, 3, 4), trip=trip))
    assert "出发前5天" in refusal.value.zh and document.state == "in_custody"
    custody.fire(document, "check_out", ctx(date(2024, 3, 5), trip=trip))
    assert document.state == "checked_out" and document.return_due_on == date(2024, 3, 30)


def test_a_checkout_after_departure_or_beyond_the_expiry_is_refused():
    document = a_document("in_custody")
    with pytest.raises(Refused, match="too late"):
        custody.fire(document, "check_out", ctx(date(2024, 3, 11), trip=TripRef("x", date(2024, 3, 10),
                                                                                 date(2024, 3, 20))))
    with pytest.raises(Refused, match="expires"):
        custody.fire(document, "check_out", ctx(date(2029, 12, 28), trip=TripRef("x", date(2029, 12, 30),
                                                                                   date(2030, 1, 5))))


def test_one_may_not_travel_holding_both_the_official_and_the_private_passport():
    with pytest.raises(Refused) as refusal:
        custody.fire(a_document("in_custody"), "check_out",
                     ctx(date(2024, 3, 9), trip=TripRef("x", date(2024, 3, 10), date(2024, 3, 12)),
                         holds_counterpart=True))
    assert "因公和因私" in refusal.value.zh


def test_a_checkout_needs_a_trip_and_a_wrong_state_names_both_the_state_and_the_action():
    with pytest.raises(Refused, match="needs the approved private trip"):
        custody.fire(a_document("in_custody"), "check_out", ctx(date(2024, 3, 9)))
    with pytest.raises(Refused) as refusal:
        custody.fire(a_document("held"), "check_out", ctx(date(2024, 3, 9)))
    assert refusal.value.zh == "证件处于“本人持有（未交）”，不能办理“领用”"


def test_a_document_stays_in_custody_while_its_holder_is_on_file():
    with pytest.raises(Refused, match="still on file"):
        custody.fire(a_document("in_custody"), "release", ctx(date(2024, 3, 9), on_file=True))
    document = custody.fire(a_document("in_custody"), "release", ctx(date(2024, 3, 9), on_file=False))
    assert document.state == "held" and document.received_on is None


def test_a_lost_document_is_reported_verified_then_revoked_and_nothing_more():
    document = a_document("checked_out")
    for trigger, state in (("report_lost", "lost_reported"), ("verify_loss", "lost_verified"), ("revoke", "revoked")):
        custody.fire(document, trigger, ctx(date(2024, 3, 9)))
        assert document.state == state
    assert custody.triggers_from("revoked") == []


def test_the_hand_in_is_due_the_policy_s_working_days_after_the_later_of_registration_and_issue():
    # 2024-01-10 (Wednesday) + 10 working days = 2024-01-24; a later issue date counts from the issue
    assert custody.hand_in_due_on(date(2024, 1, 10), date(2020, 1, 1), POLICY) == date(2024, 1, 24)
    assert custody.hand_in_due_on(date(2023, 1, 10), date(2024, 1, 10), POLICY) == date(2024, 1, 24)


TRIP = TripRef("赴日本旅游", date(2024, 5, 1), date(2024, 5, 7))


# mostly the everyday triggers, so that sequences reach a checkout and a return
EVERYDAY = st.sampled_from(["receive", "check_out", "return"] * 3 + sorted(custody.TRIGGERS))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(EVERYDAY, st.integers(0, 3)), max_size=25))
def test_any_sequence_of_triggers_leaves_a_reachable_state_and_a_refusal_changes_nothing(steps):
    document = a_document()
    day = date(2024, 4, 20)
    for trigger, gap in steps:
        day += timedelta(days=gap)
        before = vars(document).copy()
        try:
            custody.fire(document, trigger, ctx(day, trip=TRIP, note="说明", on_file=False))
        except Refused:
            assert vars(document) == before
            continue
        assert document.state == custody.MACHINE.events[trigger].transitions[before["state"]][0].dest
        if document.state == "checked_out":
            assert document.trip == TRIP and document.return_due_on == date(2024, 5, 17)
        if document.state in ("held", "in_custody"):
            assert document.trip is None and document.return_due_on is None
