"""A session that expires while a branch officer writes a long opinion: the login page says why, and after
logging in again the case page has the opinion back in its form (a draft kept in the tab, never an ID
number); the 打印 button of the 纪实表 is on screen but not on paper."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from lostcontact.services.cases import fire, log_search, open_case
from tests.web.browser.conftest import assert_fits, log_in_as
from tests.web.conftest import TODAY

pytestmark = pytest.mark.browser

OPINION = "经走访其亲属，本人在外省务工，已取得联系，表示愿意按时参加组织生活、交纳党费，建议纳入正常管理"


@pytest.fixture
def verifying_case(live_server):
    world = live_server.world
    case_id = open_case(world.db, world.add_member("周八", branch="B1", last_contact=date(2015, 8, 31)),
                        actor_login="officer1", today=TODAY)
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY)
    log_search(world.db, case_id, channel="relatives", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, case_id, "reach", actor_login="officer1", today=TODAY, cause=3)
    return case_id


def test_an_opinion_typed_when_the_session_expired_comes_back_after_logging_in(live_server, app, clock, page,
                                                                              screen, verifying_case):
    base = live_server.url
    log_in_as(page, base, "officer1")
    page.goto(f"{base}/cases/{verifying_case}")
    action = page.get_by_test_id("action-propose")
    action.locator(":scope > summary").click()
    action.locator("textarea[name=opinion]").fill(OPINION)
    clock.advance(seconds=app.state.config.session_seconds + 60)  # the officer went to lunch
    action.get_by_role("button", name="提出初步处置意见").click()

    expect(page.get_by_test_id("login-expired")).to_contain_text("登录已过期，请重新登录")
    assert_fits(page)
    page.get_by_label("用户名").fill("officer1")
    page.get_by_label("密码").fill("correct-horse-42")
    page.get_by_role("button", name="登录").click()

    page.wait_for_url(f"{base}/cases/{verifying_case}")
    restored = page.get_by_test_id("action-propose")
    expect(restored.locator("textarea[name=opinion]")).to_have_value(OPINION)
    expect(restored.get_by_test_id("draft-restored")).to_be_visible()
    assert_fits(page)
    page.reload()  # the draft is used once
    expect(page.get_by_test_id("draft-restored")).to_have_count(0)


def test_the_record_has_a_print_button_that_is_not_printed(live_server, page, screen, verifying_case):
    log_in_as(page, live_server.url, "officer1")
    page.goto(f"{live_server.url}/cases/{verifying_case}")
    page.get_by_test_id("record-link").click()
    button = page.get_by_test_id("print")
    expect(button).to_be_visible()
    assert_fits(page)
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
