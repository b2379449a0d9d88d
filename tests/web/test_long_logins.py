"""Logins of 64, 65, 100 and 10,000 characters at the login page, the API's login and the admin's 新增用户
form, on SQLite and PostgreSQL: a 4xx answer in words (never a 500), and no account created beyond 64
characters."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lostcontact.services import auth
from lostcontact.uow import UnitOfWork
from lostcontact.web import create_app
from models import User
from tests.builders import build_world
from tests.web.conftest import PASSWORD, Browser, csrf_of

LENGTHS = (64, 65, 100, 10_000)


@pytest.fixture
def app(db):
    build_world(db)
    auth.set_password(db, "admin1", PASSWORD)
    return create_app(db, today=lambda: date(2016, 6, 20), now=lambda: datetime(2016, 6, 20, 8, tzinfo=timezone.utc),
                      secret_key="test-secret")


def user_count(db) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(User))


def long_login(length: int) -> str:
    return ("甲" + "a" * length)[:length]


@pytest.mark.parametrize("length", LENGTHS)
def test_the_login_page_and_the_api_answer_a_long_login_as_a_wrong_login_or_a_usage_error(db, app, length):
    browser = Browser(app)
    page = browser.client.post("/login", data={"login": long_login(length), "password": "whatever-1234",
                                               "csrf_token": csrf_of(browser.client.get("/login").text)})
    assert page.status_code in (400, 401), page.text[:300]
    assert "用户名或密码错误" in page.text or "64" in page.text
    api = TestClient(app).post("/api/session", json={"login": long_login(length), "password": "whatever-1234"})
    assert api.status_code in (401, 422), api.text[:300]


@pytest.mark.parametrize("length", LENGTHS)
def test_the_admin_form_creates_a_64_character_login_and_refuses_a_longer_one(db, app, length):
    admin = Browser(app)
    assert admin.login("admin1").status_code == 303
    before = user_count(db)
    response = admin.post_form("/admin/users", {"login": long_login(length), "name": "", "role": "branch_officer",
                                                "org": "B1", "password_mode": "none"}, token_from="/admin/users")
    if length <= 64:
        assert response.status_code == 303, response.text[:300]
        assert user_count(db) == before + 1
    else:
        assert response.status_code == 400, response.text[:300]
        assert "用户名" in response.text or "200" in response.text
        assert user_count(db) == before
