"""转接组织关系 on the member page: offered to an admin or a committee reviewer, done through the same service
as `member transfer`, refused next to the form with nothing changed, a branch outside the reviewer's subtree
answered exactly as an unknown code."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Member, Org
from tests.web.conftest import without_token


@pytest.fixture
def zhang(world) -> int:
    world.add_member("张三", branch="B1", join=date(2005, 7, 1), serial=311)
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(Member.id).where(Member.name == "张三"))


def branch_of(world, member_id: int) -> str:
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(Org.code).join(Member, Member.branch_id == Org.id)
                                  .where(Member.id == member_id))


def transfer_form(html: str) -> str:
    return html.split('data-testid="transfer"', 1)[1].split("</details>", 1)[0]


def test_a_committee_reviewer_moves_the_member_and_the_page_says_so(world, browser_as, zhang):
    reviewer = browser_as("reviewer1")
    assert 'data-testid="transfer"' in reviewer.client.get(f"/members/{zhang}").text
    response = reviewer.post_form(f"/members/{zhang}/transfer",
                                  {"to_branch": "B2", "at": "2016-06-01", "from_branch": "B1"},
                                  token_from=f"/members/{zhang}")
    assert response.status_code == 303 and response.headers["location"] == f"/members/{zhang}"
    html = reviewer.client.get(f"/members/{zhang}").text
    assert "已将组织关系由 B1 转至 B2（2016-06-01）" in html and "第二党支部" in html
    assert branch_of(world, zhang) == "B2"


def test_a_branch_officer_is_offered_no_transfer_and_a_forged_post_moves_nobody(world, browser_as, zhang):
    officer = browser_as("officer1")
    assert 'data-testid="transfer"' not in officer.client.get(f"/members/{zhang}").text
    response = officer.post_form(f"/members/{zhang}/transfer", {"to_branch": "B2", "from_branch": "B1"},
                                 token_from=f"/members/{zhang}")
    assert response.status_code in (400, 403)
    assert branch_of(world, zhang) == "B1"


def test_a_branch_outside_the_reviewers_subtree_reads_exactly_as_an_unknown_code(world, browser_as, zhang):
    reviewer = browser_as("reviewer1")
    pages = []
    for code in ("B3", "B9"):
        response = reviewer.post_form(f"/members/{zhang}/transfer", {"to_branch": code, "from_branch": "B1"},
                                      token_from=f"/members/{zhang}")
        assert response.status_code == 400
        form = transfer_form(response.text)
        assert f"未知党支部代码 {code}" in form
        pages.append(without_token(response.text).replace(code, "<code>"))
    assert pages[0] == pages[1]
    assert branch_of(world, zhang) == "B1"


def test_a_form_drawn_before_someone_else_moved_the_member_is_a_conflict(world, browser_as, zhang):
    admin = browser_as("admin1")
    token_page = f"/members/{zhang}"
    assert admin.post_form(f"/members/{zhang}/transfer", {"to_branch": "B3", "from_branch": "B1"},
                           token_from=token_page).status_code == 303
    stale = admin.post_form(f"/members/{zhang}/transfer", {"to_branch": "B2", "from_branch": "B1"},
                            token_from=token_page)
    assert stale.status_code == 409 and "刚被他人修改" in transfer_form(stale.text)
    assert branch_of(world, zhang) == "B3"


def test_a_member_outside_my_subtree_answers_a_transfer_post_as_an_unknown_member(world, browser_as, zhang):
    reviewer = browser_as("reviewer2")
    posts = [reviewer.post_form(f"/members/{m}/transfer", {"to_branch": "B3"}, token_from="/queue")
             for m in (zhang, 999999)]
    assert posts[0].status_code == posts[1].status_code == 404
    assert without_token(posts[0].text) == without_token(posts[1].text)
