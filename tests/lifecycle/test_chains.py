"""Every disposition goes through its approval chain (DOMAIN.md §7) and lands where §6 says."""
from datetime import date

import pytest

from .conftest import LOST
from .driver import CaseDriver

COMMITTEE = ["committee_prereview", "meeting_resolution", "final_approval"]
UPPER = ["committee_prereview", "upper_prereview", "meeting_resolution", "final_approval", "upper_approval"]

CHAINS = [
    # disposition, reached, member standing, abroad, cause, the steps it passes
    ("normal_management", True, "full", False, 1, COMMITTEE),
    ("normal_management", True, "probationary", False, 1, COMMITTEE),
    ("retain_relationship", True, "full", True, 5, COMMITTEE),
    ("suspend_reached_abroad", True, "full", False, 5, COMMITTEE),
    ("correct_within_deadline", True, "full", False, 1, COMMITTEE),
    ("persuade_withdraw", True, "full", False, 1, UPPER),
    ("removal_self_withdrawal", True, "full", False, 2, UPPER),
    ("removal_self_withdrawal", False, "full", False, 3, UPPER),
    ("removal_requested", True, "full", False, 4, UPPER),
    ("non_recognition", True, "full", False, 6, COMMITTEE),
    ("annul_probationary", True, "probationary", False, 1, COMMITTEE),
    ("annul_probationary", False, "probationary", False, 7, COMMITTEE),
    ("suspend_unreachable", False, "full", False, 1, COMMITTEE),
    ("suspend_abroad_unreachable", False, "full", True, 5, COMMITTEE),
]


@pytest.mark.parametrize("disposition, reached, standing, abroad, cause, steps", CHAINS)
def test_each_disposition_passes_exactly_its_chain_and_closes(world, disposition, reached, standing, abroad, cause,
                                                              steps):
    member = world.add_member("王五", standing=standing, abroad=abroad, last_contact=LOST)
    case = CaseDriver(world.db, member)
    case.to_proposal(reached=reached, cause=cause)

    assert case.through_chain(disposition) == steps

    view = case.view()
    assert (view["state"], view["disposition"], view["reached"]) == ("closed", disposition, reached)
    assert view["due_on"] is None and view["overdue_days"] is None
    assert view["closed_on"] == view["history"][-1]["at"]


def test_an_expulsion_is_recorded_from_any_open_state_and_keeps_reached_as_it_was(world):
    case = CaseDriver(world.db, world.add_member("赵六", last_contact=LOST))
    case.fire("start_search")
    case.fire("record_expulsion", opinion="区纪委决定开除党籍")

    view = case.view()
    assert (view["state"], view["disposition"], view["reached"]) == ("closed", "expelled", False)
    assert view["history"][-1]["role"] == "committee_reviewer"


def test_the_history_records_who_did_what_when_and_why(world):
    case = CaseDriver(world.db, world.add_member("钱七", last_contact=LOST))
    case.reach(cause=1)
    case.fire("propose", opinion="已取得联系，本人愿意参加组织生活")
    case.fire("submit", disposition="normal_management")
    case.fire("return", opinion="材料不全，请补充")

    history = case.view()["history"]
    assert [(h["trigger"], h["from"], h["to"]) for h in history] == [
        ("open", None, "lost_contact"), ("start_search", "lost_contact", "searching"),
        ("reach", "searching", "verifying"), ("propose", "verifying", "branch_proposal"),
        ("submit", "branch_proposal", "committee_prereview"), ("return", "committee_prereview", "branch_proposal")]
    assert [h["actor"] for h in history] == ["officer1"] * 5 + ["reviewer1"]
    assert history[-1]["role"] == "committee_reviewer"
    assert history[-1]["opinion"] == "材料不全，请补充"
    assert history[3]["opinion"] == "已取得联系，本人愿意参加组织生活"
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    assert all(h["recorded_at"] for h in history)


@pytest.mark.parametrize("review_state", ["committee_prereview", "upper_prereview", "final_approval", "upper_approval"])
def test_every_review_can_return_the_case_to_the_branch_which_resubmits(world, review_state):
    case = CaseDriver(world.db, world.add_member("孙八", last_contact=LOST))
    case.to_proposal()
    case.fire("submit", disposition="persuade_withdraw")
    while case.view()["state"] != review_state:
        state = case.view()["state"]
        case.fire({"meeting_resolution": "resolve"}.get(state, "agree" if "prereview" in state else "approve"))

    case.fire("return", opinion="退回补充材料")
    assert case.view()["state"] == "branch_proposal"
    assert case.view()["disposition"] == "persuade_withdraw"  # kept through the return

    assert case.through_chain("persuade_withdraw") == UPPER
    assert case.view()["state"] == "closed"


def test_a_failed_meeting_vote_is_rejected_back_to_the_branch(world):
    case = CaseDriver(world.db, world.add_member("周九", last_contact=LOST))
    case.to_proposal()
    case.fire("submit", disposition="normal_management")
    case.fire("agree")
    case.fire("reject")

    view = case.view()
    assert view["state"] == "branch_proposal"
    assert view["history"][-1]["meeting"] == {"date": view["history"][-1]["at"], "entitled": 23, "present": 19,
                                              "for": 11, "against": 6, "abstain": 2}


def test_death_can_be_confirmed_in_any_open_state_and_after_a_suspension(world):
    case = CaseDriver(world.db, world.add_member("吴十", last_contact=LOST))
    case.exhaust()
    case.fire("propose")
    case.through_chain("suspend_unreachable")
    case.fire("confirm_death", actor="reviewer1")
    assert case.view()["state"] == "deceased"


def test_each_step_gets_a_due_date_in_statutory_working_days(world):
    case = CaseDriver(world.db, world.add_member("郑一", last_contact=date(2015, 7, 20)), opened=date(2016, 1, 29))
    # opened 2016-01-29 (Fri): 5 working days, skipping the weekend: due 2016-02-05 (Fri)
    assert case.view()["due_on"] == "2016-02-05"
    case.fire("start_search", at=date(2016, 2, 5))
    # 30 working days from 2016-02-05 across the Spring Festival (02-07..02-13 off; Sat 02-06 and Sun 02-14 are
    # make-up working days): 1 = 02-06, 2 = 02-14, 3-7 = 02-15..19, 8-12 = 02-22..26, 13-17 = 02-29..03-04,
    # 18-22 = 03-07..11, 23-27 = 03-14..18, 28-30 = 03-21..23
    assert case.view()["due_on"] == "2016-03-23"


def test_a_case_reloaded_from_a_fresh_connection_between_triggers_loses_nothing(world):
    from lostcontact.queries.cases import show_case
    from models.db import open_database

    case = CaseDriver(world.db, world.add_member("冯一", last_contact=LOST))

    def fresh_view():
        other = open_database(world.db.url)
        try:
            return show_case(other, case.case_id, today=case.today)
        finally:
            other.dispose()

    case.reach(cause=4)
    assert fresh_view() == case.view()
    case.fire("propose")
    case.fire("submit", disposition="removal_requested")
    reloaded = fresh_view()
    assert (reloaded["state"], reloaded["disposition"], reloaded["chain"], reloaded["cause"], reloaded["reached"]) == (
        "committee_prereview", "removal_requested", "upper", 4, True)
    for trigger in ("agree", "agree", "resolve", "approve", "approve"):
        case.fire(trigger)
        assert fresh_view() == case.view()
    assert fresh_view()["state"] == "closed"
