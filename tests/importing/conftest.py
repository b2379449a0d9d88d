"""The world every import test starts from: tests/builders.py's org tree and users, plus the members
the bad-file corpus refers to (tests/data/make_files.py EXISTING_MEMBERS)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from lostcontact.policies import ensure_default_policy
from lostcontact.uow import UnitOfWork
from models import Base
from models.db import Database, open_database

from ..builders import World, build_world
from ..cli.conftest import Cli
from ..conftest import _empty_tables
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


def world_once_a_module(request, tmp_path_factory, key: str, build):
    """For a module-scoped fixture parametrized over ENGINES: the World `build(database)` returns, built once a
    module on the engine (on SQLite a copy of a snapshot built once a session), for tests that write nothing."""
    if request.param == "sqlite":
        snapshot = request.getfixturevalue("sqlite_snapshot")(key, lambda database: dict(build(database).members))
        database = open_database(snapshot.copy_to(tmp_path_factory.mktemp(key) / "world.db"))
        yield World(database, dict(snapshot.built))
        database.dispose()
    else:
        database = request.getfixturevalue("pg_database")
        _empty_tables(database)
        with UnitOfWork(database) as uow:
            ensure_default_policy(uow.session)
            uow.commit()
        yield build(database)


@pytest.fixture(scope="module", params=ENGINES)
def refused_imports_world(request, tmp_path_factory) -> World:
    """The import world built once a module on each engine, for a module whose every import is refused: each of
    its tests checks that no table changed, so what one test leaves is what the next one starts from."""
    yield from world_once_a_module(request, tmp_path_factory, "import-world", build_import_world)


@pytest.fixture
def refusing_db(refused_imports_world) -> Database:
    """The database of the world shared by a module's tests whose every import is refused."""
    return refused_imports_world.db


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
    with db.engine.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}
