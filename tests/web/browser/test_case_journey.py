"""A case the sweep opened, taken to closed through the browser by three users — the branch officer, the
committee reviewer and the upper reviewer — on a disposition with the upper chain, meeting a refused
action and a conflict on the way; screenshots of the key pages go to test-artifacts/."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PASSWORD, TODAY
from workflows.orchestration import run_in_process

pytestmark = pytest.mark.browser

EARLY_SWEEP = date(2016, 3, 2)


@pytest.fixture
def swept(live_server):
    """Members lost at various times across three branches; the sweep opens their cases (some in March,
    so they are long overdue by June) and raises the alerts as of today."""
    world = live_server.world
    for serial, (name, branch, last) in enumerate([
        ("赵一", "B1", date(2015, 8, 20)), ("钱二", "B2", date(2015, 8, 25)), ("孙三", "B3", date(2015, 8, 28)),
        ("周六", "B3", date(2015, 8, 10)), ("吴七", "B2", date(2015, 12, 10)),
    ], start=101):
        world.add_member(name, branch=branch, last_contact=last, serial=serial)
    run_in_process(world.db, EARLY_SWEEP)
    world.add_member("王五", branch="B1", last_contact=date(2015, 12, 15), serial=200)
    run_in_process(world.db, TODAY)
    return live_server


def log_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(login)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/queue$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def open_case_from_queue(page: Page, member: str) -> None:
    row = page.get_by_test_id("queue").locator("tr", has_text=member)
    row.get_by_role("link").click()
    expect(page.get_by_test_id("member-name")).to_have_text(member)


def act(page: Page, trigger: str, **fields) -> None:
    """Open the action's form, fill it and send it."""
    action = page.get_by_test_id(f"action-{trigger}")
    if action.get_attribute("open") is None:
        action.locator(":scope > summary").click()
    for name, value in fields.items():
        field = action.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    action.locator("button[type=submit]").click()


def log_attempt(page: Page, channel: str, outcome: str, note: str) -> None:
    action = page.get_by_test_id("action-log")
    action.locator(":scope > summary").click()
    action.locator("select[name=channel]").select_option(channel)
    action.locator(f"input[name=outcome][value={outcome}]").check()
    action.locator("textarea[name=note]").fill(note)
    action.get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("flash-ok")).to_be_visible()


def state_of(page: Page):
    return page.get_by_test_id("case-state")


def test_a_swept_case_goes_from_opening_to_closed_through_three_users(page: Page, swept, screenshot):
    base = swept.url
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/queue")
    expect(page).to_have_url(re.compile(r"/login\?next=/queue$"))
    screenshot(page, "01-login")

    # The branch officer finds the case the sweep opened in the work queue, most urgent first.
    log_in(page, base, "officer1")
    queue = page.get_by_test_id("queue")
    expect(queue.locator("tr", has_text="王五")).to_contain_text("失联登记")
    expect(queue.locator("tr", has_text="赵一")).to_contain_text("升级督办")
    screenshot(page, "02-queue-officer")
    open_case_from_queue(page, "王五")
    expect(page.get_by_test_id("member-id")).to_have_text(re.compile(r"^\d{17}[\dX]$"))  # their own branch: in full
    act(page, "start_search")
    expect(state_of(page)).to_have_text("联系查找")

    # One direct attempt is not an exhausted search: the refusal says which tiers are missing.
    log_attempt(page, "phone", "no_answer", "拨打登记电话，已停机")
    act(page, "exhaust", cause="1")
    error = page.get_by_test_id("action-exhaust").get_by_test_id("error")
    expect(error).to_contain_text("查找未穷尽")
    expect(error).to_contain_text("知情人")
    expect(state_of(page)).to_have_text("联系查找")
    screenshot(page, "03-refused-exhaust")

    log_attempt(page, "relatives", "no_answer", "走访其父母，称多年未联系")
    log_attempt(page, "household_registry", "lead", "户籍系统显示已迁往外省")
    expect(page.get_by_test_id("timeline")).to_contain_text("户籍系统")

    # Two pages on the same case: the first one acts, the stale second one meets a conflict, drawn anew.
    stale = page.context.new_page()
    stale.goto(page.url)
    act(page, "exhaust", cause="1")
    expect(state_of(page)).to_have_text("表现调查核实")
    act(stale, "exhaust", cause="1")
    expect(stale.get_by_test_id("conflict")).to_contain_text("其他用户已先办理")
    expect(state_of(stale)).to_have_text("表现调查核实")
    screenshot(stale, "04-conflict")
    stale.close()

    act(page, "propose", opinion="失联期间未发现违纪违法问题，经多方查找仍无法取得联系，建议按自行脱党除名处置")
    expect(state_of(page)).to_have_text("支委会初步处置意见")
    offered = page.get_by_test_id("action-submit").locator("select[name=disposition] option")
    expect(offered).to_have_count(3)  # the placeholder, and only what applies to an unreached full member
    expect(offered.nth(1)).to_have_attribute("value", "removal_self_withdrawal")
    expect(offered.nth(2)).to_have_attribute("value", "suspend_unreachable")
    page.get_by_test_id("action-submit").locator(":scope > summary").click()
    screenshot(page, "05-submit-form")
    act(page, "submit", disposition="removal_self_withdrawal")
    expect(state_of(page)).to_have_text("基层党委预审意见")
    case_url = page.url
    log_out(page)

    # The committee reviewer agrees; the upper chain sends the case on to the upper reviewer.
    log_in(page, base, "reviewer1")
    open_case_from_queue(page, "王五")
    expect(page.get_by_test_id("member-id")).to_contain_text("****")  # a reviewer sees the ID number masked
    act(page, "agree", opinion="同意支部意见")
    expect(state_of(page)).to_have_text("上级党委组织部门预审意见")
    expect(page.get_by_test_id("action-agree")).to_have_count(0)  # the next step is the upper reviewer's
    log_out(page)

    log_in(page, base, "upper1")
    open_case_from_queue(page, "王五")
    act(page, "agree", opinion="同意")
    expect(state_of(page)).to_have_text("支部党员大会决议")
    log_out(page)

    # The branch general meeting votes.
    log_in(page, base, "officer1")
    page.goto(case_url)
    act(page, "resolve", meeting_date=TODAY.isoformat(), meeting_entitled="20", meeting_present="18",
        meeting_for="15", meeting_against="2", meeting_abstain="1")
    expect(state_of(page)).to_have_text("基层党委审核（审批）意见")
    expect(page.get_by_test_id("timeline")).to_contain_text("赞成 15")
    log_out(page)

    log_in(page, base, "reviewer1")
    page.goto(case_url)
    act(page, "approve", opinion="同意除名")
    expect(state_of(page)).to_have_text("上级党委组织部门审批意见")
    log_out(page)

    log_in(page, base, "upper1")
    page.goto(case_url)
    act(page, "approve", opinion="批准")
    expect(state_of(page)).to_have_text("已办结")
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已办结")
    screenshot(page, "06-closed")

    # The supervisors' views of the same records.
    page.goto(f"{base}/alerts")
    expect(page.get_by_test_id("by-org")).to_contain_text("区直机关党委")
    expect(page.locator("svg.chart")).to_be_visible()
    screenshot(page, "07-overdue-dashboard")
    page.goto(f"{base}/tally")
    expect(page.get_by_test_id("tally-table").locator("td[data-col=Q]")).to_have_text("1")
    screenshot(page, "08-tally")
