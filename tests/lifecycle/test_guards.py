"""Every guard refuses with a reason and changes nothing (DOMAIN.md §5, §6, R6, R9)."""
from datetime import date

import pytest

from lostcontact.services.cases import fire, open_case
from models import Member
from lostcontact.uow import UnitOfWork
from statemachines.errors import Refused, UsageError
from statemachines.guards import Meeting

from .conftest import LOST
from .driver import CaseDriver, passing_meeting

TODAY = date(2016, 6, 20)


def refused(case: CaseDriver, trigger: str, match: str, **options) -> None:
    """The trigger is refused with a message matching `match`, and the case is exactly as before."""
    before = case.view()
    with pytest.raises(Refused, match=match):
        case.fire(trigger, **options)
    assert case.view() == before


@pytest.fixture
def searching(world):
    case = CaseDriver(world.db, world.add_member("陈一", last_contact=LOST))
    case.fire("start_search")
    return case


def test_reach_needs_a_reached_entry_in_the_search_log(searching):
    searching.log("phone", "lead")
    refused(searching, "reach", "no 'reached' entry")


def test_exhaust_needs_an_attempt_in_every_required_tier(searching):
    searching.log("phone")
    searching.log("relatives")
    refused(searching, "exhaust", r"tier\(s\) agency")


def test_exhaust_is_refused_once_the_member_was_reached(searching):
    for channel in ("phone", "relatives", "household_registry"):
        searching.log(channel)
    searching.log("classmates", "reached")
    refused(searching, "exhaust", "fire reach instead")


def test_propose_needs_the_cause_of_the_loss_of_contact(searching):
    searching.log("phone", "reached")
    searching.fire("reach")
    refused(searching, "propose", "cause")
    searching.fire("propose", cause=6)
    assert searching.view()["cause"] == 6


def test_search_attempts_are_logged_only_while_searching(world):
    case = CaseDriver(world.db, world.add_member("陈二", last_contact=LOST))
    with pytest.raises(Refused, match="only in state searching"):
        case.log("phone")


@pytest.mark.parametrize("disposition, standing, reached, match", [
    ("removal_self_withdrawal", "probationary", False, "R9"),
    ("suspend_unreachable", "full", True, "not apply to a member reached"),
    ("normal_management", "full", False, "not apply to a member not reached"),
    ("retain_relationship", "full", True, "abroad flag"),
    ("annul_probationary", "full", True, "probationary members only"),
    ("expelled", "full", True, "record_expulsion"),
])
def test_submit_refuses_a_disposition_that_does_not_apply(world, disposition, standing, reached, match):
    case = CaseDriver(world.db, world.add_member("陈三", standing=standing, last_contact=LOST))
    case.to_proposal(reached=reached)
    refused(case, "submit", match, disposition=disposition)


def test_r6_removal_needs_more_than_six_months_without_contact(world, db):
    # a pocket member (R4): transfer letter out 2016-01-10, no receipt; last contact only 2016-01-05
    member = world.add_member("陈四", last_contact=date(2016, 1, 5), transfer_out_date=date(2016, 1, 10))
    case = CaseDriver(db, member, opened=date(2016, 4, 11))
    assert case.view()["origin"] == "R4"
    case.to_proposal(reached=False)
    refused(case, "submit", "R6", disposition="removal_self_withdrawal")


def test_the_meeting_vote_decides_between_resolve_and_reject(world):
    case = CaseDriver(world.db, world.add_member("陈五", last_contact=LOST))
    case.to_proposal()
    case.fire("submit", disposition="normal_management")
    case.fire("agree")
    day = case.next_day()
    refused(case, "resolve", "did not pass", meeting=Meeting(day, 23, 19, 11, 6, 2), at=day)
    refused(case, "reject", "passed", meeting=passing_meeting(day), at=day)
    # exactly half is not a majority
    refused(case, "resolve", "did not pass", meeting=Meeting(day, 22, 22, 11, 11, 0), at=day)


