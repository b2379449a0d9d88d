"""lostcontact.services.auth on both engines: hashes, lockout, resets, sessions that end with a reset."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from lostcontact.queries.users import search_users
from lostcontact.services import auth, sessions
from statemachines.errors import BadInput, Refused, UsageError
from tests.builders import build_world

NOW = datetime(2016, 6, 20, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def world(db):
    world = build_world(db)
    auth.set_password(db, "officer1", "first-password")
    return world


def test_a_password_is_stored_as_an_argon2id_hash_never_as_itself(world):
    from sqlalchemy import select

    from lostcontact.uow import UnitOfWork
    from models import User
    with UnitOfWork(world.db, write=False) as uow:
        stored = uow.session.scalar(select(User.password_hash).where(User.login == "officer1"))
    assert stored.startswith("$argon2id$") and "first-password" not in stored


def test_the_app_hashes_with_argon2id_at_its_production_cost_not_the_tests_cheap_one(monkeypatch):
    """The web tests hash with a cheap argon2id (tests/web/conftest.py: hundreds of logins a run); the app's
    own hasher, made on first use, is argon2id at RFC 9106's low-memory cost (3 passes over 64 MiB, 4 lanes),
    and a hash made cheaply is one the app would rehash at the next login."""
    from argon2 import Type

    from tests.web.conftest import CHEAP_HASHER
    monkeypatch.setattr(auth, "_hasher", None)
    hasher = auth._password_hasher()
    assert hasher is not CHEAP_HASHER and hasher.type is Type.ID
    assert hasher.time_cost >= 3 and hasher.memory_cost >= 64 * 1024 and hasher.parallelism >= 4
    assert hasher.check_needs_rehash(CHEAP_HASHER.hash("first-password"))


def test_the_right_password_gives_the_account_with_its_grants(world):
    account = auth.authenticate(world.db, "officer1", "first-password", now=NOW)
    assert account.login == "officer1" and account.roles == {"branch_officer"}
    assert [(g.org_code, g.org_name) for g in account.grants] == [("B1", "第一党支部")]


def test_lockout_after_five_failures_holds_fifteen_minutes_then_lifts(world):
    for attempt in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(Refused, match="wrong login or password"):
            auth.authenticate(world.db, "officer1", f"guess-{attempt}", now=NOW)
    with pytest.raises(Refused, match="wrong login or password"):  # locked: answered as any failure
        auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=14))
    assert auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=15, seconds=1))


def test_a_reset_lifts_the_lockout_and_ends_every_session_of_the_user(world):
    account = auth.authenticate(world.db, "officer1", "first-password", now=NOW)
    token = sessions.start(world.db, account.id, kind=sessions.PAGE, now=NOW, lifetime=timedelta(hours=8))
    for attempt in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(Refused):
            auth.authenticate(world.db, "officer1", "wrong", now=NOW)
    auth.set_password(world.db, "officer1", "second-password", actor_login="admin1", now=NOW)
    assert sessions.resume(world.db, token, kind=sessions.PAGE, now=NOW) is None
    assert auth.authenticate(world.db, "officer1", "second-password", now=NOW).login == "officer1"


def test_only_an_admin_over_all_the_users_grants_may_reset_their_password(world):
    with pytest.raises(Refused, match="only an admin"):
        auth.set_password(world.db, "officer1", "x-password-1", actor_login="supervisor1")
    from lostcontact.services.users import add_user
    add_user(world.db, "c2admin", role="admin", org_code="C2")
    with pytest.raises(BadInput, match="unknown user officer1"):  # outside: as if there were no officer1
        auth.set_password(world.db, "officer1", "x-password-1", actor_login="c2admin")
    found = search_users(world.db, "c2admin", now=NOW)
    assert [u.login for u in found.rows] == ["c2admin", "officer3", "reviewer2"]


def test_a_short_password_and_an_unknown_user_are_refused_with_reasons(world):
    with pytest.raises(UsageError, match="at least 8 characters"):
        auth.set_password(world.db, "officer1", "short")
    with pytest.raises(BadInput, match="unknown user nobody"):
        auth.set_password(world.db, "nobody", "long-enough-1")


def test_a_user_without_a_password_cannot_log_in(world):
    with pytest.raises(Refused, match="wrong login or password"):
        auth.authenticate(world.db, "officer2", "", now=NOW)
