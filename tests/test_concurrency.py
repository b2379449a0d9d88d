"""Two users acting on one case at once: one wins, the other is refused, and the history records exactly one
transition (DOMAIN.md §6). The races are real: both sides are held at a barrier and released together.

- two `lostcontact case fire` processes on one case, on SQLite and PostgreSQL;
- the optimistic lock of a form or API call that carries the version it was drawn from;
- on PostgreSQL, two transactions that both read version v and both try to write it;
- on SQLite, a second writer that queues behind the first and then sees its result.
"""
from __future__ import annotations

import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import event

from lostcontact.queries.cases import show_case
from lostcontact.services.cases import fire, open_case
from statemachines.errors import Conflict, Refused

from .builders import build_world
from .races import HoldAtFirstWrite, RacingCommand, mark_migrated, outcome

TODAY = date(2016, 6, 20)
OPENED, SEARCHED = date(2016, 3, 1), date(2016, 3, 2)


def _case_in_lost_contact(db) -> int:
    world = build_world(db)
    id_number = world.add_member("张三", last_contact=date(2015, 8, 31))
    return open_case(db, id_number, actor_login="officer1", today=TODAY, at=OPENED)


def _history(db, case_id: int) -> list[str]:
    return [entry["trigger"] for entry in show_case(db, case_id, today=TODAY)["history"]]


def _version(db, case_id: int) -> int:
    return show_case(db, case_id, today=TODAY)["version"]


def _start_search_twice_from_two_processes(db, case_id: int) -> list[subprocess.CompletedProcess]:
    """Two `case fire` processes that have imported everything and opened the database, started together."""
    args = ("case", "fire", str(case_id), "start_search", "--at", SEARCHED.isoformat(), "--actor", "officer1")
    racers = [RacingCommand(db.url, *args) for _ in range(2)]
    try:
        for racer in racers:
            racer.go()
        return [racer.finish() for racer in racers]
    finally:
        for racer in racers:
            racer.kill()


@pytest.mark.slow  # two CLI processes
def test_two_processes_firing_the_same_trigger_at_once_one_wins_and_the_other_exits_3(db):
    case_id = _case_in_lost_contact(db)
    mark_migrated(db)
    version = _version(db, case_id)

    results = _start_search_twice_from_two_processes(db, case_id)

    winners = [r for r in results if r.returncode == 0]
    losers = [r for r in results if r.returncode != 0]
    assert len(winners) == 1 and len(losers) == 1, [(r.returncode, r.stderr) for r in results]
    assert "lost_contact → searching" in winners[0].stdout
    loser = losers[0]
    assert loser.returncode == 3, loser.stderr
    # refused either as a stale write (both read the case before either wrote) or by the new state
    assert ("changed by someone else" in loser.stderr or "cannot start_search" in loser.stderr), loser.stderr
    assert "Traceback" not in loser.stderr
    assert _history(db, case_id) == ["open", "start_search"]
    assert _version(db, case_id) == version + 1


def test_a_form_drawn_from_an_old_version_is_refused_as_a_conflict_and_changes_nothing(db):
    case_id = _case_in_lost_contact(db)
    drawn_from = _version(db, case_id)  # two users open the same case page
    first = fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=SEARCHED,
                 expected_version=drawn_from)
    assert first.version == drawn_from + 1

    with pytest.raises(Conflict) as refused:
        fire(db, case_id, "void", actor_login="reviewer1", today=TODAY, at=SEARCHED, opinion="误登记",
             expected_version=drawn_from)

    assert refused.value.exit_code == 3
    assert "changed by someone else" in refused.value.en
    assert _history(db, case_id) == ["open", "start_search"]
    assert show_case(db, case_id, today=TODAY)["state"] == "searching"
    assert _version(db, case_id) == first.version


@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_on_postgresql_two_transactions_that_read_the_same_version_cannot_both_write_it(db):
    case_id = _case_in_lost_contact(db)
    version = _version(db, case_id)

    def start_search():
        return fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=SEARCHED)

    with HoldAtFirstWrite(db.engine, "UPDATE CASES"), ThreadPoolExecutor(2) as pool:
        outcomes = [future.result(timeout=120) for future in [pool.submit(outcome, start_search) for _ in range(2)]]

    written = [o for o in outcomes if not isinstance(o, Refused)]
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(written) == 1 and len(conflicts) == 1, outcomes
    assert written[0].version == version + 1
    assert _history(db, case_id) == ["open", "start_search"]
    assert _version(db, case_id) == version + 1


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_on_sqlite_a_second_writer_waits_for_the_first_and_is_refused_by_what_it_wrote(db):
    case_id = _case_in_lost_contact(db)
    version = _version(db, case_id)
    first_holds, release_first, second_begins = threading.Event(), threading.Event(), threading.Event()

    def hold_the_first_and_watch_the_second(conn, cursor, statement, parameters, context, executemany):
        me = threading.current_thread().name
        if me == "first" and statement.lstrip().upper().startswith("UPDATE CASES"):
            first_holds.set()  # the first has read the case and holds the write lock
            assert release_first.wait(60)
        if me == "second" and statement == "BEGIN IMMEDIATE":
            second_begins.set()  # the second asks for the write lock the first holds

    def start_search(outcomes: dict):
        outcomes[threading.current_thread().name] = outcome(
            lambda: fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=SEARCHED))

    outcomes: dict = {}
    event.listen(db.engine, "before_cursor_execute", hold_the_first_and_watch_the_second)
    try:
        first = threading.Thread(target=start_search, args=(outcomes,), name="first")
        second = threading.Thread(target=start_search, args=(outcomes,), name="second")
        first.start()
        assert first_holds.wait(60)
        second.start()
        assert second_begins.wait(60)
        release_first.set()
        first.join(120)
        second.join(120)
    finally:
        event.remove(db.engine, "before_cursor_execute", hold_the_first_and_watch_the_second)

    assert outcomes["first"].to_state == "searching"
    assert isinstance(outcomes["second"], Refused) and not isinstance(outcomes["second"], Conflict)
    assert "cannot start_search" in outcomes["second"].en  # it read the case only after the first committed
    assert _history(db, case_id) == ["open", "start_search"]
    assert _version(db, case_id) == version + 1
