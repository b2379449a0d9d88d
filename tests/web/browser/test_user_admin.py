"""An admin administers users in Chromium, on a desk and on a phone: creates a user, grants a role,
disables the account (whose browser is logged out at once), reads the audit log; any user sees and ends
their own sessions. No page scrolls sideways; screenshots 50-users, 51-audit, 52-sessions (plus -phone)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import assert_fits, log_in_as, open_menu

pytestmark = pytest.mark.browser


def _shot(screenshot, page: Page, name: str, screen: str) -> None:
    screenshot(page, name if screen == "desktop" else f"{name}-phone")


def test_an_admin_creates_a_user_grants_a_role_and_disables_them(live_server, page: Page, screen, screenshot,
                                                                 browser):
    base = live_server.url
    newcomer = browser.new_context(locale="zh-CN").new_page()  # the new user's own browser, logged in later
    log_in_as(page, base, "admin1")
    page.goto(f"{base}/admin/users")
    expect(page.get_by_test_id("users")).to_contain_text("officer1")
    assert_fits(page)

    form = page.get_by_test_id("new-user")
    form.get_by_label("用户名", exact=True).fill("liuyang")
    form.get_by_label("姓名").fill("刘洋")
    form.get_by_label("角色").select_option(label="党支部书记/组织委员")
    form.get_by_label("授权组织（代码或全称）").fill("第一党支部")
    form.get_by_label("现在设置").check()
    form.get_by_label("密码", exact=True).fill("liuyang-secret-1")
    form.get_by_label("再次输入").fill("liuyang-secret-1")
    form.get_by_role("button", name="新增").click()
    expect(page.get_by_test_id("flash-ok")).to_contain_text("已新增用户 刘洋（liuyang）")
    expect(page.get_by_test_id("grants")).to_contain_text("党支部书记/组织委员（第一党支部）")
    assert_fits(page)

    log_in_as(newcomer, base, "liuyang", "liuyang-secret-1")
    expect(newcomer.get_by_test_id("current-user")).to_have_text("刘洋")

    grant = page.get_by_test_id("grant-form")
    grant.get_by_label("角色").select_option(label="督查/统计人员")
    grant.get_by_label("授权组织（代码或全称）").fill("C1")
    grant.get_by_role("button", name="授予").click()
    expect(page.get_by_test_id("grants")).to_contain_text("督查/统计人员（区直机关党委）")

    page.get_by_role("button", name="停用账户").click()
    expect(page.get_by_test_id("user-state")).to_have_text("已停用")
    assert_fits(page)
    newcomer.reload()
    expect(newcomer).to_have_url(re.compile(r"/login\?next="))  # the disabled user's browser is logged out

    page.goto(f"{base}/admin/users?q=刘洋")
    expect(page.get_by_test_id("users")).to_contain_text("已停用")
    _shot(screenshot, page, "50-users", screen)

    open_menu(page)
    page.get_by_role("link", name="审计日志").click()
    page.get_by_label("操作人（姓名或用户名）").fill("admin1")
    page.get_by_role("button", name="筛选").click()
    audit = page.get_by_test_id("audit")
    for label in ("停用账户", "授予角色", "新增用户"):
        expect(audit).to_contain_text(label)
    expect(audit.locator("tbody tr").first).to_contain_text("刘洋（liuyang）")
    expect(audit.locator("tbody tr").first).to_contain_text("127.0.0.1")
    assert_fits(page)
    _shot(screenshot, page, "51-audit", screen)
    newcomer.context.close()


def test_a_user_sees_their_sessions_and_ends_the_one_on_another_device(live_server, page: Page, screen, screenshot,
                                                                       browser):
    base = live_server.url
    other_device = browser.new_context(locale="zh-CN", user_agent="Mozilla/5.0 (Linux; Android 13) "
                                       "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
                                       ).new_page()
    log_in_as(other_device, base, "officer1")
    log_in_as(page, base, "officer1")
    open_menu(page)
    page.get_by_role("link", name="我的会话").click()
    cards = page.get_by_test_id("my-sessions").locator("li")
    expect(cards).to_have_count(2)
    expect(page.get_by_test_id("current-session")).to_have_text("当前会话")
    expect(page.get_by_test_id("my-sessions")).to_contain_text("Chrome · Android")
    assert_fits(page)
    _shot(screenshot, page, "52-sessions", screen)

    cards.filter(has_text="Android").get_by_role("button", name="结束此会话").click()
    expect(page.get_by_test_id("flash-ok")).to_have_text(re.compile("已结束该会话"))
    expect(cards).to_have_count(1)
    other_device.reload()
    expect(other_device).to_have_url(re.compile(r"/login"))
    other_device.context.close()
