"""Cookies travel over TLS only when the app is served over HTTPS (issue 13): directly, behind a reverse
proxy that says `X-Forwarded-Proto: https`, or always when LOSTCONTACT_SECURE_COOKIES is set."""
from __future__ import annotations

from fastapi.testclient import TestClient

from lostcontact.web.app import create_app
from tests.web.conftest import PASSWORD, TODAY, csrf_of


def _set_cookies(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_over_plain_http_the_cookies_are_not_marked_secure(app):
    cookies = _set_cookies(TestClient(app).get("/login"))
    assert cookies and not any("secure" in c.lower() for c in cookies)


def test_behind_a_proxy_that_says_https_every_cookie_is_secure(app):
    cookies = _set_cookies(TestClient(app).get("/login", headers={"X-Forwarded-Proto": "https"}))
    assert cookies and all(c.rstrip().endswith("Secure") or "; Secure" in c for c in cookies)


def test_a_proxy_that_says_http_gets_no_secure_cookies(app):
    cookies = _set_cookies(TestClient(app).get("/login", headers={"X-Forwarded-Proto": "http"}))
    assert cookies and not any("secure" in c.lower() for c in cookies)


def test_served_over_https_the_session_cookie_is_secure(app):
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    form = client.get("/login")
    done = client.post("/login", data={"login": "officer1", "password": PASSWORD, "csrf_token": csrf_of(form.text),
                                       "next": "/queue"})
    session = next(c for c in _set_cookies(done) if c.startswith("lc_session="))
    assert done.status_code == 303 and "; Secure" in session and "HttpOnly" in session
    assert client.get("/queue").status_code == 200


def test_the_setting_forces_secure_cookies_even_over_plain_http(world, clock, monkeypatch):
    monkeypatch.setenv("LOSTCONTACT_SECURE_COOKIES", "1")
    app = create_app(world.db, today=lambda: TODAY, now=clock, secret_key="test-secret")
    cookies = _set_cookies(TestClient(app).get("/login"))
    assert cookies and all("; secure" in c.lower() for c in cookies)
