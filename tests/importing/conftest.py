"""The world every import test starts from: tests/builders.py's org tree and users, plus the members
the bad-file corpus refers to (tests/data/make_files.py EXISTING_MEMBERS)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from models import Base
from models.db import Database

from ..builders import World, build_world
from ..cli.conftest import Cli
from ..data.make_files import EXISTING_MEMBERS


@pytest.fixture
def world(db) -> World:
    world = build_world(db)
    for name, branch, serial in EXISTING_MEMBERS:
        world.add_member(name, branch=branch, serial=serial)
    return world


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_snapshot):
    """The command line on an initialised SQLite file holding the builders' world."""
    return Cli(sqlite_snapshot("builders-world", build_world).copy_to(tmp_path / "cli.db"), monkeypatch)


def table_counts(db: Database) -> dict[str, int]:
    """Rows in every table of the schema: what "nothing was written" is checked against."""
    with db.engine.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}
