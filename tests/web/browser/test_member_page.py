"""党员信息 in the browser, at office and phone widths: a branch officer opens a case from the queue, follows
the member's name to the member page, sees the flags, warnings and history, and records a contact there;
a reviewer sees the same member with the ID number masked and no form."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from lostcontact.queries.cases import list_cases
from tests.web.browser.conftest import assert_fits, log_in_as
from tests.web.conftest import TODAY
from workflows.orchestration import run_in_process

pytestmark = pytest.mark.browser


@pytest.fixture
def lost_member(live_server):
    """陈静 of B1, mobile and unreported, lost since August 2015: the March sweep opened her case, June's
    finds it long overdue."""
    world = live_server.world
    world.add_member("陈静", branch="B1", last_contact=date(2015, 8, 20), serial=401, sex="F",
                     birth_date=date(1988, 5, 6), phone="13912345678", occupation=3, mobile=True, flow_direction=4,
                     flow_reason="外出务工经商", flow_card_no="LD-2015-0099", receiving_unit="浙江省义乌市某商贸城党委",
                     away_since=date(2015, 8, 1), reported=False)
    run_in_process(world.db, date(2016, 3, 2))
    run_in_process(world.db, TODAY)
    return live_server


def case_of(server, name: str) -> int:
    return next(c["id"] for c in list_cases(server.world.db, today=TODAY) if c["member_name"] == name)


def test_an_officer_follows_the_member_link_and_records_a_contact(page: Page, screen, lost_member, screenshot):
    base = lost_member.url
    log_in_as(page, base, "officer1")
    page.goto(f"{base}/queue")
    page.get_by_test_id("queue").locator("tr", has_text="陈静").get_by_role("link").click()
    page.get_by_test_id("member-name").click()

    expect(page).to_have_url(re.compile(r"/members/\d+$"))
    expect(page.get_by_test_id("member-title")).to_contain_text("陈静")
    expect(page.get_by_test_id("member-id")).to_have_text(re.compile(r"^\d{17}[\dX]$"))  # her own branch: in full
    expect(page.get_by_test_id("flag-mobile")).to_be_visible()
    expect(page.get_by_test_id("mobile-facts")).to_contain_text("浙江省义乌市某商贸城党委")
    expect(page.get_by_test_id("member-alerts")).to_contain_text("环节期限")
    expect(page.get_by_test_id("member-cases")).to_contain_text("失联登记")
    assert_fits(page)

    record = page.get_by_test_id("record-contact")
    record.locator(":scope > summary").click()
    record.locator("input[name=on_date]").fill("2016-06-19")
    record.get_by_label("党费").check()
    if screen == "phone":
        screenshot(page, "20-member")
    assert_fits(page)
    record.get_by_role("button", name="记录").click()

    expect(page.get_by_test_id("flash-ok")).to_contain_text("已记录 2016-06-19 的联系")
    expect(page.get_by_test_id("last-contact")).to_have_text("2016-06-19")
    first = page.get_by_test_id("contact-history").locator("tbody tr").first
    expect(first).to_contain_text("2016-06-19")
    expect(first).to_contain_text("党费")
    expect(first).to_contain_text("手工")
    assert_fits(page)
    if screen == "desktop":
        screenshot(page, "21-member-desktop")


def test_a_reviewer_sees_the_member_masked_and_without_the_contact_form(page: Page, screen, lost_member):
    base = lost_member.url
    log_in_as(page, base, "reviewer1")
    page.goto(f"{base}/cases/{case_of(lost_member, '陈静')}")
    page.get_by_test_id("member-name").click()
    expect(page.get_by_test_id("member-id")).to_contain_text("****")
    expect(page.get_by_test_id("contacts")).to_be_visible()
    expect(page.get_by_test_id("record-contact")).to_have_count(0)
    assert_fits(page)
