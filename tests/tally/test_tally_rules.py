"""The tally's rules beyond the fixed scenario: rounds, later cases, scope, and a sheet that does not add up."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from lostcontact.queries.tally import TallyInvariantBroken, tally
from lostcontact.uow import UnitOfWork
from models import Case, CaseEvent
from statemachines.errors import Refused, UsageError

from ..builders import build_world
from .driver import OFFICER, REVIEWER, Driver

TODAY = date(2017, 6, 30)


def nonzero(node) -> dict[str, int]:
    return {k: v for k, v in node.columns.items() if v}


def figures(db, as_of, **kw) -> dict[str, int]:
    return nonzero(tally(db, today=TODAY, as_of=as_of, **kw)[0])


@pytest.fixture
def world(db):
    return build_world(db)


def test_a_reopened_case_keeps_its_bucket_until_the_new_round_is_approved(db, world):
    drive = Driver(db, TODAY)
    case = drive.open(world.add_member("李四", last_contact=date(2015, 8, 31)), date(2016, 3, 1))
    drive.exhaust(case, date(2016, 3, 2))
    drive.decide(case, date(2016, 3, 10), "suspend_unreachable")
    drive.fire(case, "reopen", date(2016, 9, 1), OFFICER["B1"], opinion="本人书面申请恢复党籍")
    approved = drive.decide(case, date(2016, 9, 2), "normal_management")
    for in_review in (date(2016, 9, 1), date(2016, 9, 4), approved - timedelta(days=1)):
        assert figures(db, in_review) == {"A": 1, "O": 1, "S": 1, "T": 1}
    assert figures(db, approved) == {"A": 1, "B": 1, "C": 1}


def test_withdrawing_a_reopening_restores_the_closed_bucket(db, world):
    drive = Driver(db, TODAY)
    case = drive.open(world.add_member("李四", last_contact=date(2015, 8, 31)), date(2016, 3, 1))
    drive.exhaust(case, date(2016, 3, 2))
    drive.decide(case, date(2016, 3, 10), "suspend_unreachable")
    drive.fire(case, "reopen", date(2016, 9, 1), OFFICER["B1"], opinion="本人书面申请恢复党籍")
    drive.fire(case, "withdraw_reopen", date(2016, 9, 5), OFFICER["B1"], opinion="本人撤回申请")
    assert figures(db, date(2016, 9, 5)) == {"A": 1, "O": 1, "S": 1, "T": 1}


def test_a_members_later_case_replaces_the_earlier_one_unless_voided(db, world):
    drive = Driver(db, TODAY)
    idn = world.add_member("张三", last_contact=date(2015, 8, 31))
    first = drive.open(idn, date(2016, 3, 1))
    day = drive.reach(first, date(2016, 3, 2))
    approved = drive.decide(first, day, "normal_management")
    second = drive.open(idn, date(2016, 10, 1))
    assert figures(db, date(2016, 9, 30)) == {"A": 1, "B": 1, "C": 1}
    assert figures(db, date(2016, 10, 1)) == {"A": 1, "O": 1, "W": 1}
    drive.fire(second, "void", date(2016, 10, 3), REVIEWER["B1"], opinion="误立案")
    assert figures(db, date(2016, 10, 3)) == {"A": 1, "B": 1, "C": 1}
    assert figures(db, approved) == {"A": 1, "B": 1, "C": 1}


def test_a_member_reached_but_not_yet_approved_is_still_under_investigation(db, world):
    drive = Driver(db, TODAY)
    case = drive.open(world.add_member("赵六", last_contact=date(2015, 8, 31)), date(2016, 3, 1))
    day = drive.reach(case, date(2016, 3, 2))
    drive.decide(case, day, "persuade_withdraw", upper=True, stop_before="approve")
    assert figures(db, TODAY) == {"A": 1, "B": 1, "N": 1}


def test_a_future_date_is_refused(db, world):
    with pytest.raises(Refused) as refused:
        tally(db, today=TODAY, as_of=date(2017, 7, 1))
    assert refused.value.exit_code == 3


def test_an_actor_sees_their_own_subtree_and_nothing_outside_it(db, world):
    drive = Driver(db, TODAY)
    drive.open(world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31)), date(2016, 3, 1), "B1")
    drive.open(world.add_member("孙八", branch="B3", last_contact=date(2015, 8, 31)), date(2016, 3, 1), "B3")
    officer_tree, _ = tally(db, today=TODAY, actor_login="officer1")
    assert officer_tree.code == "B1" and officer_tree.columns["A"] == 1
    supervisor_tree, _ = tally(db, today=TODAY, actor_login="supervisor1")
    assert supervisor_tree.code == "410402" and supervisor_tree.columns["A"] == 2
    with pytest.raises(Refused):
        tally(db, today=TODAY, actor_login="officer1", org_code="B3")


def test_an_actor_with_two_separate_subtrees_must_pick_one(db, world):
    from lostcontact.services.users import add_user
    add_user(db, "officer1", role="branch_officer", org_code="B3")
    with pytest.raises(UsageError):
        tally(db, today=TODAY, actor_login="officer1")
    assert tally(db, today=TODAY, actor_login="officer1", org_code="B3")[0].code == "B3"


def test_a_sheet_that_does_not_add_up_is_refused_naming_the_org_and_columns(db, world):
    drive = Driver(db, TODAY)
    case = drive.open(world.add_member("张三", last_contact=date(2015, 8, 31)), date(2016, 3, 1))
    drive.decide(case, drive.reach(case, date(2016, 3, 2)), "normal_management")
    with UnitOfWork(db) as uow:  # a corrupted record: an unreached disposition on a reached round
        uow.session.execute(update(Case).where(Case.id == case).values(disposition="suspend_unreachable"))
        uow.session.execute(update(CaseEvent).where(CaseEvent.case_id == case, CaseEvent.to_state == "closed")
                            .values(disposition="suspend_unreachable"))
        uow.commit()
    for as_of in (TODAY, date(2016, 3, 9)):  # today's path and the replayed path both check
        with pytest.raises(TallyInvariantBroken) as broken:
            tally(db, today=TODAY, as_of=as_of)
        lines = "\n".join(broken.value.lines())
        assert "B1" in lines and "org B1: B = 1 but C+G+M+N = 0" in lines


def test_a_closed_case_with_an_unknown_disposition_is_refused_loudly(db, world):
    drive = Driver(db, TODAY)
    case = drive.open(world.add_member("张三", last_contact=date(2015, 8, 31)), date(2016, 3, 1))
    drive.decide(case, drive.reach(case, date(2016, 3, 2)), "normal_management")
    with UnitOfWork(db) as uow:
        uow.session.execute(update(Case).where(Case.id == case).values(disposition="made_up"))
        uow.session.execute(update(CaseEvent).where(CaseEvent.case_id == case, CaseEvent.to_state == "closed")
                            .values(disposition="made_up"))
        uow.commit()
    for as_of in (TODAY, date(2016, 3, 9)):
        with pytest.raises(TallyInvariantBroken) as broken:
            tally(db, today=TODAY, as_of=as_of)
        assert "made_up" in broken.value.en or "unknown" in broken.value.en


def test_the_invariants_are_checked_across_every_org_at_once():
    from statemachines.tally import COLUMNS, broken_invariants, case_columns, hold_everywhere
    members = [case_columns(deceased=False, final_disposition="normal_management", final_reached=True, reached=True),
               case_columns(deceased=True, final_disposition=None, final_reached=None, reached=None),
               case_columns(deceased=False, final_disposition=None, final_reached=None, reached=False)]
    orgs = [[column in bucket for column in COLUMNS] for bucket in members]  # one member per org
    columns = [list(map(int, counts)) for counts in zip(*orgs)]
    assert hold_everywhere(columns)
    columns[COLUMNS.index("C")][0] = 0  # org 0: B counts a member that no part of B does
    assert not hold_everywhere(columns)
    assert broken_invariants(dict(zip(COLUMNS, (c[0] for c in columns))))
