"""The world every import test starts from: tests/builders.py's org tree and users, plus the members
the bad-file corpus refers to (tests/data/make_files.py EXISTING_MEMBERS)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Base
from models.db import Database

from ..builders import World, build_world
from ..cli.conftest import Cli
from ..conftest import ENGINES, built_on, world_once_a_module
from ..data.make_files import EXISTING_MEMBERS


def build_import_world(db: Database) -> World:
    world = build_world(db)
    for name, branch, serial in EXISTING_MEMBERS:
        world.add_member(name, branch=branch, serial=serial)
    return world


@pytest.fixture
def world(db, sqlite_snapshot) -> World:
    """The import world in the test's `db` (on SQLite a copy of the session's build)."""
    return built_on(db, sqlite_snapshot, "import-world", build_import_world)


@pytest.fixture(scope="module", params=ENGINES)
def refused_imports_world(request, tmp_path_factory) -> World:
    """The import world built once a module on each engine, for a module whose every import is refused: each of
    its tests checks that no table changed, so what one test leaves is what the next one starts from."""
    yield from world_once_a_module(request, tmp_path_factory, "import-world", build_import_world)


@pytest.fixture
def refusing_db(refused_imports_world) -> Database:
    """The database of the world shared by a module's tests whose every import is refused."""
    return refused_imports_world.world().db


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_snapshot):
    """The command line on an initialised SQLite file holding the builders' world."""
    return Cli(sqlite_snapshot("builders-world", build_world).copy_to(tmp_path / "cli.db"), monkeypatch)


def table_counts(db: Database) -> dict[str, int]:
    """Rows in every table of the schema: what "nothing was written" is checked against."""
    tables = Base.metadata.sorted_tables
    with db.engine.connect() as conn:  # one round trip: this is asked before and after every refusal
        counts = conn.execute(select(*(select(func.count()).select_from(t).scalar_subquery().label(t.name)
                                       for t in tables))).one()
    return dict(zip((t.name for t in tables), counts))
