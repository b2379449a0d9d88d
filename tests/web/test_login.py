"""Logging in and out: signed HttpOnly SameSite cookies that expire, lockout after repeated failures, an
admin's reset, and no open redirect."""
from __future__ import annotations

from fastapi.testclient import TestClient

from lostcontact.services import auth
from tests.web.conftest import PASSWORD, Browser, csrf_of


def test_a_visitor_is_sent_to_the_login_form_and_back_to_the_page_asked_for(app):
    user = Browser(app)
    response = user.client.get("/alerts")
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/alerts"
    form = user.client.get(response.headers["location"])
    assert 'name="next" value="/alerts"' in form.text
    done = user.client.post("/login", data={"login": "supervisor1", "password": PASSWORD,
                                            "csrf_token": csrf_of(form.text), "next": "/alerts"})
    assert done.status_code == 303 and done.headers["location"] == "/alerts"
    assert user.client.get("/alerts").status_code == 200


def test_the_session_cookie_is_signed_httponly_samesite_and_expires(app):
    response = Browser(app).login("officer1")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("lc_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=28800" in cookie


def test_a_session_cookie_altered_in_one_character_is_not_a_login(app):
    signed_in = Browser(app)
    signed_in.login("officer1")
    value = signed_in.client.cookies["lc_session"]
    for cookie, status in ((value, 200), (("B" if value[0] != "B" else "C") + value[1:], 303)):
        visitor = Browser(app)
        visitor.client.cookies.set("lc_session", cookie)
        assert visitor.client.get("/queue").status_code == status


def test_a_session_ends_after_eight_hours(app, clock):
    user = Browser(app)
    user.login("officer1")
    clock.advance(hours=7, minutes=59)
    assert user.client.get("/queue").status_code == 200
    clock.advance(minutes=2)
    assert user.client.get("/queue").status_code == 303


def test_a_wrong_password_is_refused_without_saying_whether_the_login_exists(app):
    wrong = Browser(app).login("officer1", "not-the-password")
    unknown = Browser(app).login("nobody", "not-the-password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "用户名或密码错误" in response.text
        assert not any(c.startswith("lc_session=") for c in response.headers.get_list("set-cookie"))


def test_five_failures_lock_the_account_for_fifteen_minutes_even_against_the_right_password(app, clock):
    for _ in range(auth.MAX_FAILED_LOGINS):
        assert Browser(app).login("officer1", "guess-guess").status_code == 401
    locked = Browser(app).login("officer1")
    unknown = Browser(app).login("nobody")
    assert locked.status_code == unknown.status_code == 401
    # the same words as an unknown login: a lock tells nobody that the login exists
    assert "用户名或密码错误" in locked.text and "已暂时锁定" not in locked.text
    assert _error_of(locked.text) == _error_of(unknown.text)
    clock.advance(minutes=14)
    assert Browser(app).login("officer1").status_code == 401
    clock.advance(minutes=2)
    assert Browser(app).login("officer1").status_code == 303


def test_a_success_resets_the_count_of_failures(app):
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        Browser(app).login("officer1", "guess-guess")
    assert Browser(app).login("officer1").status_code == 303
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        Browser(app).login("officer1", "guess-guess")
    assert Browser(app).login("officer1").status_code == 303


def test_a_user_added_without_a_password_cannot_log_in_until_an_admin_sets_one(app, world, browser_as):
    from lostcontact.services.users import add_user
    add_user(world.db, "newcomer", role="branch_officer", org_code="B1")
    assert Browser(app).login("newcomer", "anything-at-all").status_code == 401
    admin = browser_as("admin1")
    page = admin.client.get("/admin/users").text
    assert "newcomer" in page and "未设密码" in page
    user_id = _user_id(world.db, "newcomer")
    response = admin.post_form(f"/admin/users/{user_id}/password",
                               {"password": "a-new-password", "password_again": "a-new-password"},
                               token_from="/admin/users")
    assert response.status_code == 303
    assert Browser(app).login("newcomer", "a-new-password").status_code == 303


def test_an_admin_reset_lifts_a_lockout_and_ends_the_users_other_sessions(app, world, browser_as):
    officer = browser_as("officer1")
    for _ in range(auth.MAX_FAILED_LOGINS):
        Browser(app).login("officer1", "guess-guess")
    admin = browser_as("admin1")
    assert "已锁定" in admin.client.get("/admin/users").text
    response = admin.post_form(f"/admin/users/{_user_id(world.db, 'officer1')}/password",
                               {"password": "brand-new-secret", "password_again": "brand-new-secret"},
                               token_from="/admin/users")
    assert response.status_code == 303
    assert officer.client.get("/queue").status_code == 303  # the old session is over
    assert Browser(app).login("officer1", "brand-new-secret").status_code == 303


def test_an_admin_cannot_reset_a_user_with_grants_outside_their_subtree_and_learns_nothing(world, browser_as):
    from lostcontact.services.users import add_user
    add_user(world.db, "b3admin", role="admin", org_code="B3")
    auth.set_password(world.db, "b3admin", PASSWORD)
    b3admin = browser_as("b3admin")
    assert "officer1" not in b3admin.client.get("/admin/users").text
    outside, unknown = (b3admin.post_form(f"/admin/users/{user_id}/password",
                                          {"password": "hijacked-secret", "password_again": "hijacked-secret"},
                                          token_from="/admin/users")
                        for user_id in (_user_id(world.db, "officer1"), 99999))
    assert outside.status_code == unknown.status_code == 400
    assert _error_text(outside) == _error_text(unknown)
    assert Browser(b3admin.client.app).login("officer1").status_code == 303  # the password did not change


def _error_text(response) -> str:
    import re
    main = re.search(r'<main>(.*)</main>', response.text, re.S).group(1)
    return re.sub(r"(未知用户编号|unknown user id) \d+", r"\1 N", main)  # the id asked about, as typed


def test_a_reset_password_must_be_typed_twice_the_same_and_long_enough(world, browser_as):
    admin = browser_as("admin1")
    user_id = _user_id(world.db, "officer1")
    differ = admin.post_form(f"/admin/users/{user_id}/password", {"password": "abcdefgh1", "password_again": "x"},
                             token_from="/admin/users")
    short = admin.post_form(f"/admin/users/{user_id}/password", {"password": "short", "password_again": "short"},
                            token_from="/admin/users")
    assert differ.status_code == 400 and "不一致" in differ.text
    assert short.status_code == 400 and "至少" in short.text


def test_logging_out_ends_the_session(browser_as):
    user = browser_as("officer1")
    response = user.post_form("/logout", {})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert user.client.get("/queue").status_code == 303


def test_the_login_form_never_redirects_to_another_site(app):
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        user = Browser(app)
        form = user.client.get("/login", params={"next": target})
        response = user.client.post("/login", data={"login": "officer1", "password": PASSWORD,
                                                    "csrf_token": csrf_of(form.text), "next": target})
        assert response.headers["location"] == "/"


def test_the_api_gives_a_token_that_later_calls_present(app):
    client = TestClient(app)
    refused = client.post("/api/session", json={"login": "officer1", "password": "wrong-wrong"})
    assert refused.status_code == 401 and refused.json()["error"]["zh"] == "用户名或密码错误"
    token = client.post("/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["grants"] == [{"role": "branch_officer", "org": "B1", "org_name": "第一党支部"}]
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}x"}).status_code == 401


def _user_id(db, login: str) -> int:
    from sqlalchemy import select

    from lostcontact.uow import UnitOfWork
    from models import User
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(User.id).where(User.login == login))


def _error_of(page: str) -> str:
    return page[page.index("用户名或密码错误"):].split("<", 1)[0]
