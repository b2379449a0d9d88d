"""Who may fire which trigger in which state, at which org of the tree (DOMAIN.md §6, §6.1)."""
from datetime import date

import pytest

from lostcontact.orgtree import branch_chain
from lostcontact.permissions import grant_for, load_actor
from lostcontact.queries.cases import list_cases, show_case
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from statemachines.errors import Refused
from statemachines.lifecycle import MACHINE, TRIGGERS, roles_for

from .conftest import LOST
from .driver import CaseDriver

B, C, U = "branch_officer", "committee_reviewer", "upper_reviewer"

# DOMAIN.md §6, the role column, transcribed: (trigger, from state) -> roles
ROLE_TABLE = {
    ("start_search", "lost_contact"): {B}, ("reach", "searching"): {B}, ("exhaust", "searching"): {B},
    ("propose", "verifying"): {B}, ("submit", "branch_proposal"): {B},
    ("agree", "committee_prereview"): {C}, ("agree", "upper_prereview"): {U},
    ("resolve", "meeting_resolution"): {B}, ("reject", "meeting_resolution"): {B},
    ("approve", "final_approval"): {C}, ("approve", "upper_approval"): {U},
    ("return", "committee_prereview"): {C}, ("return", "final_approval"): {C},
    ("return", "upper_prereview"): {U}, ("return", "upper_approval"): {U},
    **{("confirm_death", s): {B, C} for s in ("lost_contact", "searching", "verifying", "branch_proposal",
                                              "committee_prereview", "upper_prereview", "meeting_resolution",
                                              "final_approval", "upper_approval", "closed")},
    **{("record_expulsion", s): {C} for s in ("lost_contact", "searching", "verifying", "branch_proposal",
                                              "committee_prereview", "upper_prereview", "meeting_resolution",
                                              "final_approval", "upper_approval")},
    ("void", "lost_contact"): {C}, ("void", "searching"): {C},
    ("reopen", "closed"): {B}, ("withdraw_reopen", "verifying"): {B}, ("withdraw_reopen", "branch_proposal"): {B},
}

# The role each user can act in for a case of each branch (None: no role there). gb_reviewer sits at a general
# branch below the supervising committee C1; city_upper above the county org department.
ACTS_AS = {
    "officer1": {"B1": B, "B2": None, "B3": None},
    "officer2": {"B1": None, "B2": B, "B3": None},
    "officer3": {"B1": None, "B2": None, "B3": B},
    "reviewer1": {"B1": C, "B2": C, "B3": None},
    "reviewer2": {"B1": None, "B2": None, "B3": C},
    "gb_reviewer": {"B1": None, "B2": None, "B3": None},
    "upper1": {"B1": U, "B2": U, "B3": U},
    "city_upper": {"B1": U, "B2": U, "B3": U},
    "supervisor1": {"B1": None, "B2": None, "B3": None},
    "admin1": {"B1": None, "B2": None, "B3": None},
}


def test_the_machine_has_exactly_the_transitions_of_the_role_table():
    machine_pairs = {(t, s) for t in TRIGGERS for s in MACHINE.events[t].transitions}
    assert machine_pairs == set(ROLE_TABLE)
    assert all(set(roles_for(t, s)) == roles for (t, s), roles in ROLE_TABLE.items())


@pytest.fixture
def grants(world, db):
    add_user(db, "gb_reviewer", role=C, org_code="GB1")
    add_user(db, "city_upper", role=U, org_code="410400")
    with UnitOfWork(db) as uow:
        s = uow.session
        from lostcontact.orgtree import org_by_code
        chains = {b: branch_chain(s, org_by_code(s, b).id) for b in ("B1", "B2", "B3")}
        actors = {login: load_actor(s, login) for login in ACTS_AS}
    return chains, actors


