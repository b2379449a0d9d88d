"""A search-log entry and a transition drawn from the same version of a case cannot both commit (issue 13).

On PostgreSQL both transactions are held just before their first write, after each has read the case (and
exhaust its search log), then released together; on SQLite, whose writers queue, they start together.
Whatever the order, the case never ends `verifying` (exhausted) while its log holds a `reached` entry.
The same race is also run between two `lostcontact` processes on PostgreSQL, each held before its write.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from lostcontact.queries.cases import show_case
from lostcontact.services.cases import fire, log_search, open_case
from statemachines.errors import Conflict, Refused

from .builders import build_world
from .races import HoldAtFirstWrite, mark_migrated, outcome, race_commands

TODAY = date(2016, 6, 20)
OPENED, SEARCHED = date(2016, 3, 1), date(2016, 3, 2)
ROUNDS = 20


def _case_with_every_required_tier_tried(db, world, serial: int) -> int:
    id_number = world.add_member(f"党员{serial}", last_contact=date(2015, 8, 31), serial=serial)
    case_id = open_case(db, id_number, actor_login="officer1", today=TODAY, at=OPENED)
    fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=SEARCHED)
    for channel in ("phone", "relatives", "household_registry"):
        log_search(db, case_id, channel=channel, outcome="no_answer", actor_login="officer1", today=TODAY, at=SEARCHED)
    return case_id


def _race(db, case_id: int) -> list:
    start = threading.Barrier(2, timeout=30)

    def log_reached():
        start.wait()
        return outcome(lambda: log_search(db, case_id, channel="phone", outcome="reached", actor_login="officer1",
                                           today=TODAY, at=SEARCHED))

    def exhaust():
        start.wait()
        return outcome(lambda: fire(db, case_id, "exhaust", actor_login="officer1", cause=1, today=TODAY, at=SEARCHED))

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(log_reached), pool.submit(exhaust)]
        return [future.result(timeout=120) for future in futures]


def test_a_reached_entry_and_exhaust_racing_on_one_case_never_both_commit(db):
    world = build_world(db)
    case_ids = [_case_with_every_required_tier_tried(db, world, serial) for serial in range(1, ROUNDS + 1)]
    for case_id in case_ids:
        if db.is_sqlite:
            logged, exhausted = _race(db, case_id)
        else:
            with HoldAtFirstWrite(db.engine, "UPDATE CASES", "INSERT INTO SEARCH_ENTRIES"):
                logged, exhausted = _race(db, case_id)

        committed = [o for o in (logged, exhausted) if not isinstance(o, Refused)]
        assert len(committed) == 1, (logged, exhausted)
        case = show_case(db, case_id, today=TODAY)
        reached_entries = [e for e in case["search_log"] if e["outcome"] == "reached"]
        if isinstance(exhausted, Refused):
            assert reached_entries and case["state"] == "searching"
            # held at the same moment on PostgreSQL: a stale write; queued on SQLite: refused by the entry
            assert isinstance(exhausted, Conflict) or "reached" in exhausted.en, exhausted.en
        else:
            assert not reached_entries and case["state"] == "verifying"
            assert isinstance(logged, Refused) and logged.exit_code == 3, logged


PROCESS_ROUNDS = 5


@pytest.mark.slow  # two CLI processes a round
@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_reached_entry_and_exhaust_from_two_processes_on_postgresql_never_both_commit(db):
    world = build_world(db)
    mark_migrated(db)
    for serial in range(1, PROCESS_ROUNDS + 1):
        case_id = _case_with_every_required_tier_tried(db, world, serial)
        at = ("--at", SEARCHED.isoformat(), "--actor", "officer1")
        logged, exhausted = race_commands(
            db.url, ("UPDATE CASES", ("case", "log", str(case_id), "--channel", "phone", "--outcome", "reached", *at)),
            ("UPDATE CASES", ("case", "fire", str(case_id), "exhaust", "--cause", "1", *at)))

        assert sorted((logged.returncode, exhausted.returncode)) == [0, 3], (logged.stderr, exhausted.stderr)
        loser = logged if logged.returncode else exhausted
        assert "changed by someone else" in loser.stderr and "Traceback" not in loser.stderr
        case = show_case(db, case_id, today=TODAY)
        reached_entries = [e for e in case["search_log"] if e["outcome"] == "reached"]
        assert (case["state"], bool(reached_entries)) == (
            ("searching", True) if logged.returncode == 0 else ("verifying", False))