def test_a_meeting_must_fall_between_entering_the_step_and_recording_it(world):
    case = CaseDriver(world.db, world.add_member("陈六", last_contact=LOST))
    case.to_proposal()
    case.fire("submit", disposition="normal_management")
    case.fire("agree")
    entered = case.day
    refused(case, "resolve", "after the action", meeting=passing_meeting(date(2016, 6, 1)), at=date(2016, 5, 1))
    refused(case, "resolve", "before the case entered", meeting=passing_meeting(date(2016, 3, 1)),
            at=entered)


def test_a_probationary_member_cannot_be_expelled_only_annulled(world):
    case = CaseDriver(world.db, world.add_member("陈七", standing="probationary", last_contact=LOST))
    refused(case, "record_expulsion", "R9", opinion="纪委决定")


def test_death_cannot_be_confirmed_after_membership_ended(world):
    case = CaseDriver(world.db, world.add_member("陈八", last_contact=LOST))
    case.to_proposal()
    case.through_chain("removal_requested")
    refused(case, "confirm_death", "other than a suspension")


def test_only_an_early_case_can_be_voided(world):
    case = CaseDriver(world.db, world.add_member("陈九", last_contact=LOST))
    case.reach()
    refused(case, "void", "cannot void", opinion="错误立案")
    other = CaseDriver(world.db, world.add_member("陈十", last_contact=LOST))
    other.fire("void", opinion="身份证号录入错误，立案对象有误")
    assert other.view()["state"] == "voided"


def test_a_trigger_the_state_does_not_have_is_refused(searching):
    refused(searching, "approve", "cannot approve")


@pytest.mark.parametrize("trigger, options, match", [
    ("submit", {}, "requires --disposition"),
    ("resolve", {}, "requires --meeting"),
    ("propose", {}, "requires --opinion"),
    ("start_search", {"cause": 1}, "does not take --cause"),
    ("agree", {"disposition": "normal_management"}, "does not take --disposition"),
    ("fly", {}, "unknown trigger"),
])
def test_missing_or_foreign_options_are_usage_errors(searching, trigger, options, match):
    with pytest.raises(UsageError, match=match):
        fire(searching.db, searching.case_id, trigger, actor_login="officer1", today=TODAY, **options)


class TestEffectiveDates:
    def test_an_action_cannot_be_dated_in_the_future(self, searching):
        refused(searching, "reach", "in the future", at=date(2016, 6, 21))

    def test_an_action_cannot_be_dated_before_the_case_latest_event(self, searching):
        searching.log("phone", "reached")
        refused(searching, "reach", "before the case's latest", at=date(2016, 3, 1))

    def test_the_same_day_is_fine(self, searching):
        searching.log("phone", "reached")
        searching.fire("reach", at=searching.day)
        assert searching.view()["state"] == "verifying"

    def test_a_case_is_opened_only_when_r1_or_r4_holds(self, world, db):
        member = world.add_member("林一", last_contact=date(2015, 9, 1))
        with pytest.raises(Refused, match="no grounds to open"):
            open_case(db, member, actor_login="officer1", today=TODAY, at=date(2016, 3, 1))
        assert open_case(db, member, actor_login="officer1", today=TODAY, at=date(2016, 3, 2))

    def test_a_member_has_one_open_case_at_a_time(self, world, db):
        member = world.add_member("林二", last_contact=LOST)
        open_case(db, member, actor_login="officer1", today=TODAY, at=date(2016, 3, 1))
        with pytest.raises(Refused, match="already has an open case"):
            open_case(db, member, actor_login="reviewer1", today=TODAY)

    def test_a_reached_entry_counts_as_contact(self, searching, db):
        searching.log("phone", "reached")
        with UnitOfWork(db) as uow:
            member = uow.session.query(Member).one()
            assert member.last_contact_on == searching.day
