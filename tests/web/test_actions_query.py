"""lostcontact.queries.actions on both engines: what each user may do now on a case."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.queries.actions import actions_for
from lostcontact.services.cases import fire, log_search, open_case
from statemachines.errors import Refused
from tests.builders import build_world
from tests.lifecycle.driver import CaseDriver

TODAY = date(2016, 6, 20)


@pytest.fixture
def world(db):
    return build_world(db)


def _triggers(db, case_id, login):
    return [a.trigger for a in actions_for(db, case_id, actor_login=login, today=TODAY).triggers]


def _open(world, name="甲", branch="B1", **member):
    id_number = world.add_member(name, branch=branch, last_contact=date(2015, 8, 31), **member)
    return open_case(world.db, id_number, actor_login={"B1": "officer1", "B2": "officer2"}[branch], today=TODAY)


def test_each_role_is_offered_the_triggers_it_holds_over_the_case(world):
    case_id = _open(world)
    assert _triggers(world.db, case_id, "officer1") == ["start_search", "confirm_death"]
    assert _triggers(world.db, case_id, "reviewer1") == ["confirm_death", "record_expulsion", "void"]
    assert _triggers(world.db, case_id, "upper1") == []
    assert _triggers(world.db, case_id, "supervisor1") == []


def test_a_user_outside_the_subtree_is_refused_not_offered_nothing(world):
    case_id = _open(world)
    with pytest.raises(Refused, match="outside officer3"):
        actions_for(world.db, case_id, actor_login="officer3", today=TODAY)


def test_a_general_branch_reviewer_under_the_committee_is_not_the_supervising_committee(world):
    from lostcontact.services.users import add_user
    add_user(world.db, "gbreviewer", role="committee_reviewer", org_code="GB1")
    case_id = _open(world, branch="B2")
    assert _triggers(world.db, case_id, "gbreviewer") == []
    assert _triggers(world.db, case_id, "reviewer1") == ["confirm_death", "record_expulsion", "void"]


def test_searching_adds_logging_and_the_options_of_each_trigger(world):
    case_id = _open(world)
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY)
    actions = actions_for(world.db, case_id, actor_login="officer1", today=TODAY)
    assert actions.can_log_search
    exhaust = next(a for a in actions.triggers if a.trigger == "exhaust")
    assert exhaust.options == ("cause", "opinion", "at") and exhaust.required == ()
    assert actions_for(world.db, case_id, actor_login="reviewer1", today=TODAY).can_log_search  # agency searches
    assert not actions_for(world.db, case_id, actor_login="upper1", today=TODAY).can_log_search


def test_the_dispositions_offered_are_those_that_apply_with_their_chains(world):
    case_id = _open(world)
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY)
    log_search(world.db, case_id, channel="phone", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, case_id, "reach", actor_login="officer1", today=TODAY, cause=2)
    fire(world.db, case_id, "propose", actor_login="officer1", today=TODAY, opinion="无")
    actions = actions_for(world.db, case_id, actor_login="officer1", today=TODAY)
    offered = {d.id: d.chain for d in actions.dispositions}
    assert offered == {"normal_management": "committee", "correct_within_deadline": "committee",
                       "persuade_withdraw": "upper", "removal_self_withdrawal": "upper",
                       "removal_requested": "upper", "non_recognition": "committee"}
    refused = dict(actions.refused_dispositions)
    assert "出国（境）" in refused["保留组织关系（出国（境）留学、劳务）"]


def test_upper_steps_are_offered_to_the_upper_reviewer_only(world):
    case = CaseDriver(world.db, world.add_member("甲", branch="B1", last_contact=date(2015, 8, 31)), today=TODAY)
    case.to_proposal(reached=True)
    case.fire("submit", disposition="persuade_withdraw")
    case.fire("agree")
    assert "agree" in _triggers(world.db, case.case_id, "upper1")
    assert "agree" not in _triggers(world.db, case.case_id, "reviewer1")
    case.fire("agree")
    assert _triggers(world.db, case.case_id, "officer1") == ["resolve", "reject", "confirm_death"]


def test_a_closed_case_offers_reopen_only_after_a_reopenable_disposition(world):
    suspended = CaseDriver(world.db, world.add_member("甲", branch="B1", last_contact=date(2015, 8, 31)), today=TODAY)
    suspended.to_proposal(reached=False)
    suspended.through_chain("suspend_unreachable")
    assert _triggers(world.db, suspended.case_id, "officer1") == ["confirm_death", "reopen"]  # R8 may reopen
    other = _open(world, name="乙")
    fire(world.db, other, "record_expulsion", actor_login="reviewer1", today=TODAY, opinion="纪委决定开除党籍")
    assert _triggers(world.db, other, "officer1") == []  # expelled: nothing more to do
