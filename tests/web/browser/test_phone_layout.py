"""Work from a phone: every existing page, as the user who reads it, fits a 390 px screen as well as an
office desktop — the top bar folds into a menu, panels stack, wide tables scroll inside their own box,
forms fit — and nothing scrolls sideways."""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from lostcontact.services.cases import fire, log_search, open_case
from lostcontact.web import create_app
from models.db import open_database
from tests.builders import World
from tests.web.browser.conftest import assert_fits, log_in_as, open_menu, serving
from tests.web.conftest import TODAY, Clock
from workflows.orchestration import run_in_process

pytestmark = pytest.mark.browser

EARLY = date(2016, 3, 1)


@pytest.fixture(scope="module")
def county(world_file, tmp_path_factory):
    """Cases in every kind of step: long overdue ones from March, one at the branch meeting (whose form has
    the six vote fields), one being searched; and the sweep's alerts as of today. Every test here only reads
    (logs in and opens pages), so the module's tests, at both widths, share one world and one server."""
    path = tmp_path_factory.mktemp("phone-layout") / "web.db"
    shutil.copyfile(world_file, path)
    db = open_database(f"sqlite:///{path}")
    world = World(db)
    for serial, (name, branch) in enumerate([("赵一", "B1"), ("钱二", "B2"), ("孙三", "B3"), ("李四", "B1")], 101):
        world.add_member(name, branch=branch, last_contact=date(2015, 8, 20), serial=serial)
    run_in_process(db, EARLY)
    meeting = open_case(db, world.add_member("欧阳长名字", branch="B1", last_contact=date(2015, 8, 1), serial=120),
                        actor_login="officer1", today=TODAY, at=date(2016, 5, 3))
    for trigger, actor, options in (("start_search", "officer1", {}), ("reach", "officer1", {"cause": 3}),
                                    ("propose", "officer1", {"opinion": "已取得联系，本人愿意参加组织生活"}),
                                    ("submit", "officer1", {"disposition": "normal_management"}),
                                    ("agree", "reviewer1", {})):
        if trigger == "reach":
            log_search(db, meeting, channel="relatives", outcome="reached", actor_login="officer1", today=TODAY,
                       at=date(2016, 5, 10), note="经其姐姐联系上本人，现在外省务工，表示愿意参加组织生活", witness="张丽")
        fire(db, meeting, trigger, actor_login=actor, today=TODAY, at=date(2016, 5, 10), **options)
    run_in_process(db, TODAY)
    app = create_app(db, today=lambda: TODAY, now=Clock(), secret_key="test-secret")
    with serving(app, world) as server:
        yield server, meeting
    db.dispose()


def open_every_form(page: Page) -> None:
    """Every action's form unfolded: the widest state a page can be in."""
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")


def visit(page: Page, url: str) -> None:
    page.goto(url)
    open_every_form(page)
    assert_fits(page)


def test_the_login_page_fits(county, page, screen):
    server, _meeting = county
    visit(page, f"{server.url}/login")
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def test_a_branch_officer_works_the_queue_and_a_case_from_a_phone(county, page, screen, screenshot):
    server, meeting = county
    log_in_as(page, server.url, "officer1")
    visit(page, f"{server.url}/queue")
    expect(page.get_by_test_id("queue")).to_be_visible()
    if screen == "phone":
        screenshot(page, "70-queue-phone")
        # the top bar is folded into a menu that opens without any script
        nav = page.get_by_role("navigation", name="主菜单")
        expect(nav).to_be_hidden()
        open_menu(page)
        expect(nav.get_by_role("link", name="超期预警")).to_be_visible()
        assert_fits(page)
    visit(page, f"{server.url}/cases/{meeting}")
    expect(page.get_by_test_id("action-resolve").locator("fieldset.meeting")).to_be_visible()
    if screen == "phone":
        screenshot(page, "71-case-phone")
    visit(page, f"{server.url}/cases/{meeting}/record")
    expect(page.get_by_test_id("print")).to_be_visible()
    visit(page, f"{server.url}/cases/999999")  # the error page
    expect(page.get_by_test_id("error")).to_contain_text("未知案件编号")


def test_an_upper_reviewer_reads_alerts_and_the_tally_from_a_phone(county, page, screen, screenshot):
    server, _meeting = county
    log_in_as(page, server.url, "upper1")
    visit(page, f"{server.url}/alerts")
    expect(page.get_by_test_id("overdue-cases")).to_be_visible()
    if screen == "phone":
        screenshot(page, "72-alerts-phone")
    visit(page, f"{server.url}/tally")
    expect(page.get_by_test_id("tally-table")).to_be_visible()
    if screen == "phone":
        screenshot(page, "73-tally-phone")
    for printed in ("/tally/download/html?org=410402", "/registers/search-record?org=410402",
                    "/registers/roster?org=410402"):
        visit(page, server.url + printed)


def test_a_committee_reviewer_and_an_admin_fit_too(county, page, screen):
    server, meeting = county
    log_in_as(page, server.url, "reviewer1")
    visit(page, f"{server.url}/queue")
    visit(page, f"{server.url}/cases/{meeting}")
    page.goto(f"{server.url}/login")
    page.context.clear_cookies()
    log_in_as(page, server.url, "admin1")
    visit(page, f"{server.url}/admin/users")
    expect(page.get_by_test_id("users")).to_be_visible()
