"""证件管理's entry forms in the browser, at office and phone widths: a cadre supervisor opens a self-report
campaign, records a person's zero report and confirms it; the liaison uploads the administration's holdings and
records a Q1 on the problems page. No page scrolls sideways."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.travel.police_files import HOLDINGS_EN, holding
from tests.web.browser.conftest import assert_fits, log_in_as, world_of_travel
from tests.web.travel.conftest import business_day as travel_day

pytestmark = pytest.mark.browser


def build_wang(travel) -> str:
    return travel.person("王五", registered_on=date(2024, 2, 1))


@pytest.fixture
def travel(travel_in):
    travel = travel_in(build_wang)
    travel.wang = travel.built
    return travel


world, business_day = world_of_travel, travel_day  # the fixtures of a module whose `travel` opens its world


def test_a_cadre_supervisor_opens_a_campaign_and_records_and_confirms_a_zero_report(page: Page, screen,
                                                                                    live_server, screenshot):
    base = live_server.url
    log_in_as(page, base, "cadre1")
    page.goto(f"{base}/travel/self-reports")
    opening = page.get_by_test_id("open-campaign")
    opening.locator("summary").click()
    opening.get_by_label("活动名称").fill("2024年自查自报")
    opening.get_by_label("报告该日以来的因私出国（境）情况").fill("2016-01-01")
    opening.get_by_label("报告现有效及该日以后失效的证件").fill("2018-01-01")
    opening.get_by_label("截止日期（本人报告须经审核确认）").fill("2024-07-31")
    assert_fits(page)
    opening.get_by_role("button", name="发起").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已发起自查自报活动")
    assert_fits(page)

    page.get_by_test_id("report-list").get_by_role("link", name="王五").click()
    expect(page.get_by_test_id("report-state")).to_have_text("待报")
    form = page.get_by_test_id("submit-form")
    assert_fits(page)
    form.get_by_label("零报告（没有证件，也没有出国（境））").check()
    form.get_by_label(re.compile("本人已签名承诺")).check()
    form.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("已报送（待审核）")
    expect(page.get_by_test_id("zero-report")).to_have_text("是")
    assert_fits(page)
    confirm = page.get_by_test_id("report-confirm")
    confirm.locator(":scope > summary").click()
    confirm.get_by_role("button", name="审核确认").click()
    expect(page.get_by_test_id("report-state")).to_have_text("已审核确认")
    expect(page.get_by_test_id("report-history")).to_contain_text("赵干部")
    assert_fits(page)
    screenshot(page, f"62-travel-self-report-{screen}")


def test_the_liaison_uploads_holdings_and_records_a_q1(page: Page, screen, live_server, travel, tmp_path):
    base = live_server.url
    log_in_as(page, base, "liaison1")
    page.goto(f"{base}/travel/police")
    assert_fits(page)
    path = tmp_path / "持证记录.csv"
    path.write_text(f"{HOLDINGS_EN}\n{holding(travel.wang, '王五', 'E1234567')}\n", encoding="utf-8")
    page.get_by_label("公安持证记录").check()
    page.get_by_label("文件", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-checked")).to_be_visible()
    assert_fits(page)
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()
    expect(page.get_by_test_id("checks-note")).to_contain_text("每日例行扫描")
    assert_fits(page)

    page.goto(f"{base}/travel/problems")
    entry = page.get_by_test_id("record-problem")
    entry.locator(":scope > summary").click()
    entry.get_by_label("身份证号").fill(travel.wang)
    entry.get_by_label("弄虚作假、伪造变造或买卖使用伪造证件").check()
    entry.get_by_label("问题情况（核查发现的事实和依据）").fill("持伪造护照出境，已查获")
    assert_fits(page)
    entry.get_by_role("button", name="录入问题").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("已发现")
    expect(page.get_by_test_id("problem-record")).to_contain_text("持伪造护照出境")
    assert_fits(page)
