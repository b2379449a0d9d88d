"""Moving a member to another branch (`member transfer`, INTERFACE.md): who may, when it is refused, what the
history records, and that nothing outside the actor's subtrees can be told from the answers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services.cases import fire, open_case
from lostcontact.services.transfers import transfer_member
from lostcontact.uow import UnitOfWork
from models import Case, Member, MemberChange
from statemachines.errors import BadInput, Conflict, Refused

from ..builders import build_world, make_id_number
from ..conftest import built_on

TODAY = date(2016, 6, 20)


@pytest.fixture
def world(db, sqlite_snapshot):
    return built_on(db, sqlite_snapshot, "builders-world", build_world)


def _branch_and_history(db, id_number: str) -> tuple[str, list[tuple]]:
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        from models import Org
        member = s.scalar(select(Member).where(Member.id_number == id_number))
        code = s.scalar(select(Org.code).where(Org.id == member.branch_id))
        history = s.execute(select(MemberChange.field, MemberChange.old_value, MemberChange.new_value,
                                   MemberChange.source, MemberChange.effective_on)
                            .where(MemberChange.member_id == member.id).order_by(MemberChange.id)).all()
        return code, [tuple(row) for row in history]


def test_an_admin_moves_a_member_and_the_move_goes_into_the_members_history(db, world):
    id_number = world.add_member("张三", branch="B1")
    moved = transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY, at=date(2016, 6, 1))
    assert (moved.from_code, moved.to_code, moved.on) == ("B1", "B3", date(2016, 6, 1))
    assert _branch_and_history(db, id_number) == ("B3", [("branch_code", "B1", "B3", "transfer:admin1",
                                                          date(2016, 6, 1))])


def test_a_case_opened_after_the_move_belongs_to_the_new_branch_and_its_officer(db, world):
    id_number = world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31))
    transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY)
    with pytest.raises(BadInput):  # the old branch's officer no longer sees the member
        open_case(db, id_number, actor_login="officer1", today=TODAY)
    case_id = open_case(db, id_number, actor_login="officer3", today=TODAY)
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.get(Case, case_id).branch_id == uow.session.get(Member, uow.session.get(
            Case, case_id).member_id).branch_id


def test_a_committee_reviewer_moves_a_member_between_two_branches_under_their_committee(db, world):
    id_number = world.add_member("张三", branch="B1")
    transfer_member(db, id_number, to_branch="B2", actor_login="reviewer1", today=TODAY)
    assert _branch_and_history(db, id_number)[0] == "B2"


def test_a_branch_outside_the_reviewers_subtree_answers_exactly_as_a_code_that_names_nothing(db, world):
    id_number = world.add_member("张三", branch="B1")
    answers = []
    for code in ("B3", "NOSUCH"):
        with pytest.raises(BadInput) as refused:
            transfer_member(db, id_number, to_branch=code, actor_login="reviewer1", today=TODAY)
        answers.append((refused.value.zh.replace(code, "<code>"), refused.value.en.replace(code, "<code>")))
    assert answers[0] == answers[1]
    assert _branch_and_history(db, id_number) == ("B1", [])


def test_a_member_outside_the_actors_subtree_answers_exactly_as_an_unknown_id_number(db, world):
    id_number = world.add_member("张三", branch="B1", serial=1)
    answers = []
    for number in (id_number, make_id_number(777)):
        with pytest.raises(BadInput) as refused:
            transfer_member(db, number, to_branch="B3", actor_login="reviewer2", today=TODAY)
        answers.append(refused.value.en[:-4])  # the masked number's last four digits differ
    assert answers[0] == answers[1]


@pytest.mark.parametrize("login", ["officer1", "upper1", "supervisor1"])
def test_a_user_without_an_admin_or_reviewer_grant_over_both_branches_is_refused(db, world, login):
    id_number = world.add_member("张三", branch="B1")
    with pytest.raises(BadInput if login == "officer1" else Refused) as refused:
        # a branch officer does not even see B2; the county roles see it but may not move members
        transfer_member(db, id_number, to_branch="B2", actor_login=login, today=TODAY)
    assert refused.value.exit_code in (3, 4)
    assert _branch_and_history(db, id_number) == ("B1", [])


def test_a_member_with_an_open_case_is_not_moved(db, world):
    id_number = world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31))
    case_id = open_case(db, id_number, actor_login="officer1", today=TODAY)
    with pytest.raises(Refused) as refused:
        transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY)
    assert refused.value.exit_code == 3 and f"open case ({case_id})" in refused.value.en
    assert _branch_and_history(db, id_number) == ("B1", [])


def test_a_member_whose_case_is_closed_may_be_moved(db, world):
    id_number = world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31))
    case_id = open_case(db, id_number, actor_login="officer1", today=TODAY, at=date(2016, 3, 1))
    fire(db, case_id, "void", actor_login="reviewer1", today=TODAY, at=date(2016, 3, 2), opinion="误登记")
    transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY)
    assert _branch_and_history(db, id_number)[0] == "B3"


@pytest.mark.parametrize("at, words", [(date(2016, 6, 21), "future"), (date(2005, 6, 30), "join date")])
def test_a_transfer_dated_in_the_future_or_before_the_member_joined_is_refused(db, world, at, words):
    id_number = world.add_member("张三", branch="B1", join=date(2005, 7, 1))
    with pytest.raises(Refused) as refused:
        transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY, at=at)
    assert words in refused.value.en


def test_a_transfer_may_not_be_dated_before_the_previous_one(db, world):
    id_number = world.add_member("张三", branch="B1")
    transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY, at=date(2016, 6, 1))
    with pytest.raises(Refused, match="previous transfer"):
        transfer_member(db, id_number, to_branch="B1", actor_login="admin1", today=TODAY, at=date(2016, 5, 1))


def test_moving_a_member_to_their_own_branch_or_to_an_org_that_is_not_a_branch_is_refused(db, world):
    id_number = world.add_member("张三", branch="B1")
    with pytest.raises(Refused, match="already at branch B1"):
        transfer_member(db, id_number, to_branch="B1", actor_login="admin1", today=TODAY)
    with pytest.raises(BadInput, match="not a branch"):
        transfer_member(db, id_number, to_branch="C2", actor_login="admin1", today=TODAY)
    assert _branch_and_history(db, id_number) == ("B1", [])


def test_a_form_drawn_before_someone_else_moved_the_member_is_a_conflict(db, world):
    id_number = world.add_member("张三", branch="B1")
    transfer_member(db, id_number, to_branch="B2", actor_login="reviewer1", today=TODAY, expected_branch="B1")
    with pytest.raises(Conflict):
        transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY, expected_branch="B1")
    assert _branch_and_history(db, id_number)[0] == "B2"


def test_after_a_transfer_the_old_branchs_roster_cannot_move_the_member_back_it_says_transfer_instead(db, world,
                                                                                                      tmp_path):
    from lostcontact.importing import import_file
    id_number = world.add_member("张三", branch="B1", join=date(2005, 7, 1))
    transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY)
    roster = tmp_path / "roster.csv"
    roster.write_text(f"身份证号,姓名,所在党支部代码,党员类别,入党时间\n{id_number},张三,B1,正式,2005-07-01\n", encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", roster, today=TODAY)
    assert "transfer them instead" in " ".join(en for _, en in refused.value.details)
    assert _branch_and_history(db, id_number)[0] == "B3"


def test_a_transfer_may_not_be_dated_back_into_a_closed_cases_time_at_the_old_branch(db, world):
    from ..lifecycle.driver import CaseDriver
    id_number = world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31))
    driver = CaseDriver(db, id_number, opened=date(2016, 3, 1), today=TODAY)
    driver.to_proposal(reached=True)
    driver.through_chain("normal_management")
    closed_on = driver.view()["history"][-1]["at"]
    with pytest.raises(Refused, match="latest case event"):
        transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY, at=date(2016, 3, 5))
    assert _branch_and_history(db, id_number) == ("B1", [])
    moved = transfer_member(db, id_number, to_branch="B3", actor_login="admin1", today=TODAY,
                            at=date.fromisoformat(closed_on))
    assert moved.to_code == "B3"
