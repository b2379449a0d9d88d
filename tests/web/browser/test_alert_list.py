"""超期预警's alert list in Chromium at both widths: a supervisor filters it by rule on a phone; a committee
reviewer reads the member's name and follows the case link. No page scrolls sideways."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import assert_fits, log_in_as
from tests.web.conftest import TODAY
from workflows.orchestration import run_in_process

pytestmark = pytest.mark.browser


@pytest.fixture
def swept(live_server):
    world = live_server.world
    for serial, (name, branch, last) in enumerate([("赵一", "B1", date(2015, 8, 20)), ("钱二", "B2", date(2015, 8, 25)),
                                                   ("孙三", "B3", date(2015, 8, 28))], start=101):
        world.add_member(name, branch=branch, last_contact=last, serial=serial)
    run_in_process(world.db, date(2016, 3, 2))
    world.add_member("周五", branch="B1", last_contact=date(2016, 1, 10), serial=201)
    world.add_member("吴七", branch="B3", last_contact=date(2016, 5, 1), mobile=True, away_since=date(2016, 5, 2),
                     serial=203)
    run_in_process(world.db, TODAY)
    return live_server


def test_a_supervisor_filters_the_alerts_by_rule(page, screen, swept, screenshot):
    log_in_as(page, swept.url, "supervisor1")
    page.goto(f"{swept.url}/alerts")
    assert_fits(page)
    rows = page.get_by_test_id("alerts").locator("tr.alert-row")
    assert rows.count() > 2
    filters = page.get_by_test_id("alert-filters")
    filters.get_by_label("预警类别").select_option(label="五个月预警")
    filters.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"rule=R2"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("五个月预警")
    expect(rows.first).to_contain_text("周五")
    expect(filters.get_by_label("预警类别")).to_have_value("R2")
    assert_fits(page)
    screenshot(page, f"30-alerts-supervisor-{screen}")


def test_a_committee_reviewer_sees_the_member_and_follows_the_case_link(page, screen, swept, screenshot):
    log_in_as(page, swept.url, "reviewer1")
    page.goto(f"{swept.url}/alerts")
    assert_fits(page)
    row = page.get_by_test_id("alerts").locator("tr.alert-row", has_text="赵一").first
    expect(row.get_by_test_id("alert-member")).to_have_text("赵一")
    expect(row.get_by_test_id("alert-member")).to_have_attribute("href", re.compile(r"^/members/\d+$"))
    expect(row).to_contain_text("环节期限")
    expect(row).not_to_contain_text("R5")
    screenshot(page, f"30-alerts-{screen}")
    case_link = row.get_by_test_id("alert-case")
    target = case_link.get_attribute("href")
    case_link.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_test_id("member-name")).to_have_text("赵一")  # (the case page's own fit is its page's test)