@pytest.mark.parametrize("trigger, state", sorted(ROLE_TABLE))
def test_every_trigger_is_allowed_exactly_to_its_role_inside_the_subtree(grants, trigger, state):
    chains, actors = grants
    for login, branches in ACTS_AS.items():
        for branch, role in branches.items():
            allowed = role in ROLE_TABLE[(trigger, state)]
            if allowed:
                assert grant_for(actors[login], roles_for(trigger, state), chains[branch], trigger).role == role
            else:
                with pytest.raises(Refused):
                    grant_for(actors[login], roles_for(trigger, state), chains[branch], trigger)


def test_along_the_upper_chain_only_the_right_user_can_act_at_each_step(world, db):
    add_user(db, "gb_reviewer", role=C, org_code="GB1")
    case = CaseDriver(db, world.add_member("何一", last_contact=LOST))
    steps = [("start_search", {}), ("log", {}), ("reach", {"cause": 1}), ("propose", {}), ("submit", {"disposition": "persuade_withdraw"}),
             ("agree", {}), ("agree", {}), ("resolve", {}), ("approve", {}), ("approve", {})]
    expected_user = {B: "officer1", C: "reviewer1", U: "upper1"}
    for trigger, options in steps:
        if trigger == "log":
            for outsider in ("officer2", "officer3", "reviewer2", "gb_reviewer", "upper1", "supervisor1", "admin1"):
                with pytest.raises(Refused):
                    case.log("phone", "reached", actor=outsider)
            case.log("phone", "reached")
            continue
        state = case.view()["state"]
        rightful = expected_user[roles_for(trigger, state)[0]]
        before = case.view()
        for login in ACTS_AS:
            also_rightful = login == "city_upper" and rightful == "upper1"  # an upper reviewer above the county
            if login != rightful and not also_rightful:
                with pytest.raises(Refused):
                    case.fire(trigger, actor=login, state=state, at=case.day, **options)
        assert case.view() == before
        case.fire(trigger, actor=rightful, **options)
    assert case.view()["state"] == "closed"


def test_reads_are_scoped_to_the_users_subtrees(world, db):
    today = date(2016, 6, 20)
    in_b1 = CaseDriver(db, world.add_member("何二", branch="B1", last_contact=LOST))
    in_b3 = CaseDriver(db, world.add_member("何三", branch="B3", last_contact=LOST), branch_officer="officer3")

    def ids(login):
        return {c["id"] for c in list_cases(db, today=today, actor_login=login)}

    assert ids("officer1") == {in_b1.case_id}
    assert ids("reviewer2") == {in_b3.case_id}
    assert ids("supervisor1") == ids(None) == {in_b1.case_id, in_b3.case_id}
    with pytest.raises(Refused, match="outside"):
        show_case(db, in_b3.case_id, today=today, actor_login="officer1")
    with pytest.raises(Refused, match="outside"):
        list(list_cases(db, today=today, actor_login="officer1", org_code="B3"))


def test_full_id_numbers_only_for_the_members_branch_officer_and_an_admin(world, db):
    case = CaseDriver(db, world.add_member("何四", last_contact=LOST))
    full = world.members["何四"]
    assert case.view("officer1")["member_id_number"] == full
    assert case.view("admin1")["member_id_number"] == full
    for login in ("reviewer1", "upper1", "supervisor1", None):
        view = case.view(login)
        assert "member_id_number" not in view
        assert view["member_id_number_masked"] == full[:6] + "********" + full[-4:]


@pytest.mark.parametrize("role, org, ok", [
    ("branch_officer", "C1", False), ("committee_reviewer", "B1", False), ("upper_reviewer", "C1", False),
    ("upper_reviewer", "410000", True), ("committee_reviewer", "GB1", True), ("supervisor", "B1", True),
    ("system", "410000", False),
])
def test_a_grant_must_sit_at_an_org_of_the_right_level(world, db, role, org, ok):
    if ok:
        assert add_user(db, "newcomer", role=role, org_code=org)
    else:
        with pytest.raises(Refused):
            add_user(db, "newcomer", role=role, org_code=org)
