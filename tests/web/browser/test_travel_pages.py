"""证件管理 in the browser, at office and phone widths, as the roles that use each page: a cadre supervisor
follows the 证件管理 link to the registry, opens a person and files them; the liaison reads 应备尽备. No page
scrolls sideways."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import assert_fits, log_in_as, open_menu, world_of_travel
from tests.travel.conftest import TravelWorld
from tests.web.travel.conftest import TODAY, business_day as travel_day

pytestmark = pytest.mark.browser


def build_registry(travel):
    wang = travel.person("王五", registered_on=date(2024, 2, 1), work_unit="新华区某某局机关事务服务中心",
                         post="副主任（主持工作）", authority="中共平顶山市新华区委组织部")
    travel.person("李四", rank="township", person_type="township_leader")
    travel.person("张三", org="B3", actor="cadre2")
    document = travel.document(wang)
    travel.trip(wang, document, departure=date(2024, 7, 10), ret=date(2024, 7, 20), on=date(2024, 6, 20),
                destinations=("泰国", "马来西亚", "新加坡"))


@pytest.fixture
def travel(travel_in):
    return travel_in(build_registry)


world, business_day = world_of_travel, travel_day  # the fixtures of a module whose `travel` opens its world


def test_a_cadre_supervisor_files_a_person_from_the_registry(page: Page, screen, live_server, screenshot):
    base = live_server.url
    log_in_as(page, base, "cadre1")
    open_menu(page)
    page.get_by_test_id("nav-travel").click()
    expect(page).to_have_url(re.compile(r"/travel/persons$"))
    expect(page.get_by_test_id("persons")).to_contain_text("李四")
    assert_fits(page)

    page.get_by_test_id("persons").get_by_role("link", name="李四").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("未备案")
    assert_fits(page)
    form = page.get_by_test_id("registration-form")
    form.get_by_label("备案", exact=True).check()
    form.get_by_role("button", name="办理").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("备案状态：已备案")
    expect(page.get_by_test_id("person-history")).to_contain_text("赵干部")
    assert_fits(page)

    page.goto(f"{base}/travel/persons")
    page.get_by_test_id("persons").get_by_role("link", name="王五").click()
    expect(page.get_by_test_id("person-trips")).to_contain_text("泰国、马来西亚、新加坡")
    expect(page.get_by_test_id("person-documents")).to_contain_text("因私护照")
    assert_fits(page)
    screenshot(page, f"60-travel-person-{screen}")


def test_the_liaison_reads_the_gaps(page: Page, screen, live_server):
    base = live_server.url
    log_in_as(page, base, "liaison1")
    page.goto(f"{base}/travel")
    expect(page).to_have_url(re.compile(r"/travel/gaps$"))
    expect(page.get_by_test_id("persons")).to_contain_text("张三")
    assert_fits(page)


def test_the_custody_desk_receives_a_passport_from_the_gaps(page: Page, screen, live_server):
    base = live_server.url
    log_in_as(page, base, "cadre1")
    page.goto(f"{base}/travel/custody")
    expect(page.get_by_test_id("custody-gaps")).to_contain_text("王五")
    assert_fits(page)
    page.get_by_test_id("custody-gaps").get_by_role("link", name="因私护照（普通护照）").click()
    expect(page.get_by_test_id("custody-state")).to_have_text("本人持有（未交）")
    assert_fits(page)
    receive = page.get_by_test_id("custody-receive")
    receive.locator(":scope > summary").click()
    receive.get_by_label("保管地点").fill("组织部保密柜")
    assert_fits(page)
    receive.get_by_role("button", name="收交保管").click()
    expect(page.get_by_test_id("custody-state")).to_have_text("集中保管")
    expect(page.get_by_test_id("custody-history")).to_contain_text("赵干部")
    assert_fits(page)
    page.goto(f"{base}/travel/documents")
    expect(page.get_by_test_id("documents")).to_contain_text("集中保管")
    assert_fits(page)


@pytest.fixture
def submitted_trip(live_server):
    travel = TravelWorld(live_server.world, live_server.world.db, serial=900)  # the users are already there
    zhao = travel.person("赵六", registered_on=date(2024, 2, 1))
    passport = travel.document(zhao)
    travel.trip(zhao, passport, departure=date(2024, 8, 1), ret=date(2024, 8, 10), on=date(2024, 6, 20),
                until="submitted", destinations=("日本",))
    return live_server


def test_the_discipline_officer_consults_from_the_queue(page: Page, screen, submitted_trip, screenshot):
    base = submitted_trip.url
    log_in_as(page, base, "discipline1")
    open_menu(page)
    page.get_by_test_id("nav-travel").click()
    expect(page).to_have_url(re.compile(r"/travel/trips$"))
    row = page.get_by_test_id("trips").locator("tr", has_text="赵六")
    expect(row).to_contain_text("征求纪检监察机关意见")
    assert_fits(page)
    row.get_by_role("link").click()
    consult = page.get_by_test_id("trip-consult")
    consult.locator(":scope > summary").click()
    consult.get_by_label("纪检监察机关意见（必填）").fill("无不同意见")
    assert_fits(page)
    consult.get_by_role("button", name="征求纪检监察机关意见").click()
    expect(page.get_by_test_id("trip-state")).to_have_text("已征求纪检意见")
    expect(page.get_by_test_id("consultation")).to_contain_text("无不同意见")
    assert_fits(page)
    screenshot(page, f"61-travel-trip-{screen}")
    page.goto(f"{base}/travel/trips/all")
    expect(page.get_by_test_id("trips")).to_contain_text("赵六")
    assert_fits(page)


@pytest.fixture
def review_world(live_server):
    from lostcontact.services.travel import problems, self_reports

    travel = TravelWorld(live_server.world, live_server.world.db, serial=950)
    campaign = self_reports.open_campaign(travel.db, "2024年度领导干部因私出国（境）证件自查自报", org_code="C1",
                                          trips_since=date(2016, 1, 1), documents_expired_since=date(2018, 1, 1),
                                          due_on=date(2024, 5, 31), actor_login="cadre1", today=TODAY,
                                          at=date(2024, 5, 6))
    sun = travel.person("孙八", registered_on=date(2024, 2, 1))
    problems.record_problem(travel.db, sun, "Q3", evidence="某单位未按干部管理权限擅自出具出国（境）证明，已查实",
                            actor_login="liaison1", today=TODAY, at=date(2024, 6, 1))
    return live_server, campaign


def test_the_review_pages_fit_as_the_cadre_supervisor_reads_and_verifies(page: Page, screen, review_world):
    server, campaign = review_world
    base = server.url
    log_in_as(page, base, "cadre1")
    page.goto(f"{base}/travel/self-reports")
    page.get_by_test_id("campaigns").get_by_role("link").first.click()
    expect(page.get_by_test_id("status-by-unit")).to_contain_text("合计")
    expect(page.get_by_test_id("report-list")).to_contain_text("待报")
    assert_fits(page)
    page.goto(f"{base}/travel/problems")
    page.get_by_test_id("problems").locator("tr", has_text="孙八").get_by_role("link").click()
    verify = page.get_by_test_id("problem-verify")
    verify.locator(":scope > summary").click()
    assert_fits(page)
    verify.get_by_role("button", name="开始核查").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("核查中")
    assert_fits(page)
    page.goto(f"{base}/travel/forms")
    expect(page.get_by_test_id("form-management-html")).to_be_visible()
    assert_fits(page)
    page.get_by_test_id("form-management-html").click()
    expect(page.get_by_test_id("print")).to_be_visible()
    assert_fits(page)
