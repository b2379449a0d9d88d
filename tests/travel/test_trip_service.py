"""Private trips through the services: each step one unit of work writing the trip at the version read and one
append-only history record; the checkout is only against an approved trip of the holder for that document; the
actual return moves the document's return day; who may do what; refusals change nothing."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings, strategies as st
from sqlalchemy import select

from lostcontact.queries.travel.trips import list_trips, show_trip
from lostcontact.services.travel.documents import custody_history, fire_custody
from lostcontact.services.travel.trips import apply_trip, edit_trip, fire_trip
from models import TravelDocument, Trip, TripEvent
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.travel import trips

from ..workflows.helpers import sweep
from .conftest import TODAY


def step(travel, trip_id, trigger, day, actor="cadre1", **kw):
    return fire_trip(travel.db, trip_id, trigger, actor_login=actor, today=TODAY, at=day, **kw)


def custody(travel, document_id, trigger, day, **kw):
    return fire_custody(travel.db, document_id, trigger, actor_login="cadre1", today=TODAY, at=day, **kw)


def row(db, table, key):
    with db.engine.connect() as conn:
        return conn.execute(select(table.__table__).where(table.id == key)).one()


def trip_history(db, trip_id):
    with db.engine.connect() as conn:
        return conn.execute(select(TripEvent.__table__).where(TripEvent.trip_id == trip_id)
                            .order_by(TripEvent.seq)).all()


@pytest.fixture
def in_custody(travel):
    """王五, registered, county rank, at B1, with his private passport in custody since 2024-01-20."""
    person = travel.person(registered_on=date(2024, 1, 10))
    passport = travel.document(person)
    custody(travel, passport, "receive", date(2024, 1, 20))
    return person, passport


def test_a_trip_goes_from_application_to_closed_with_the_document_out_and_back(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, destinations=("泰国", "老挝"))
    custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=trip_id)
    assert row(travel.db, Trip, trip_id).state == "document_out"
    step(travel, trip_id, "depart", date(2024, 3, 11), exit_on=date(2024, 3, 10))
    back = step(travel, trip_id, "return", date(2024, 3, 21), entry_on=date(2024, 3, 20), places=["泰国"])
    assert back.deviations == ()
    with pytest.raises(Refused, match="not back in custody"):
        step(travel, trip_id, "close", date(2024, 3, 22))
    custody(travel, passport, "return", date(2024, 3, 25))
    assert step(travel, trip_id, "close", date(2024, 3, 25)).to_state == "closed"
    trip = row(travel.db, Trip, trip_id)
    assert [(h.seq, h.trigger, h.to_state) for h in trip_history(travel.db, trip_id)] == [
        (1, "apply", "draft"), (2, "submit", "submitted"), (3, "consult", "consulted"), (4, "approve", "approved"),
        (5, "hand_out", "document_out"), (6, "depart", "travelling"), (7, "return", "returned"), (8, "close", "closed")]
    assert (trip.version, trip.last_seq, trip.approved_by, trip.consulted_by) == (8, 8, "cadre_city", "discipline1")
    assert (json.loads(trip.destinations), json.loads(trip.actual_places), trip.deviations) == (
        ["泰国", "老挝"], ["泰国"], "[]")


def test_a_document_is_checked_out_only_for_an_approved_trip_of_its_holder_for_that_document(travel, in_custody):
    person, passport = in_custody
    with pytest.raises(Exception) as no_trip:
        custody(travel, passport, "check_out", date(2024, 3, 6))
    assert no_trip.value.exit_code == 2 and no_trip.value.option == "--trip 编号"
    submitted = travel.trip(person, passport, until="submitted")
    with pytest.raises(Refused, match="only for an approved trip"):
        custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=submitted)
    other = travel.person("李四", registered_on=date(2024, 1, 10))
    others = travel.trip(other, travel.document(other))
    with pytest.raises(BadInput, match="holder has no trip"):
        custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=others)
    hkmo = travel.document(person, kind="hkmo_private", number="C12345678")
    with pytest.raises(Refused, match="another document"):
        custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=travel.trip(person, hkmo))
    assert row(travel.db, TravelDocument, passport).state == "in_custody"
    assert row(travel.db, Trip, submitted).state == "submitted"


def test_a_checkout_is_refused_more_than_the_policy_days_before_departure_and_the_trip_stays_approved(
        travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport)  # departs 2024-03-10
    with pytest.raises(Refused) as early:
        custody(travel, passport, "check_out", date(2024, 3, 4), trip_id=trip_id)
    assert "出发前5天" in early.value.zh
    assert (row(travel.db, Trip, trip_id).state, row(travel.db, TravelDocument, passport).version) == ("approved", 2)
    custody(travel, passport, "check_out", date(2024, 3, 5), trip_id=trip_id)
    custody(travel, passport, "return", date(2024, 3, 5))
    with pytest.raises(Refused, match="only for an approved trip"):  # once out, the trip is spent
        custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=trip_id)


def test_the_actual_return_moves_the_return_day_and_the_late_return_alert_keys_off_it(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport)  # planned return 2024-03-20: due back 2024-03-30
    custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=trip_id)
    step(travel, trip_id, "depart", date(2024, 3, 10))
    sweep(travel.db, date(2024, 3, 31))  # still abroad after the planned return: T2 on the planned clock
    back = step(travel, trip_id, "return", date(2024, 4, 3), entry_on=date(2024, 4, 2), places=["泰国", "越南"])
    assert back.deviations == ("returned_late", "other_destination")
    document = row(travel.db, TravelDocument, passport)
    assert (document.state, document.trip_ends_on, document.return_due_on) == (
        "checked_out", date(2024, 4, 2), date(2024, 4, 12))
    with travel.db.engine.connect() as conn:
        last = custody_history(conn, passport)[-1]
    assert (last.trigger, last.from_state, last.to_state, last.trip_id) == ("trip_end", "checked_out", "checked_out",
                                                                           trip_id)
    from .test_custody_alerts import custody_alerts
    assert [(a[0], a[4], a[-1]) for a in custody_alerts(travel.db)] == [("T2", date(2024, 3, 30), date(2024, 4, 3))]
    sweep(travel.db, date(2024, 4, 12))
    assert len(custody_alerts(travel.db)) == 1  # the new clock is not yet due
    sweep(travel.db, date(2024, 4, 13))
    assert [(a[0], a[4], a[-1]) for a in custody_alerts(travel.db)][1:] == [("T2", date(2024, 4, 12), None)]


def test_the_approval_belongs_to_the_cadre_authority_of_the_rank_and_the_consultation_to_the_discipline_organ(
        travel, in_custody):
    person, passport = in_custody  # county rank: approved at the city (the default policy)
    trip_id = travel.trip(person, passport, until="submitted")
    with pytest.raises(Refused) as unit:
        step(travel, trip_id, "approve", date(2024, 3, 1), note="同意")
    assert "市级或以上" in unit.value.zh
    with pytest.raises(Refused, match="discipline_officer"):
        step(travel, trip_id, "consult", date(2024, 3, 1), note="同意")
    with pytest.raises(Refused, match="consulted first"):
        step(travel, trip_id, "approve", date(2024, 3, 1), actor="cadre_city")
    staff = travel.person("职员", rank="staff")  # unregistered staff: the unit approves, no consultation needed
    own = travel.document(staff)
    staff_trip = travel.trip(staff, own, until="submitted")
    assert step(travel, staff_trip, "approve", date(2024, 3, 1)).to_state == "approved"
    assert row(travel.db, Trip, trip_id).version == 2


def test_a_naked_official_s_trip_is_strictly_reviewed(travel):
    person = travel.person("裸官", rank="staff", person_type="naked_official")
    passport = travel.document(person)
    trip_id = travel.trip(person, passport, until="submitted")
    assert row(travel.db, Trip, trip_id).strict_review is True
    with pytest.raises(Refused, match="strictly reviewed"):
        step(travel, trip_id, "approve", date(2024, 3, 1), note="同意")
    step(travel, trip_id, "consult", date(2024, 3, 1), actor="discipline1", note="无不同意见")
    with pytest.raises(Refused, match="review's opinion"):
        step(travel, trip_id, "approve", date(2024, 3, 1))
    assert step(travel, trip_id, "approve", date(2024, 3, 1), note="从严审查，同意").to_state == "approved"


def test_an_unregistered_person_holding_the_document_departs_without_a_checkout(travel):
    person = travel.person("自持", rank="staff", person_type=None)
    passport = travel.document(person)
    trip_id = travel.trip(person, passport)
    assert step(travel, trip_id, "depart", date(2024, 3, 9)).to_state == "travelling"
    step(travel, trip_id, "return", date(2024, 3, 20), places=["泰国"])
    assert step(travel, trip_id, "close", date(2024, 3, 20)).to_state == "closed"


def test_a_stale_version_is_refused_and_changes_nothing(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="draft")
    step(travel, trip_id, "submit", date(2024, 3, 1), expected_version=1)
    with pytest.raises(Conflict):
        step(travel, trip_id, "withdraw", date(2024, 3, 1), expected_version=1)
    assert (row(travel.db, Trip, trip_id).state, len(trip_history(travel.db, trip_id))) == ("submitted", 2)


def test_a_paper_record_is_back_dated_but_not_before_the_trip_s_latest_step_nor_into_the_future(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="draft", on=date(2024, 2, 1))
    for day in (date(2024, 1, 31), date(2024, 6, 29)):
        with pytest.raises(Refused):
            step(travel, trip_id, "submit", day)
    step(travel, trip_id, "submit", date(2024, 2, 3))
    assert row(travel.db, Trip, trip_id).last_event_on == date(2024, 2, 3)
    with pytest.raises(Refused, match="before trip"):
        custody(travel, passport, "check_out", date(2024, 2, 2), trip_id=trip_id)


def test_an_application_is_of_the_person_s_own_private_document_and_before_the_departure(travel, in_custody):
    person, passport = in_custody
    kw = dict(destinations=["泰国"], reason="探亲", actor_login="cadre1", today=TODAY, at=date(2024, 3, 1))
    other = travel.document(travel.person("李四"))
    with pytest.raises(BadInput, match="no document"):
        apply_trip(travel.db, person, document_id=other, planned_departure=date(2024, 3, 10),
                   planned_return=date(2024, 3, 20), **kw)
    official = travel.document(person, kind="passport_official", number="G22222222")
    with pytest.raises(Refused, match="private document"):
        apply_trip(travel.db, person, document_id=official, planned_departure=date(2024, 3, 10),
                   planned_return=date(2024, 3, 20), **kw)
    with pytest.raises(Refused, match="apply first"):
        apply_trip(travel.db, person, document_id=passport, planned_departure=date(2024, 2, 10),
                   planned_return=date(2024, 2, 20), **kw)


def test_outside_the_subtree_a_trip_is_answered_as_one_that_does_not_exist(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport)
    for actor in ("cadre2", "liaison1"):
        with pytest.raises(BadInput) as outside:
            step(travel, trip_id, "withdraw", date(2024, 3, 2), actor=actor)
        with pytest.raises(BadInput) as unknown:
            step(travel, 999_999, "withdraw", date(2024, 3, 2), actor=actor)
        assert outside.value.zh.replace(str(trip_id), "N") == unknown.value.zh.replace("999999", "N")
        with pytest.raises(BadInput):
            show_trip(travel.db, trip_id, actor_login=actor, today=TODAY)
        assert list_trips(travel.db, actor_login=actor, today=TODAY) == []


def test_the_list_masks_numbers_reads_any_past_day_and_finds_the_deviations(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport)
    custody(travel, passport, "check_out", date(2024, 3, 6), trip_id=trip_id)
    step(travel, trip_id, "depart", date(2024, 3, 8))
    step(travel, trip_id, "return", date(2024, 3, 18), places=["泰国"])
    states = [[(r["state"], r["actual_exit_on"]) for r in list_trips(travel.db, actor_login="discipline1",
                                                                     today=TODAY, as_of=day)]
              for day in (date(2024, 2, 29), date(2024, 3, 1), date(2024, 3, 7), date(2024, 3, 9))]
    assert states == [[], [("approved", None)], [("document_out", None)], [("travelling", "2024-03-08")]]
    [listed] = list_trips(travel.db, actor_login="cadre1", today=TODAY, deviations_only=True)
    assert (listed["id"], listed["deviations"], listed["approved_by"]) == (trip_id, ["left_early"], "cadre_city")
    assert person not in json.dumps(listed, ensure_ascii=False) and listed["person_id_number_masked"] != person
    assert list_trips(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 3, 17), deviations_only=True) == []
    mine = show_trip(travel.db, trip_id, actor_login="cadre1", today=TODAY)
    theirs = show_trip(travel.db, trip_id, actor_login="discipline1", today=TODAY)
    assert mine["person_id_number"] == person and "person_id_number" not in theirs
    assert "document_number" not in theirs and theirs["document_number_masked"] != mine["document_number"]


def test_a_trip_s_page_as_of_a_past_day_shows_what_had_happened_by_then(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="submitted", on=date(2024, 2, 1))
    step(travel, trip_id, "consult", date(2024, 2, 5), actor="discipline1", note="同意")
    before = show_trip(travel.db, trip_id, actor_login="cadre1", today=TODAY, as_of=date(2024, 2, 4))
    after = show_trip(travel.db, trip_id, actor_login="cadre1", today=TODAY, as_of=date(2024, 2, 5))
    assert (before["state"], before["consulted_on"], len(before["history"])) == ("submitted", None, 2)
    assert (after["state"], after["consultation_opinion"], after["version"]) == ("consulted", "同意", 3)
    with pytest.raises(BadInput):
        show_trip(travel.db, trip_id, actor_login="cadre1", today=TODAY, as_of=date(2024, 1, 31))


def test_the_city_s_cadre_supervisor_approves_below_and_one_of_another_subtree_hears_of_no_trip(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="consulted")
    with pytest.raises(BadInput):
        step(travel, trip_id, "approve", date(2024, 3, 1), actor="cadre2", note="同意")
    assert step(travel, trip_id, "approve", date(2024, 3, 1), actor="cadre_city", note="同意").to_state == "approved"


TRIGGERS = sorted(t for t in trips.TRIGGERS if t != "hand_out") + ["check_out", "return_document"]
ACTORS = {"consult": "discipline1", "approve": "cadre_city", "refuse": "cadre_city"}
ENDINGS = ("hand_out", "withdraw", "refuse")  # reachable from many states: drawn less often


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_steps_keep_the_trip_legal_its_history_one_record_per_accepted_step_and_refusals_change_nothing(
        travel, data):
    person = travel.person(registered_on=date(2024, 1, 10))
    passport = travel.document(person)
    custody(travel, passport, "receive", date(2024, 1, 20))
    trip_id = travel.trip(person, passport, until="draft", on=date(2024, 3, 1))
    day, accepted, state = date(2024, 3, 1), 1, "draft"
    for _ in range(data.draw(st.integers(1, 14), label="length")):
        # mostly what the state has (so the trip gets far), sometimes anything at all
        has = [t for t in trips.triggers_from(state) if t not in ENDINGS] + (["check_out"] if state == "approved"
                                                                           else [])
        trigger = data.draw(st.one_of(st.sampled_from(has or TRIGGERS), st.sampled_from(TRIGGERS)), label="step")
        day += timedelta(days=data.draw(st.integers(0, 2), label="gap"))
        noted = data.draw(st.sampled_from([True, True, True, False]), label="note")
        before = row(travel.db, Trip, trip_id)
        try:
            if trigger == "check_out":
                custody(travel, passport, "check_out", day, trip_id=trip_id)
            elif trigger == "return_document" or (trigger == "close" and not noted):
                custody(travel, passport, "return", day)  # a custody step only: the trip is untouched
                continue
            else:
                step(travel, trip_id, trigger, day, actor=ACTORS.get(trigger, "cadre1"),
                     note="意见" if noted else None, places=["泰国"] if trigger == "return" else None)
        except (Refused, BadInput):
            assert row(travel.db, Trip, trip_id) == before, f"refused {trigger} changed the trip"
            continue
        accepted += 1
        state = row(travel.db, Trip, trip_id).state
        event(f"reached {state}")
    trip = row(travel.db, Trip, trip_id)
    history = trip_history(travel.db, trip_id)
    assert trip.state in trips.STATES and len(history) == accepted == trip.last_seq == trip.version
    replayed = None
    for seq, record in enumerate(history, 1):
        assert (record.seq, record.from_state) == (seq, replayed)
        assert record.trigger in trips.TRIGGERS or record.trigger == "apply"
        replayed = record.to_state
    assert replayed == trip.state


def edit(travel, trip_id, day, actor="cadre1", **fields):
    return edit_trip(travel.db, trip_id, actor_login=actor, today=TODAY, at=day, **fields)


def test_an_application_awaiting_approval_is_edited_at_the_version_read_and_only_what_changed_is_recorded(
        travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="submitted")
    result = edit(travel, trip_id, date(2024, 3, 2), expected_version=2, destinations=["泰国", "老挝"], reason="探亲",
                  planned_return=date(2024, 3, 25))
    assert (result.from_state, result.to_state, result.version) == ("submitted", "submitted", 3)
    trip = row(travel.db, Trip, trip_id)
    assert (json.loads(trip.destinations), trip.planned_return, trip.reason) == (["泰国", "老挝"], date(2024, 3, 25), "探亲")
    last = show_trip(travel.db, trip_id, actor_login="cadre1", today=TODAY)["history"][-1]
    assert (last["trigger"], last["changes"]) == ("edit", {"destinations": [["泰国"], ["泰国", "老挝"]],
                                                           "planned_return": ["2024-03-20", "2024-03-25"]})
    with pytest.raises(Conflict):
        edit(travel, trip_id, date(2024, 3, 2), expected_version=2, reason="旅游")
    assert row(travel.db, Trip, trip_id).reason == "探亲" and len(trip_history(travel.db, trip_id)) == 3


def test_a_consulted_application_edited_goes_back_to_be_consulted_again(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="consulted")
    assert edit(travel, trip_id, date(2024, 3, 2), planned_departure=date(2024, 3, 12)).to_state == "submitted"
    trip = row(travel.db, Trip, trip_id)
    assert (trip.consulted_on, trip.consultation_opinion, trip.consulted_by) == (None, None, None)
    with pytest.raises(Refused, match="discipline organ is consulted first"):
        step(travel, trip_id, "approve", date(2024, 3, 2), actor="cadre_city", note="同意")
    step(travel, trip_id, "consult", date(2024, 3, 3), actor="discipline1", note="无不同意见")
    assert step(travel, trip_id, "approve", date(2024, 3, 3), actor="cadre_city", note="同意").to_state == "approved"


@pytest.mark.parametrize("until", ["approved", "refused", "withdrawn"])
def test_a_decided_or_withdrawn_application_is_not_edited(travel, in_custody, until):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="approved" if until == "approved" else "consulted")
    if until != "approved":
        step(travel, trip_id, {"refused": "refuse", "withdrawn": "withdraw"}[until], date(2024, 3, 1),
             actor="cadre_city" if until == "refused" else "cadre1", note="不同意")
    before = row(travel.db, Trip, trip_id)
    with pytest.raises(Refused) as refusal:
        edit(travel, trip_id, date(2024, 3, 2), reason="旅游")
    assert "不能办理“修改申请”" in refusal.value.zh
    assert row(travel.db, Trip, trip_id).version == before.version


def test_an_edited_application_is_checked_as_a_new_one_and_only_by_the_unit_s_cadre_supervisor(travel, in_custody):
    person, passport = in_custody
    trip_id = travel.trip(person, passport, until="draft")
    with pytest.raises(Refused, match="before the planned departure"):
        edit(travel, trip_id, date(2024, 3, 2), planned_return=date(2024, 3, 5))
    with pytest.raises(BadInput, match="no document"):
        edit(travel, trip_id, date(2024, 3, 2), document_id=travel.document(travel.person("李四")))
    with pytest.raises(Refused):
        edit(travel, trip_id, date(2024, 3, 2), actor="discipline1", reason="旅游")
    with pytest.raises(BadInput):
        edit(travel, trip_id, date(2024, 3, 2), actor="cadre2", reason="旅游")
    with pytest.raises(UsageError):
        edit(travel, trip_id, date(2024, 3, 2))
    assert edit(travel, trip_id, date(2024, 3, 2), reason="探亲").version == 1  # as it was: nothing written
    assert len(trip_history(travel.db, trip_id)) == 1
