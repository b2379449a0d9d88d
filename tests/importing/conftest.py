"""The world every import test starts from: tests/builders.py's org tree and users, plus the members
the bad-file corpus refers to (tests/data/make_files.py EXISTING_MEMBERS)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import Base
from models.db import Database, open_database

from ..builders import World, build_world
from ..cli.conftest import Cli
from ..conftest import reset_pg_database, resets_of
from ..data.make_files import EXISTING_MEMBERS


def build_import_world(db: Database) -> World:
    world = build_world(db)
    for name, branch, serial in EXISTING_MEMBERS:
        world.add_member(name, branch=branch, serial=serial)
    return world


@pytest.fixture
def world(db) -> World:
    return build_import_world(db)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


class SharedWorld:
    """The World `build(database)` returns, shared by a module's tests that write nothing. On SQLite the module
    has a file of its own (a copy of a snapshot built once a session). On PostgreSQL the module shares the
    session's database with every other test: when one of them reset it after the world was built (a test of
    the same module using `db`, run in between), the world is built again before it is handed out."""

    def __init__(self, database: Database, build, world: World | None = None):
        self.database, self.build, self._world = database, build, world
        self._built_at = resets_of(database) if world is not None else None

    def world(self) -> World:
        if self._world is None or self._built_at != resets_of(self.database):
            reset_pg_database(self.database)
            self._world, self._built_at = self.build(self.database), resets_of(self.database)
        return self._world


def world_once_a_module(request, tmp_path_factory, key: str, build):
    """For a module-scoped fixture parametrized over ENGINES: a SharedWorld of `build`, built once a module on
    the engine (again on PostgreSQL only when a test in between wiped it); tests take `.world()`."""
    if request.param == "sqlite":
        snapshot = request.getfixturevalue("sqlite_snapshot")(key, lambda database: dict(build(database).members))
        database = open_database(snapshot.copy_to(tmp_path_factory.mktemp(key) / "world.db"))
        yield SharedWorld(database, build, World(database, dict(snapshot.built)))
        database.dispose()
    else:
        yield SharedWorld(request.getfixturevalue("pg_database"), build)


@pytest.fixture(scope="module", params=ENGINES)
def refused_imports_world(request, tmp_path_factory) -> World:
    """The import world built once a module on each engine, for a module whose every import is refused: each of
    its tests checks that no table changed, so what one test leaves is what the next one starts from."""
    yield from world_once_a_module(request, tmp_path_factory, "import-world", build_import_world)


@pytest.fixture
def refusing_db(refused_imports_world) -> Database:
    """The database of the world shared by a module's tests whose every import is refused."""
    return refused_imports_world.world().db


@pytest.fixture(scope="module")
def made_once(tmp_path_factory):
    """`made_once(key, make)`: the path of a file `make(path)` wrote, made the first time a module's test asks
    for `key` and read again by every test after it (a bomb of a hundred megabytes is made once, not once for
    each engine). The file is named `name` (roster.xlsx unless told), in a folder of its own."""
    made: dict[str, Path] = {}

    def made_once(key: str, make, name: str = "roster.xlsx") -> Path:
        if key not in made:
            path = tmp_path_factory.mktemp(f"made-{key}") / name
            make(path)
            made[key] = path
        return made[key]
    return made_once


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
