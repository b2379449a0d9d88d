"""queries.member_page on SQLite and PostgreSQL: the member's cases with their outcomes, only the open
warnings about them and their cases, the contact history paged newest first, the ID number by role, and
one answer for a member outside the subtree and an unknown one."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from lostcontact.queries.member_page import CONTACTS_PER_PAGE, member_view
from lostcontact.orgtree import org_by_code
from lostcontact.services.members import add_contact
from lostcontact.uow import UnitOfWork
from models import Alert, Member
from statemachines.errors import BadInput
from tests.builders import build_world
from tests.lifecycle.driver import CaseDriver

TODAY = date(2016, 6, 20)


def member_id(db, id_number: str) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.query(Member.id).filter(Member.id_number == id_number).scalar()


def alert(db, subject_kind: str, subject_id: int, rule: str, level: str, *, case_id: int | None = None,
          closed_on: date | None = None) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add(Alert(subject_kind=subject_kind, subject_id=subject_id, rule=rule, level=level, step_seq=0,
                              due_on=date(2016, 6, 1), case_id=case_id, org_id=org_by_code(uow.session, "B1").id,
                              raised_on=date(2016, 6, 1),
                              closed_on=closed_on, message="—"))
        uow.commit()


@pytest.fixture
def world(db):
    return build_world(db)


def test_a_members_cases_outcomes_and_open_warnings(db, world):
    id_number = world.add_member("赵敏", branch="B1", last_contact=date(2015, 8, 1), mobile=True,
                                 away_since=date(2015, 7, 1))
    other = world.add_member("钱亮", branch="B1", last_contact=date(2015, 8, 1))
    closed = CaseDriver(db, id_number, opened=date(2016, 3, 1), today=TODAY)
    closed.to_proposal(reached=True)
    closed.through_chain("normal_management")
    closing_day = closed.day
    mid, other_id = member_id(db, id_number), member_id(db, other)
    alert(db, "member", mid, "R3", "reminder")
    alert(db, "member", mid, "R2", "reminder", closed_on=date(2016, 6, 10))  # its cause went: not shown
    alert(db, "case", closed.case_id, "R7", "reminder", case_id=closed.case_id)
    alert(db, "member", other_id, "R2", "reminder")  # someone else's

    view = member_view(db, mid, today=TODAY, actor_login="officer1")

    assert [(c["id"], c["state"], c["disposition"], c["ended_on"]) for c in view["cases"]] == [
        (closed.case_id, "closed", "normal_management", closing_day.isoformat())]
    assert sorted((a["rule"], a["light"], a["case_id"]) for a in view["alerts"]) == [
        ("R3", "yellow", None), ("R7", "yellow", closed.case_id)]
    assert view["status"] == "active" and view["flags"]["mobile"]["away_since"] == "2015-07-01"
    assert view["flags"]["abroad"] is None and view["flags"]["pocket"] is None
    assert [o["code"] for o in view["org_chain"]] == ["410000", "410400", "410402", "C1", "B1"]


def test_the_contact_history_is_paged_newest_first(db, world):
    id_number = world.add_member("孙丽", branch="B2", join=date(2010, 1, 1))
    first = date(2016, 1, 1)
    for n in range(CONTACTS_PER_PAGE + 3):
        add_contact(db, id_number, on=first + timedelta(days=n), kind="dues", actor_login="officer2", today=TODAY)
    mid = member_id(db, id_number)

    page_one = member_view(db, mid, today=TODAY, actor_login="officer2")
    page_two = member_view(db, mid, today=TODAY, actor_login="officer2", contacts_page=2)

    assert page_one["contacts_total"] == CONTACTS_PER_PAGE + 3
    days = [c["on_date"] for c in page_one["contacts"] + page_two["contacts"]]
    assert len(page_one["contacts"]) == CONTACTS_PER_PAGE and len(page_two["contacts"]) == 3
    assert days == sorted(days, reverse=True) and days[-1] == "2016-01-01"
    assert page_one["contacts"][0]["source"] == "manual" and page_one["contacts"][0]["recorded_by"] == "officer2"


@pytest.mark.parametrize("login,in_full,may_record", [
    ("officer2", True, True), ("admin1", True, True), ("reviewer1", False, False), ("upper1", False, False),
    ("supervisor1", False, False)])
def test_the_id_number_and_the_contact_form_by_role(db, world, login, in_full, may_record):
    id_number = world.add_member("周强", branch="B2")
    view = member_view(db, member_id(db, id_number), today=TODAY, actor_login=login)
    assert (view.get("id_number") == id_number) is in_full
    assert view["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert view["can_record_contact"] is may_record


def test_a_member_outside_the_subtree_is_the_same_error_as_an_unknown_one(db, world):
    mid = member_id(db, world.add_member("吴刚", branch="B1"))
    with pytest.raises(BadInput) as outside:
        member_view(db, mid, today=TODAY, actor_login="officer3")
    with pytest.raises(BadInput) as unknown:
        member_view(db, mid + 1000, today=TODAY, actor_login="officer3")
    assert (outside.value.zh, outside.value.en) == (unknown.value.zh, unknown.value.en)
    assert member_view(db, mid, today=TODAY, actor_login="reviewer1")["name"] == "吴刚"  # C1 sees its branch
