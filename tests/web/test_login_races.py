"""Guesses that arrive together cannot get past the lockout (issue 13): every attempt is counted with one
atomic update before its password is checked, so at most MAX_FAILED_LOGINS passwords are checked however
many guesses race, the count loses none of them, and the account ends locked even against the right one."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from lostcontact.services import auth
from lostcontact.uow import UnitOfWork
from models import User
from statemachines.errors import Refused
from tests.builders import build_world

NOW = datetime(2016, 6, 20, 9, 0, tzinfo=timezone.utc)
GUESSES = 30


@pytest.fixture
def world(db):
    world = build_world(db)
    auth.set_password(db, "officer1", "first-password")
    return world


@pytest.fixture
def checked_passwords(monkeypatch) -> list[str]:
    """The passwords really checked against the user's hash (not the dummy check of an unknown or locked login)."""
    checked: list[str] = []
    real_verify = auth._verify

    def counting_verify(password_hash, password):
        if password_hash is not None:
            checked.append(password)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting_verify)
    return checked


def _failed_logins(db) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(User.failed_logins).where(User.login == "officer1"))


def test_thirty_wrong_passwords_at_once_check_at_most_five_and_lock_the_account(world, checked_passwords):
    start = threading.Barrier(GUESSES, timeout=60)

    def guess(n: int):
        start.wait()
        try:
            auth.authenticate(world.db, "officer1", f"guess-{n}", now=NOW)
        except Refused as refused:
            return refused
        return "logged in"

    with ThreadPoolExecutor(GUESSES) as pool:
        outcomes = list(pool.map(guess, range(GUESSES)))

    assert all(isinstance(o, Refused) for o in outcomes)
    assert len(checked_passwords) <= auth.MAX_FAILED_LOGINS
    assert _failed_logins(world.db) == len(checked_passwords) == auth.MAX_FAILED_LOGINS
    with pytest.raises(Refused):
        auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=1))
    assert "first-password" not in checked_passwords  # a locked account's password is never checked
    assert auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=16))


def test_a_locked_login_and_an_unknown_login_get_the_same_answer(world):
    for attempt in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(Refused):
            auth.authenticate(world.db, "officer1", f"guess-{attempt}", now=NOW)
    answers = []
    for login in ("officer1", "nobody"):
        with pytest.raises(Refused) as refused:
            auth.authenticate(world.db, login, "first-password", now=NOW + timedelta(minutes=1))
        answers.append((type(refused.value), refused.value.zh, refused.value.en, refused.value.exit_code))
    assert answers[0] == answers[1]


def _guess_in_a_process(url: str, password: str, start, outcomes) -> None:
    """One guesser, forked from the test (so it starts with everything loaded), on a connection of its own."""
    from models.db import open_database

    db = open_database(url)
    start.wait()  # the start line: every process connected and loaded, then all released at once
    try:
        auth.authenticate(db, "officer1", password, now=NOW)
        outcomes.put("logged in")
    except Refused:
        outcomes.put("refused")


@pytest.mark.slow
@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_wrong_passwords_from_many_processes_at_once_are_all_counted_and_lock_the_account(world):
    import multiprocessing

    processes = multiprocessing.get_context("fork")
    for _round in range(2):  # repeated: the second round after the lock has run out and a good login reset it
        start, outcomes = processes.Barrier(12, timeout=120), processes.Queue()
        guessers = [processes.Process(target=_guess_in_a_process, args=(world.db.url, f"guess-{n}", start, outcomes))
                    for n in range(12)]
        try:
            for guesser in guessers:
                guesser.start()
            answers = [outcomes.get(timeout=120) for _ in guessers]
            for guesser in guessers:
                guesser.join(timeout=120)
        finally:
            for guesser in guessers:
                guesser.kill()
        assert answers == ["refused"] * 12, answers
        assert _failed_logins(world.db) == auth.MAX_FAILED_LOGINS  # none lost, none past the lock
        with pytest.raises(Refused):
            auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=1))
        assert auth.authenticate(world.db, "officer1", "first-password", now=NOW + timedelta(minutes=16))
        assert _failed_logins(world.db) == 0
