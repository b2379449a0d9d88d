"""A web app over the builders' fixed world (tests/builders.py), every user with a password, and HTTP
clients logged in as any of them."""
from __future__ import annotations

import copy
import re
import shutil
from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from lostcontact.services import auth
from lostcontact.web import create_app
from models.db import open_database
from tests.builders import USERS, World, build_world

TODAY = date(2016, 6, 20)
PASSWORD = "correct-horse-42"
LOGINS = [login for login, _role, _org in USERS]


class Clock:
    """The wall clock of the app (sessions, lockout), moved by hand."""

    def __init__(self):
        self.moment = datetime(2016, 6, 20, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


# Real argon2id, with the cost turned down: hundreds of logins per run must not take minutes.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CHEAP_DUMMY = CHEAP_HASHER.hash("no-such-user")


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch):
    monkeypatch.setattr(auth, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(auth, "_DUMMY_HASH", CHEAP_DUMMY)


@pytest.fixture(scope="session")
def world_file(tmp_path_factory, sqlite_template):
    """The builders' world with every user's password, built once; each test works on a copy."""
    path = tmp_path_factory.mktemp("web-world") / "world.db"
    shutil.copyfile(sqlite_template, path)
    database = open_database(f"sqlite:///{path}")
    build_world(database)
    saved, auth._hasher = auth._hasher, CHEAP_HASHER
    try:
        for login in LOGINS:
            auth.set_password(database, login, PASSWORD)
    finally:
        auth._hasher = saved
    database.dispose()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def world_snapshot(world_file, tmp_path_factory):
    """`world_snapshot(build)`: the builders' world with `build(world)` applied (members, cases, a sweep),
    built the first time a test asks for that builder and copied by every test after it: a world that takes
    a sweep to build is built once a session, not once a test. The builder must be deterministic; what it
    returns (case ids) is `world_built` for every test that starts from its world."""
    snapshots: dict = {}

    def snapshot(build):
        if build not in snapshots:
            path = tmp_path_factory.mktemp("web-snapshot") / "world.db"
            shutil.copyfile(world_file, path)
            database = open_database(f"sqlite:///{path}")
            try:
                world = World(database)
                built = build(world)
            finally:
                database.dispose()  # the last connection closing folds the WAL into the file
            snapshots[build] = (path, dict(world.members), built)
        return snapshots[build]
    return snapshot


@pytest.fixture
def world_built_with():
    """What is built on the builders' world before a test starts, once a session (`world_snapshot`): nothing
    here; a module overrides this fixture to start its tests from a richer world."""
    return None


@pytest.fixture
def world(world_file, world_built_with, world_snapshot, tmp_path):
    source, members = world_file, {}
    if world_built_with is not None:
        source, members, _built = world_snapshot(world_built_with)
    path = tmp_path / "web.db"
    shutil.copyfile(source, path)
    database = open_database(f"sqlite:///{path}")
    yield World(database, dict(members))
    database.dispose()


@pytest.fixture
def world_built(world, world_built_with, world_snapshot):
    """What the builder of this test's world returned (`world_built_with`)."""
    assert world_built_with is not None, "this test's world was built by nothing"
    return copy.deepcopy(world_snapshot(world_built_with)[2])


@pytest.fixture
def app(world, clock):
    return create_app(world.db, today=lambda: TODAY, now=clock, secret_key="test-secret")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def without_token(html: str) -> str:
    """The page with its per-session CSRF token blanked: two pages that must say the same thing can then be
    compared word for word (a random token may hold any org code by chance)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


class Browser:
    """A TestClient with its cookies: one user at a keyboard."""

    def __init__(self, app):
        self.client = TestClient(app, follow_redirects=False)

    def login(self, login: str, password: str = PASSWORD):
        form = self.client.get("/login")
        return self.client.post("/login", data={"login": login, "password": password,
                                                "csrf_token": csrf_of(form.text), "next": "/queue"})

    def csrf(self, path: str = "/queue") -> str:
        return csrf_of(self.client.get(path).text)

    def post_form(self, path: str, data: dict, *, token_from: str = "/queue"):
        return self.client.post(path, data={"csrf_token": self.csrf(token_from), **data})


@pytest.fixture
def browser_as(app):
    def make(login: str | None) -> Browser:
        user = Browser(app)
        if login is not None:
            response = user.login(login)
            assert response.status_code == 303, response.text
        return user
    return make


@pytest.fixture
def api_token(app):
    def make(login: str) -> dict:
        client = TestClient(app)
        response = client.post("/api/session", json={"login": login, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}
    return make


@pytest.fixture
def b1_case(world) -> int:
    """A case of a member of branch B1 (under C1), opened today by officer1."""
    return world.open_case_in("B1", today=TODAY)


@pytest.fixture
def b3_case(world) -> int:
    """A case in the other committee's subtree (B3 under C2)."""
    return world.open_case_in("B3", today=TODAY)
