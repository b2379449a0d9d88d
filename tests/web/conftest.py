"""A web app over the builders' fixed world (tests/builders.py), every user with a password, and HTTP
clients logged in as any of them.

Each test works on a copy of its world, served by the worker's one app (`app`: building an app's routes costs
its first requests tens of milliseconds), with clients of its own; a test marked `reads_only` (GET
pages and API reads: nothing written) shares one copy of its module's world, one app and one logged-in client
per user with the module's other such tests over the same world (`SharedPages`): a fresh app costs its first
request the building of its routes, and a login its own requests."""
from __future__ import annotations

import copy
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from starlette.datastructures import State

from lostcontact.services import auth
from lostcontact.web.app import bind, routed_app
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


def pytest_configure(config):
    config.addinivalue_line("markers", "reads_only: the test writes nothing; it shares the module's world, app and "
                                       "logged-in clients with the module's other such tests")


def reads_only(request) -> bool:
    return request.node.get_closest_marker("reads_only") is not None


@pytest.fixture
def clock(request) -> Clock:
    """A test's own clock; a test marked `reads_only` reads the clock of the app it shares (and moves it not)."""
    if reads_only(request):
        return request.getfixturevalue("shared_world").clock
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


def open_world(world_file, world_built_with, world_snapshot, path) -> World:
    """A copy at `path` of the builders' world, or of the snapshot of `world_built_with` when there is one."""
    source, members = world_file, {}
    if world_built_with is not None:
        source, members, _built = world_snapshot(world_built_with)
    shutil.copyfile(source, path)
    return World(open_database(f"sqlite:///{path}"), dict(members))


@pytest.fixture
def world(request, world_file, world_built_with, world_snapshot, tmp_path):
    if reads_only(request):
        yield request.getfixturevalue("shared_world").world
        return
    world = open_world(world_file, world_built_with, world_snapshot, tmp_path / "web.db")
    yield world
    world.db.dispose()


@pytest.fixture
def world_built(world, world_built_with, world_snapshot):
    """What the builder of this test's world returned (`world_built_with`)."""
    assert world_built_with is not None, "this test's world was built by nothing"
    return copy.deepcopy(world_snapshot(world_built_with)[2])


@pytest.fixture
def business_day() -> date:
    """The app's business day; the travel pages have theirs (tests/web/travel/conftest.py)."""
    return TODAY


def bound_to(app, world, clock, day: date = TODAY):
    """`app` (lostcontact.web.app.routed_app) serving `world` on `day`, its wall clock `clock`."""
    return bind(app, world.db, today=lambda: day, now=clock, secret_key="test-secret")


def new_app(world, clock, day: date = TODAY):
    """An app of its own over `world` (a module's shared world keeps one for all its tests)."""
    return bound_to(routed_app(), world, clock, day)


@pytest.fixture(scope="session")
def worker_app():
    """The one app of a worker that tests which write use in turn (`app`): a new app pays for building its
    route table on its first requests, again for every test."""
    return routed_app()


@pytest.fixture
def app(request, world, clock, business_day, worker_app):
    """The app over the test's world: the worker's app serving this test's world until the test ends (then it
    serves nothing, so no later request can reach this world); in a test marked `reads_only`, the module's."""
    if reads_only(request):
        yield request.getfixturevalue("shared_world").app
        return
    yield bound_to(worker_app, world, clock, business_day)
    worker_app.state = State()


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


def logged_in(app, login: str | None) -> Browser:
    """A browser on `app`, logged in through the login form as `login` (None: a visitor)."""
    user = Browser(app)
    if login is not None:
        response = user.login(login)
        assert response.status_code == 303, response.text
    return user


def token_of(app, login: str) -> dict:
    """The headers of an API session of `login`."""
    response = TestClient(app).post("/api/session", json={"login": login, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def browser_as(request, app):
    """`browser_as(login)`: a browser logged in as `login`; in a test marked `reads_only`, the module's one."""
    if reads_only(request):
        return request.getfixturevalue("shared_world").browser_as
    return lambda login: logged_in(app, login)


@pytest.fixture
def api_token(request, app):
    """`api_token(login)`: the headers of an API session of `login`; in a test marked `reads_only`, the
    module's one."""
    if reads_only(request):
        return request.getfixturevalue("shared_world").api_token
    return lambda login: token_of(app, login)


@dataclass
class SharedPages:
    """One copy of a module's world, its app, and one logged-in browser and API session per user, for the
    module's tests that only read."""
    world: World
    app: object
    clock: Clock
    browsers: dict[str | None, Browser] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)

    def browser_as(self, login: str | None) -> Browser:
        if login not in self.browsers:
            self.browsers[login] = logged_in(self.app, login)
        return self.browsers[login]

    def api_token(self, login: str) -> dict:
        if login not in self.tokens:
            self.tokens[login] = token_of(self.app, login)
        return dict(self.tokens[login])


@pytest.fixture(scope="module")
def shared_worlds():
    """The module's shared worlds, one per world its tests marked `reads_only` start from."""
    worlds: dict[object, SharedPages] = {}
    yield worlds
    for shared in worlds.values():
        shared.world.db.dispose()


@pytest.fixture
def shared_world(shared_worlds, world_built_with, world_file, world_snapshot, tmp_path_factory) -> SharedPages:
    """The module's shared world for this test's `world_built_with` (asked for by a `reads_only` test only)."""
    if world_built_with not in shared_worlds:
        path = tmp_path_factory.mktemp("shared-web") / "web.db"
        world, clock = open_world(world_file, world_built_with, world_snapshot, path), Clock()
        shared_worlds[world_built_with] = SharedPages(world, new_app(world, clock), clock)
    return shared_worlds[world_built_with]


def opened_in(request, world, org: str) -> int:
    assert not reads_only(request), (f"opening a case in {org} writes: a `reads_only` test finds its case in "
                                     "its world (`world_built_with`)")
    return world.open_case_in(org, today=TODAY)


@pytest.fixture
def b1_case(request, world) -> int:
    """A case of a member of branch B1 (under C1), opened today by officer1."""
    return opened_in(request, world, "B1")


@pytest.fixture
def b3_case(request, world) -> int:
    """A case in the other committee's subtree (B3 under C2)."""
    return opened_in(request, world, "B3")
