"""Finding a case in the browser, at both widths: a committee reviewer types the last four digits of a
member's ID number into the search box on a phone and opens the case; a supervisor lands on 超期预警 and
goes through the lists with their filters and tabs. No page scrolls sideways."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import assert_fits, log_in_as
from tests.web.case_lists_world import populate

pytestmark = pytest.mark.browser


@pytest.fixture
def cases(live_server):
    return populate(live_server.world)


def shot(screenshot, page: Page, name: str, screen: str) -> None:
    screenshot(page, name if screen == "desktop" else f"{name}-phone")


def test_a_reviewer_finds_a_case_by_the_last_four_digits_and_opens_it(page: Page, screen, live_server, cases,
                                                                      screenshot):
    log_in_as(page, live_server.url, "reviewer1")
    expect(page).to_have_url(re.compile(r"/queue$"))
    page.get_by_role("navigation", name="案件列表").get_by_role("link", name="全部案件").click()
    expect(page.get_by_test_id("case-list")).to_be_visible()
    assert_fits(page)
    shot(screenshot, page, "10-cases-all", screen)

    last_four = live_server.world.members["钱七"][-4:]
    box = page.get_by_test_id("search-box")
    expect(box).to_be_visible()
    box.fill(last_four)
    box.press("Enter")
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("钱七")
    assert last_four not in page.url
    assert_fits(page)
    shot(screenshot, page, "11-search", screen)

    results.get_by_role("link", name=f"案件 {cases['钱七']}").click()
    expect(page).to_have_url(re.compile(rf"/cases/{cases['钱七']}$"))
    expect(page.get_by_test_id("member-name")).to_have_text("钱七")


def test_a_supervisor_lands_on_alerts_and_narrows_the_lists(page: Page, screen, live_server, cases, screenshot):
    log_in_as(page, live_server.url, "supervisor1")
    expect(page).to_have_url(re.compile(r"/alerts$"))
    page.goto(f"{live_server.url}/cases")
    filters = page.get_by_test_id("filters")
    filters.get_by_label("党组织").select_option(label="　　社区党支部")
    filters.get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("list-total")).to_have_text("1")
    expect(page.get_by_test_id("case-list")).to_contain_text("李四")
    assert_fits(page)

    page.get_by_role("navigation", name="案件列表").get_by_role("link", name="已办结").click()
    expect(page.get_by_test_id("list-total")).to_have_text("2")
    expect(page.get_by_test_id("case-list")).to_contain_text("已撤销")
    assert_fits(page)
    shot(screenshot, page, "12-cases-done", screen)

    page.get_by_role("navigation", name="案件列表").get_by_role("link", name="已办", exact=True).click()
    expect(page.get_by_test_id("list-empty")).to_be_visible()
    assert_fits(page)
