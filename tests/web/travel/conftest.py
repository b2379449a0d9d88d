"""The 证件管理 pages over the web world (tests/web/conftest.py) with the travel programme's users
(tests/travel/conftest.py), each with the web world's password, on the travel tests' business day.

A module's world is built once a worker session and copied per test (`travel_snapshot`): the users always,
and what the test finds (a `world(build)` mark on the module or the test). A test marked
`reads_only` (GET pages, a search posted: nothing written) shares one copy of the module's world, its app and
one logged-in client per user with the module's other such tests over the same world (tests/web/conftest.py's
`SharedPages`)."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from lostcontact.services import auth
from lostcontact.services.users import add_user
from models.db import open_database
from tests.builders import World
from tests.travel.conftest import TODAY, TRAVEL_USERS, TravelWorld
from tests.web.conftest import CHEAP_HASHER, PASSWORD, Clock, SharedPages, new_app, reads_only

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


def in_world(build):
    """The mark `world(build)` for a module's pytestmark or a test (with_args, as `build` is a callable)."""
    return pytest.mark.world.with_args(build)


def world_build(request):
    """What the test finds besides the users: the `build` of its closest `world(build)` mark (a module's
    pytestmark, or the test's own), None if it has none."""
    marker = request.node.get_closest_marker("world")
    return marker.args[0] if marker else None


@pytest.fixture
def snapshot(request, travel_snapshot) -> TravelSnapshot:
    return travel_snapshot(world_build(request))


def pytest_configure(config):
    config.addinivalue_line("markers", "world(build): the test's world holds what build(travel) adds to the users "
                                       "(built once a worker session); the `built` fixture is what build returned")


@pytest.fixture
def travel(request, snapshot, tmp_path) -> TravelWorld:
    if reads_only(request):
        yield request.getfixturevalue("shared_world").travel
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
def business_day() -> date:
    """The travel tests' business day, for the app (tests/web/conftest.py's `app`)."""
    return TODAY


@dataclass(kw_only=True)
class SharedTravelPages(SharedPages):
    travel: TravelWorld


def shared_travel_world(snapshot: TravelSnapshot, shared_worlds: dict, tmp_path_factory) -> SharedTravelPages:
    """The module's one shared copy of `snapshot`, with its app."""
    if snapshot.path not in shared_worlds:
        travel, clock = snapshot.open(tmp_path_factory.mktemp("shared") / "web.db"), Clock()
        shared_worlds[snapshot.path] = SharedTravelPages(world=travel.world, app=new_app(travel.world, clock, TODAY),
                                                         clock=clock, travel=travel)
    return shared_worlds[snapshot.path]


@pytest.fixture
def shared_world(snapshot, shared_worlds, tmp_path_factory) -> SharedTravelPages:
    """The module's shared world for this test's `world` mark (asked for by a `reads_only` test only)."""
    return shared_travel_world(snapshot, shared_worlds, tmp_path_factory)


def section(html: str, testid: str) -> str:
    """The HTML of the element carrying data-testid=testid, up to the end of its section."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
