"""Every form needs this session's CSRF token; every response carries the security headers; nothing is
loaded from another site."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lostcontact.queries.cases import show_case
from tests.web.conftest import PASSWORD, TODAY, Browser

ROOT = Path(__file__).resolve().parents[2]


def _state(world, case_id):
    return show_case(world.db, case_id, today=TODAY)["state"]


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_form_without_this_sessions_token_is_refused_and_changes_nothing(world, browser_as, b1_case, token):
    officer = browser_as("officer1")
    data = {"trigger": "start_search", "version": 1}
    if token is not None:
        data["csrf_token"] = token
    response = officer.client.post(f"/cases/{b1_case}/fire", data=data)
    assert response.status_code == 403 and "CSRF" in response.text
    assert _state(world, b1_case) == "lost_contact"


def test_a_token_from_another_users_session_is_refused(world, browser_as, b1_case):
    other_token = browser_as("officer1").csrf()
    officer = browser_as("officer1")
    response = officer.client.post(f"/cases/{b1_case}/fire",
                                   data={"csrf_token": other_token, "trigger": "start_search", "version": 1})
    assert response.status_code == 403
    assert _state(world, b1_case) == "lost_contact"


@pytest.mark.parametrize("path", ["/logout", "/cases/open", "/cases/1/log", "/admin/users/1/password"])
def test_every_form_post_checks_the_token(browser_as, b1_case, path):
    response = browser_as("admin1").client.post(path, data={"csrf_token": "forged"})
    assert response.status_code == 403 and "CSRF" in response.text


def test_the_login_form_checks_its_own_token(app):
    user = Browser(app)
    response = user.client.post("/login", data={"login": "officer1", "password": PASSWORD, "csrf_token": "x"})
    assert response.status_code == 403


def test_the_api_with_the_browser_cookie_needs_the_csrf_header_to_change_anything(world, browser_as, b1_case):
    officer = browser_as("officer1")
    token = officer.csrf()
    assert officer.client.get(f"/api/cases/{b1_case}").status_code == 200  # reading needs no token
    body = {"trigger": "start_search", "expected_version": 1}
    refused = officer.client.post(f"/api/cases/{b1_case}/fire", json=body)
    assert refused.status_code == 403 and refused.json()["error"]["kind"] == "csrf"
    assert _state(world, b1_case) == "lost_contact"
    done = officer.client.post(f"/api/cases/{b1_case}/fire", json=body, headers={"X-CSRF-Token": token})
    assert done.status_code == 200 and done.json()["to"] == "searching"


@pytest.mark.parametrize("path", ["/login", "/queue", "/cases/1", "/api/me", "/api/openapi.json", "/static/app.css",
                                  "/no-such-page"])
def test_every_response_carries_the_security_headers(browser_as, b1_case, path):
    response = browser_as("officer1").client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


def test_no_template_script_or_stylesheet_loads_anything_from_another_site():
    sources = list((ROOT / "templates" / "pages").glob("*.html")) + list((ROOT / "templates" / "web").glob("*.html"))
    sources += list((ROOT / "lostcontact" / "web" / "static").iterdir())
    assert sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        external = [u for u in re.findall(r"""(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s"'<>)]*""", text)
                    if u != "http://www.w3.org/2000/svg"]
        assert external == [], f"{path.name} refers to {external}"


def test_the_api_docs_pages_that_would_load_a_cdn_are_not_served(app):
    client = TestClient(app)
    assert client.get("/docs").status_code in (303, 404)
    assert client.get("/api/openapi.json").status_code == 200


def test_what_a_user_types_is_escaped_on_every_page(world, browser_as):
    from lostcontact.services.cases import open_case
    id_number = world.add_member("<script>alert(1)</script>", branch="B1", last_contact=TODAY.replace(year=2015))
    case_id = open_case(world.db, id_number, actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    for path in ("/queue", f"/cases/{case_id}", "/alerts?org=B1"):
        text = officer.client.get(path).text
        assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in officer.client.get(f"/cases/{case_id}").text
