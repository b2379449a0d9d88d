"""纪检登记 in the browser, at office and phone widths: a discipline officer follows the 纪检登记 link to the
candidates, records the failed re-contact of one and makes the entry, then closes it as reached again; the
entry form shows the chosen category's own fields; the flight-risk list and the forms page. No page scrolls
sideways."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import assert_fits, log_in_as, open_menu
from tests.web.discipline import conftest as register_world

# the fixtures of the register's world (built once a session, copied per test) and of its app's business day
business_day, world, register, register_snapshot = (register_world.business_day, register_world.world,
                                                    register_world.register, register_world.register_snapshot)

pytestmark = pytest.mark.browser


def test_an_officer_records_a_re_contact_makes_an_entry_and_closes_it(page: Page, screen, live_server,
                                                                      screenshot):
    base = live_server.url
    log_in_as(page, base, "discipline1")
    open_menu(page)
    page.get_by_test_id("nav-discipline").click()
    expect(page).to_have_url(re.compile(r"/discipline$"))
    candidate = page.get_by_test_id("candidates").locator("li", has_text="张三")
    expect(candidate).to_contain_text("2024-01-02")
    assert_fits(page)

    candidate.locator("summary").click()
    form = candidate.locator("form")
    expect(form.get_by_label("立案单位（必填）")).to_be_hidden()       # 失联 is chosen: 外逃's fields fold away
    form.get_by_label("外逃", exact=True).check()
    expect(form.get_by_label("立案单位（必填）")).to_be_visible()
    form.get_by_label("失联", exact=True).check()
    form.get_by_role("button", name="记录再次联系并登记").click()        # no note: the browser asks for it
    expect(page).to_have_url(re.compile(r"/discipline$"))
    form.get_by_label("再次联系情况（必填：联系方式、经过和结果）").fill("电话停机，走访住所无人")
    assert_fits(page)
    screenshot(page, f"70-discipline-candidates-{screen}")
    form.get_by_role("button", name="记录再次联系并登记").click()

    expect(page).to_have_url(re.compile(r"/discipline/entries/\d+$"))
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已登记为失联")
    expect(page.get_by_test_id("entry-state")).to_have_text("在册")
    expect(page.get_by_test_id("entry-history")).to_contain_text("孙纪检")
    assert_fits(page)

    page.get_by_test_id("entry-find").locator("summary").click()
    page.get_by_test_id("entry-find").get_by_label("说明").fill("本人来电，已取得联系")
    page.get_by_test_id("entry-find").get_by_role("button", name="已取得联系").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("登记状态：已取得联系")
    expect(page.get_by_test_id("entry-history")).to_contain_text("本人来电，已取得联系")
    assert_fits(page)
    screenshot(page, f"71-discipline-entry-{screen}")

    page.get_by_test_id("discipline-tabs").get_by_role("link", name="登记").click()
    expect(page.get_by_test_id("entries")).to_contain_text("已取得联系")
    assert_fits(page)


def test_the_risk_list_and_the_forms_fit_a_phone(page: Page, screen, live_server, register):
    register.travel.document(register.zhang)
    register.entry(register.zhang)
    base = live_server.url
    log_in_as(page, base, "discipline1")
    page.goto(f"{base}/discipline/risk")
    expect(page.get_by_test_id("risks")).to_contain_text("持有有效因私出国（境）证件未交组织保管")
    assert_fits(page)
    page.goto(f"{base}/discipline/forms")
    page.get_by_test_id("form-lost-html").click()
    expect(page.locator("body")).to_contain_text("张三")
    assert_fits(page)
