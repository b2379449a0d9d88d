"""用户管理 and 审计日志 in the browser (HTTP level): an admin creates users, grants and revokes roles,
disables and enables accounts and searches them page by page, only inside their subtree (an account or org
outside is answered exactly as an unknown one); every change is in the audit log with the client's address,
which an admin reads for their own subtree only, in Chinese."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lostcontact.services import auth, users
from lostcontact.uow import UnitOfWork
from models import AuditEntry, User
from tests.web.conftest import PASSWORD, Browser


def _id(world, login: str) -> int:
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(User.id).where(User.login == login))


def _entries(world) -> list[tuple[str, str, str, str | None]]:
    with UnitOfWork(world.db, write=False) as uow:
        return [tuple(row) for row in uow.session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.target, AuditEntry.remote_addr)
            .order_by(AuditEntry.id)).all()]


def _main(response) -> str:
    main = re.search(r"<main>(.*)</main>", response.text, re.S).group(1)
    return re.sub(r"(未知用户编号|unknown user id) \d+", r"\1 N", main)


@pytest.fixture
def c2admin(world, browser_as):
    users.add_user(world.db, "c2admin", role="admin", org_code="C2", name="街道管理员")
    auth.set_password(world.db, "c2admin", PASSWORD)
    return browser_as("c2admin")


def _create(admin: Browser, **fields):
    data = {"login": "", "name": "", "role": "branch_officer", "org": "B1", "password_mode": "later", **fields}
    return admin.post_form("/admin/users", data, token_from="/admin/users")


def test_an_admin_creates_a_user_who_logs_in_with_the_initial_password(app, world, browser_as):
    admin = browser_as("admin1")
    created = _create(admin, login="liming", name="李明", org="第一党支部", password_mode="set",
                      password="first-secret-1", password_again="first-secret-1")
    assert created.status_code == 303 and created.headers["location"] == f"/admin/users/{_id(world, 'liming')}"
    page = admin.client.get(created.headers["location"]).text
    assert "李明" in page and "党支部书记/组织委员（第一党支部）" in page
    assert Browser(app).login("liming", "first-secret-1").status_code == 303
    assert ("admin1", "user.create", "liming", "testclient") in _entries(world)


def test_a_user_created_without_a_password_must_have_one_set_before_logging_in(app, world, browser_as):
    admin = browser_as("admin1")
    _create(admin, login="wangfang", name="王芳")
    assert "未设密码" in admin.client.get(f"/admin/users/{_id(world, 'wangfang')}").text
    assert Browser(app).login("wangfang", "anything-at-all").status_code == 401


def test_a_refused_creation_keeps_what_was_typed_and_says_why(world, browser_as):
    admin = browser_as("admin1")
    refused = _create(admin, login="zhaolei", name="赵磊", org="C1")  # a branch officer at a committee
    assert refused.status_code == 403
    assert "党支部书记/组织委员" in refused.text and "区直机关党委" in refused.text
    assert 'value="zhaolei"' in refused.text and 'value="赵磊"' in refused.text
    assert _id(world, "zhaolei") is None


def test_an_admin_grants_a_role_and_revokes_it_by_the_grants_on_the_page(world, browser_as):
    admin = browser_as("admin1")
    path = f"/admin/users/{_id(world, 'officer1')}"
    granted = admin.post_form(f"{path}/grants", {"role": "supervisor", "org": "C1"}, token_from=path)
    assert granted.status_code == 303
    page = admin.client.get(path).text
    assert "督查/统计人员（区直机关党委）" in page and "已授予“督查/统计人员”" in page
    grant_id = re.search(r'action="[^"]*/grants/(\d+)/revoke"[^>]*data-testid="revoke-supervisor-C1"', page)
    revoked = admin.post_form(f"{path}/grants/{grant_id.group(1)}/revoke", {}, token_from=path)
    assert revoked.status_code == 303
    assert "督查/统计人员（区直机关党委）" not in admin.client.get(path).text
    actions = [a for _actor, a, target, _addr in _entries(world) if target == "officer1"]
    assert actions[-2:] == ["grant.add", "grant.revoke"]


def test_an_admin_disables_and_enables_an_account(app, world, browser_as):
    officer, admin = browser_as("officer1"), browser_as("admin1")
    path = f"/admin/users/{_id(world, 'officer1')}"
    assert admin.post_form(f"{path}/disable", {}, token_from=path).status_code == 303
    assert "已停用" in admin.client.get(path).text
    assert officer.client.get("/queue").status_code == 303
    assert Browser(app).login("officer1").status_code == 401
    assert admin.post_form(f"{path}/enable", {}, token_from=path).status_code == 303
    assert Browser(app).login("officer1").status_code == 303


def test_an_admin_ends_a_users_sessions(world, browser_as):
    officer, admin = browser_as("officer1"), browser_as("admin1")
    path = f"/admin/users/{_id(world, 'officer1')}"
    assert "网页登录" in admin.client.get(path).text
    assert admin.post_form(f"{path}/sessions/end", {}, token_from=path).status_code == 303
    assert officer.client.get("/queue").status_code == 303
    assert ("admin1", "session.end", "officer1", "testclient") in _entries(world)


def test_search_finds_accounts_by_login_or_name_page_by_page(world, browser_as):
    for n in range(70):
        users.create_user(world.db, f"staff{n:03d}", role="branch_officer", org="B2", name=f"干部{n:03d}")
    admin = browser_as("admin1")
    first = admin.client.get("/admin/users", params={"q": "staff"}).text
    assert "共 70 个账户" in first and "第 1 / 3 页" in first and "staff029" in first and "staff030" not in first
    third = admin.client.get("/admin/users", params={"q": "staff", "page": 3}).text
    assert "staff069" in third and "staff059" not in third
    assert "staff012" in admin.client.get("/admin/users", params={"q": "干部012"}).text


def test_an_account_outside_the_subtree_is_answered_exactly_as_an_unknown_one(world, c2admin):
    assert "officer1" not in c2admin.client.get("/admin/users").text
    outsider, nobody = _id(world, "officer1"), 99999
    for action, data in (("", None), ("/disable", {}), ("/enable", {}), ("/grants", {"role": "supervisor", "org": "C2"}),
                         ("/sessions/end", {}), ("/password", {"password": "p-12345678", "password_again": "p-12345678"})):
        answers = []
        for user_id in (outsider, nobody):
            if data is None:
                answers.append(c2admin.client.get(f"/admin/users/{user_id}"))
            else:
                answers.append(c2admin.post_form(f"/admin/users/{user_id}{action}", data, token_from="/admin/users"))
        assert answers[0].status_code == answers[1].status_code == (404 if data is None else 400), action
        assert _main(answers[0]) == _main(answers[1]), action
    assert not [e for e in _entries(world) if e[0] == "c2admin" and e[2] == "officer1"]


def test_a_grant_at_an_org_outside_the_subtree_is_answered_as_an_unknown_org(world, c2admin):
    path = f"/admin/users/{_id(world, 'officer3')}"
    outside = c2admin.post_form(f"{path}/grants", {"role": "supervisor", "org": "C1"}, token_from=path)
    unknown = c2admin.post_form(f"{path}/grants", {"role": "supervisor", "org": "ZZ"}, token_from=path)
    assert outside.status_code == unknown.status_code == 400
    assert "未知组织 C1" in outside.text and "未知组织 ZZ" in unknown.text
    assert "区直机关党委" not in outside.text.split("<main>")[1].split("<datalist")[0]


def test_only_admins_reach_the_user_and_audit_pages(browser_as):
    officer = browser_as("officer1")
    for path in ("/admin/users", "/admin/audit", "/admin/users/1"):
        response = officer.client.get(path)
        assert response.status_code == 403 and "只有系统管理员" in response.text
    assert "用户管理" not in officer.client.get("/queue").text


def test_the_audit_page_lists_changes_in_chinese_with_names_and_addresses_scoped_to_the_admin(world, browser_as,
                                                                                          c2admin):
    admin = browser_as("admin1")
    admin.post_form(f"/admin/users/{_id(world, 'officer1')}/disable", {}, token_from="/admin/users")
    c2admin.post_form(f"/admin/users/{_id(world, 'officer3')}/disable", {}, token_from="/admin/users")
    everything = admin.client.get("/admin/audit", params={"action": "user.disable"}).text
    assert everything.index("officer3（未填姓名）") < everything.index("officer1（未填姓名）")  # newest first
    assert "街道管理员（c2admin）" in everything and "停用账户" in everything and "testclient" in everything
    mine = c2admin.client.get("/admin/audit").text
    assert "officer3（未填姓名）" in mine and "officer1" not in mine
    by_actor = admin.client.get("/admin/audit", params={"who": "街道管理员"}).text
    assert "officer3（未填姓名）" in by_actor and "officer1（未填姓名）" not in by_actor
    assert "user.disable" not in everything.split("<tbody>")[1]  # labels, not codes
