"""Sessions live on the server: logging out ends the session even for a copied cookie, an API token can be
revoked, a password reset or a disabled account ends every session, and a user sees and ends their own."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from lostcontact.services import auth, users
from tests.web.conftest import Browser


def _copy_of(user: Browser, app) -> Browser:
    thief = Browser(app)
    thief.client.cookies.set("lc_session", user.client.cookies["lc_session"])
    return thief


def test_logging_out_ends_the_session_for_a_copied_cookie_too(app, browser_as):
    officer = browser_as("officer1")
    copy = _copy_of(officer, app)
    assert copy.client.get("/queue").status_code == 200
    assert officer.post_form("/logout", {}).status_code == 303
    assert copy.client.get("/queue").status_code == 303  # sent to the login form
    assert copy.client.get("/api/me", headers={"X-CSRF-Token": "x"}).status_code == 401


def test_an_api_token_is_revoked_by_deleting_the_session(app, api_token):
    client = TestClient(app)
    headers = api_token("officer1")
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.delete("/api/session", headers=headers).status_code == 204
    gone = client.get("/api/me", headers=headers)
    assert gone.status_code == 401 and gone.json()["error"]["zh"] == "请先登录"


def test_revoking_one_token_leaves_the_others_and_the_browser_session(app, api_token, browser_as):
    client, officer = TestClient(app), browser_as("officer1")
    first, second = api_token("officer1"), api_token("officer1")
    client.delete("/api/session", headers=first)
    assert client.get("/api/me", headers=second).status_code == 200
    assert officer.client.get("/queue").status_code == 200


def test_a_password_reset_ends_every_browser_session_and_token_of_the_user(app, api_token, browser_as, world):
    officer, headers = browser_as("officer1"), api_token("officer1")
    auth.set_password(world.db, "officer1", "a-brand-new-one", actor_login="admin1")
    assert officer.client.get("/queue").status_code == 303
    assert TestClient(app).get("/api/me", headers=headers).status_code == 401


def test_disabling_a_user_ends_their_sessions_and_the_login_form_says_so(app, api_token, browser_as, world):
    officer, headers = browser_as("officer1"), api_token("officer1")
    users.set_disabled(world.db, True, login="officer1", actor_login="admin1")
    assert officer.client.get("/queue").status_code == 303
    assert TestClient(app).get("/api/me", headers=headers).status_code == 401
    again = Browser(app).login("officer1")
    assert again.status_code == 401 and "已停用" in again.text
    assert "已停用" not in Browser(app).login("officer1", "a-wrong-password").text


def test_a_session_still_ends_after_eight_hours_and_last_seen_is_written_at_most_once_a_minute(app, clock,
                                                                                             browser_as, world):
    officer = browser_as("officer1")
    clock.advance(seconds=30)
    officer.client.get("/queue")
    page = officer.client.get("/account/sessions").text
    assert page.count("17:00") >= 2  # logged in and last seen at 09:00 UTC, 17:00 in Beijing: not yet rewritten
    clock.advance(minutes=5)
    officer.client.get("/queue")
    assert "17:05" in officer.client.get("/account/sessions").text
    clock.advance(hours=8)
    assert officer.client.get("/queue").status_code == 303


def test_my_sessions_lists_every_open_session_marks_this_one_and_ends_another(app, api_token, browser_as):
    phone, desk = browser_as("officer1"), browser_as("officer1")
    api_token("officer1")
    listing = desk.client.get("/account/sessions")
    assert listing.status_code == 200
    assert listing.text.count('<li class="session-card') == 3
    assert listing.text.count('data-testid="current-session"') == 1
    assert "接口令牌" in listing.text and "网页登录" in listing.text and "测试客户端" in listing.text
    phone_id = _current_session_id(phone)
    ended = desk.post_form(f"/account/sessions/{phone_id}/end", {}, token_from="/account/sessions")
    assert ended.status_code == 303 and ended.headers["location"] == "/account/sessions"
    assert phone.client.get("/queue").status_code == 303
    assert desk.client.get("/queue").status_code == 200


def test_ending_my_current_session_logs_this_browser_out(browser_as):
    officer = browser_as("officer1")
    ended = officer.post_form(f"/account/sessions/{_current_session_id(officer)}/end", {},
                              token_from="/account/sessions")
    assert ended.status_code == 303 and ended.headers["location"] == "/login"
    assert officer.client.get("/queue").status_code == 303


def test_another_users_session_cannot_be_ended_and_is_answered_as_unknown(browser_as):
    officer, other = browser_as("officer1"), browser_as("officer2")
    theirs = other.post_form(f"/account/sessions/{_current_session_id(officer)}/end", {},
                             token_from="/account/sessions")
    missing = other.post_form("/account/sessions/99999/end", {}, token_from="/account/sessions")
    assert theirs.status_code == missing.status_code == 400
    assert "该会话不存在或已结束" in theirs.text and "该会话不存在或已结束" in missing.text
    assert officer.client.get("/queue").status_code == 200


def _current_session_id(user: Browser) -> int:
    page = user.client.get("/account/sessions").text
    card = re.search(r'session-card session-current.*?/account/sessions/(\d+)/end', page, re.S)
    assert card, "no current session on the page"
    return int(card.group(1))


def test_a_page_and_an_api_read_check_their_session_and_read_on_one_connection(app, api_token, browser_as, b1_case):
    """The session lookup's read transaction is lent to the page's reads, and each read to the next
    (uow.lending_reads): one connection checked out a request, even for a page that reads in several units of
    work (a case: the case, its actions, its attachments, the names in its history), and none left checked out
    once the answer is sent."""
    from sqlalchemy import event

    engine = app.state.config.db.engine
    client, officer, headers = TestClient(app), browser_as("officer1"), api_token("officer1")
    checkouts = []
    event.listen(engine, "checkout", lambda *_args: checkouts.append(1))
    for path in ("/api/queue", f"/api/cases/{b1_case}", "/api/tally"):
        checkouts.clear()
        assert client.get(path, headers=headers).status_code == 200
        assert (len(checkouts), engine.pool.checkedout()) == (1, 0), path
    for path in ("/queue", "/tally", "/alerts", f"/cases/{b1_case}"):
        checkouts.clear()
        assert officer.client.get(path).status_code == 200
        assert (len(checkouts), engine.pool.checkedout()) == (1, 0), path
