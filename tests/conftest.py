"""Shared fixtures. `db` runs a test on SQLite and on a real PostgreSQL (see tests/pg.py)."""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import text

from lostcontact.policies import ensure_default_policy
from lostcontact.uow import UnitOfWork
from models import Base
from models.db import open_database

from .pg import NoPostgres, Server

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = Server()
    except NoPostgres as exc:
        if UNDER_CI:
            pytest.fail(f"PostgreSQL is required under CI=true: {exc}")
        pytest.skip(f"PostgreSQL tests SKIPPED (not a pass): {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server):
    """One database for the session; each test starts from empty tables."""
    url = pg_server.create_database()
    database = open_database(url)
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()
    pg_server.drop_database(url)


def _empty_tables(database) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request, tmp_path):
    """A fresh, initialised database with the default policy, on each engine."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'test.db'}")
        Base.metadata.create_all(database.engine)
    else:
        database = request.getfixturevalue("pg_database")
        _empty_tables(database)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    yield database
    if request.param == "sqlite":
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path):
    """SQLite only, for tests about the embedded default itself."""
    database = open_database(f"sqlite:///{tmp_path / 'test.db'}")
    Base.metadata.create_all(database.engine)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    yield database
    database.dispose()


TODAY = date(2016, 6, 20)


@pytest.fixture
def today() -> date:
    return TODAY
