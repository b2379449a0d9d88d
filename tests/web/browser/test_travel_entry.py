"""证件管理's data entry in the browser, at office and phone widths: a cadre supervisor records a person (and
empties a field typed by mistake), files them, records their passport and receives it into custody, applies
for a private trip, submits it and edits it while it awaits approval; once the
discipline organ was consulted and the city approved, checks the passport out against the approved trip,
records the departure and the return, and reads how the actual trip compares with the approval. No page
scrolls sideways; every form is typed into, none is posted by hand."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from lostcontact.services.travel import trips
from tests.builders import make_id_number
from tests.web.browser.conftest import assert_fits, log_in_as, world_of_travel
from tests.web.travel.conftest import TODAY, business_day as travel_day

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NUMBER = make_id_number(777)


@pytest.fixture
def travel(travel_in):
    return travel_in(None)


world, business_day = world_of_travel, travel_day  # the fixtures of a module whose `travel` opens its world


def fill(form, values: dict) -> None:
    for name, value in values.items():
        field = form.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def take_step(page: Page, testid: str, button: str, values: dict) -> None:
    """Open a step's panel on a document's or trip's page, type into it, check the fit, and send it."""
    step = page.get_by_test_id(testid)
    step.locator(":scope > summary").click()
    fill(step, values)
    assert_fits(page)
    step.get_by_role("button", name=button).click()


def test_a_cadre_supervisor_goes_from_a_new_person_to_a_returned_trip(page: Page, screen, live_server, travel,
                                                                      screenshot):
    base = live_server.url
    log_in_as(page, base, "cadre1")
    page.goto(f"{base}/travel/persons")
    page.get_by_test_id("add-person").click()
    expect(page.get_by_test_id("page-title")).to_have_text("登记人员")
    form = page.get_by_test_id("person-form")
    fill(form, {"id_number": NUMBER[:-1], "name": "郑六", "org": "B1", "rank": "county",
                "person_type": "county_level_serving", "work_unit": "新华区发展和改革委员会", "post": "副主任",
                "at": "2024-06-18"})
    assert_fits(page)
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("error")).to_contain_text("身份证号应为18位")  # one digit short: refused, kept
    expect(page.locator('[name="work_unit"]')).to_have_value("新华区发展和改革委员会")
    assert_fits(page)
    screenshot(page, f"62-travel-entry-person-refused-{screen}")
    page.locator('[name="id_number"]').fill(NUMBER)
    page.get_by_test_id("person-form").get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已登记人员")
    expect(page.get_by_test_id("registration-status")).to_have_text("未备案")
    assert_fits(page)
    page.get_by_test_id("person-entry-links").get_by_role("link", name="修改人员信息").click()
    page.get_by_test_id("person-form").locator('[name="post"]').fill("")  # typed by mistake: emptied
    page.get_by_test_id("person-form").locator('[name="at"]').fill("2024-06-18")
    assert_fits(page)
    page.get_by_test_id("person-form").get_by_role("button", name="保存修改").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已修改人员信息")

    form = page.get_by_test_id("registration-form")
    form.get_by_label("备案", exact=True).check()
    form.locator('[name="at"]').fill("2024-06-19")
    form.get_by_role("button", name="办理").click()
    expect(page.get_by_test_id("registration-status")).to_have_text("已备案")

    page.get_by_test_id("person-entry-links").get_by_role("link", name="登记证件").click()
    form = page.get_by_test_id("document-form")
    fill(form, {"kind": "passport_private", "number": "E55667788", "issued_on": "2021-05-06",
                "expires_on": "2031-05-05", "issuing_authority": "平顶山市公安局", "at": "2024-06-19"})
    assert_fits(page)
    form.get_by_role("button", name="登记证件").click()
    expect(page.get_by_test_id("custody-state")).to_have_text("本人持有（未交）")
    take_step(page, "custody-receive", "收交保管", {"kept_at": "组织部保密柜", "at": "2024-06-19"})
    expect(page.get_by_test_id("custody-state")).to_have_text("集中保管")
    page.get_by_test_id("document-record").get_by_role("link", name="郑六").click()
    expect(page.get_by_test_id("person-documents")).to_contain_text("因私护照")

    page.get_by_test_id("person-entry-links").get_by_role("link", name="登记因私出国（境）申请").click()
    form = page.get_by_test_id("trip-form")
    fill(form, {"destinations": "泰国", "reason": "探亲", "planned_departure": "2024-06-24",
                "planned_return": "2024-06-27", "at": "2024-06-20"})
    assert_fits(page)
    form.get_by_role("button", name="登记申请").click()
    expect(page.get_by_test_id("trip-state")).to_have_text("草稿")
    take_step(page, "trip-submit", "报送", {"at": "2024-06-20"})
    expect(page.get_by_test_id("trip-state")).to_have_text("已报送")
    page.get_by_test_id("trip-edit-link").click()  # awaiting approval: the application is still editable
    form = page.get_by_test_id("trip-form")
    expect(form.locator('[name="destinations"]')).to_have_value("泰国")
    form.locator('[name="reason"]').fill("探亲访友")
    form.locator('[name="at"]').fill("2024-06-20")
    assert_fits(page)
    screenshot(page, f"62-travel-entry-trip-edit-{screen}")
    form.get_by_role("button", name="保存修改").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已修改出行申请")
    expect(page.get_by_test_id("trip-history")).to_contain_text("事由：探亲 → 探亲访友")
    assert_fits(page)
    trip_id = int(re.search(r"/travel/trips/(\d+)$", page.url).group(1))
    page.goto(f"{base}/travel/trips")
    expect(page.get_by_test_id("page-title")).to_be_visible()
    assert f"/travel/trips/{trip_id}" not in page.content()  # 县处级: not the unit's to decide
    for trigger, actor, note in (("consult", "discipline1", "无不同意见"), ("approve", "cadre_city", "同意")):
        trips.fire_trip(travel.db, trip_id, trigger, actor_login=actor, today=TODAY, at=date(2024, 6, 21), note=note)

    page.goto(f"{base}/travel/trips/{trip_id}")
    page.get_by_test_id("trip-record").get_by_role("link", name="因私护照（普通护照）").click()
    take_step(page, "custody-check_out", "领用", {"at": "2024-06-22"})
    expect(page.get_by_test_id("custody-state")).to_have_text("已领用")
    page.goto(f"{base}/travel/trips/{trip_id}")
    take_step(page, "trip-depart", "出境", {"exit_on": "2024-06-24", "at": "2024-06-24"})
    take_step(page, "trip-return", "回国（境）", {"entry_on": "2024-06-28", "places": "泰国、老挝"})
    expect(page.get_by_test_id("flash-ok")).to_contain_text("与批准不符")
    comparison = page.get_by_test_id("trip-comparison")
    expect(comparison).to_contain_text("2024-06-27")
    expect(comparison).to_contain_text("泰国、老挝")
    expect(page.get_by_test_id("deviations")).to_contain_text("晚于批准日期回国（境）")
    assert_fits(page)
    screenshot(page, f"63-travel-entry-returned-{screen}")
    page.goto(f"{base}/travel/documents")
    expect(page.get_by_test_id("documents")).to_contain_text("E*****788")
    assert "E55667788" not in page.content() and NUMBER not in page.content()
