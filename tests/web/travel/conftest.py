"""The 证件管理 pages over the web world (tests/web/conftest.py) with the travel programme's users
(tests/travel/conftest.py), each with the web world's password, on the travel tests' business day.

A module's world is built once a worker session and copied per test (`travel_snapshot`): the users always,
and what the module's every test finds (`travel_world_build`, overridden by the module). A test marked
`reads_only` (GET pages, a search posted: nothing written) shares one copy of the module's world and one
logged-in client per user with the module's other such tests (`shared`)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lostcontact.services import auth
from lostcontact.services.users import add_user
from lostcontact.web import create_app
from models.db import open_database
from tests.builders import World
from tests.travel.conftest import TODAY, TRAVEL_USERS, TravelWorld
from tests.web.conftest import CHEAP_HASHER, PASSWORD, Browser, Clock

__all__ = ["TODAY"]


def add_travel_users(world) -> TravelWorld:
    for login, role, org in TRAVEL_USERS:
        add_user(world.db, login, role=role, org_code=org, name={"cadre1": "赵干部", "cadre2": "钱干部",
                                                               "discipline1": "孙纪检", "liaison1": "周联络",
                                                               "cadre_city": "吴部长"}[login])
        auth.set_password(world.db, login, PASSWORD)
    return TravelWorld(world, world.db)


@dataclass(frozen=True)
class TravelSnapshot:
    """A world file built once, what its builder returned, and the next serial for people and documents."""
    path: Path
    built: object
    serial: int

    def open(self, path: Path) -> TravelWorld:
        shutil.copyfile(self.path, path)
        world = World(open_database(f"sqlite:///{path}"))
        return TravelWorld(world, world.db, serial=self.serial)


def build_snapshot(path: Path, start: Path, build, add_users) -> TravelSnapshot:
    """`start` copied to `path`, then `add_users(world)` (returning the TravelWorld) and `build(travel)`."""
    shutil.copyfile(start, path)
    database = open_database(f"sqlite:///{path}")
    saved, auth._hasher = auth._hasher, CHEAP_HASHER
    try:
        travel = add_users(World(database))
        built = build(travel) if build is not None else None
    finally:
        auth._hasher = saved
        database.dispose()  # the last connection closing folds the WAL into the file
    return TravelSnapshot(path, built, travel.serial)


def snapshot_maker(world_file, tmp_path_factory, add_users, prefix: str):
    """`make(build)`: the snapshot of `build` (None: the users only), built the first time it is asked for."""
    snapshots: dict[object, TravelSnapshot] = {}

    def make(build) -> TravelSnapshot:
        key = None if build is None else f"{build.__module__}.{build.__qualname__}"
        if key not in snapshots:
            name = prefix if build is None else f"{prefix}-{build.__name__}"
            snapshots[key] = build_snapshot(tmp_path_factory.mktemp(name) / "world.db", world_file, build, add_users)
        return snapshots[key]
    return make


@pytest.fixture(scope="session")
def travel_snapshot(world_file, tmp_path_factory):
    return snapshot_maker(world_file, tmp_path_factory, add_travel_users, "web-travel")


@pytest.fixture(scope="module")
def travel_world_build():
    """What every test of a module finds besides the users: `build(travel)`, deterministic, whose return value
    the `built` fixture hands to the test. A module overrides this; None is the users only."""
    return None


@pytest.fixture
def snapshot(travel_snapshot, travel_world_build) -> TravelSnapshot:
    return travel_snapshot(travel_world_build)


def pytest_configure(config):
    config.addinivalue_line("markers", "reads_only: the test writes nothing; it shares the module's world and "
                                       "logged-in clients with the module's other such tests")


def reads_only(request) -> bool:
    return request.node.get_closest_marker("reads_only") is not None


@pytest.fixture
def travel(request, snapshot, tmp_path) -> TravelWorld:
    if reads_only(request):
        yield request.getfixturevalue("shared").travel
        return
    travel = snapshot.open(tmp_path / "web.db")
    yield travel
    travel.db.dispose()


@pytest.fixture
def world(travel):
    return travel.world


@pytest.fixture
def built(snapshot, world):
    return snapshot.built


@pytest.fixture
def app(world, clock):
    return create_app(world.db, today=lambda: TODAY, now=clock, secret_key="test-secret")


def logged_in(app, login: str | None) -> Browser:
    user = Browser(app)
    if login is not None:
        response = user.login(login)
        assert response.status_code == 303, response.text
    return user


@pytest.fixture
def browser_as(request):
    """tests/web/conftest.py's, except that a test marked `reads_only` gets the module's shared clients."""
    if reads_only(request):
        return request.getfixturevalue("shared").browser_as
    app = request.getfixturevalue("app")
    return lambda login: logged_in(app, login)


@dataclass
class SharedWorld:
    """One copy of the module's world, its app and one logged-in client per user, for tests that only read."""
    travel: TravelWorld
    built: object
    app: object
    browsers: dict[str, Browser] = field(default_factory=dict)

    def browser_as(self, login: str) -> Browser:
        if login not in self.browsers:
            self.browsers[login] = logged_in(self.app, login)
        return self.browsers[login]


def shared_world(snapshot: TravelSnapshot, path: Path):
    travel = snapshot.open(path)
    app = create_app(travel.db, today=lambda: TODAY, now=Clock(), secret_key="test-secret")
    return SharedWorld(travel, snapshot.built, app)


@pytest.fixture(scope="module")
def shared(travel_snapshot, travel_world_build, tmp_path_factory):
    """The module's world for tests that only read (GET pages, a search posted): one copy, logged in once."""
    world = shared_world(travel_snapshot(travel_world_build), tmp_path_factory.mktemp("shared") / "web.db")
    yield world
    world.travel.db.dispose()


def section(html: str, testid: str) -> str:
    """The HTML of the element carrying data-testid=testid, up to the end of its section."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
