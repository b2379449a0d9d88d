"""Two processes moving the same member, or one moving them while another opens a case by hand or the daily
sweep opens cases, on PostgreSQL: exactly one wins, the loser exits 3 (or 4 when the member left its
subtrees) with its two lines, and the member never ends at one branch with an open case at another."""
from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import select, text

from lostcontact.uow import UnitOfWork
from models import Case, Member, MemberChange, Org

from ..builders import build_world
from ..races import RacingCommand, mark_migrated, race_commands

pytestmark = [pytest.mark.postgresql, pytest.mark.slow, pytest.mark.parametrize("db", ["postgresql"], indirect=True)]
ROUNDS = 3  # where both are released together, each round may end the other way (one held first: one round)


def _transfer(id_number: str, to: str, actor: str) -> tuple[str, ...]:
    return ("member", "transfer", id_number, "--to", to, "--at", "2016-06-01", "--actor", actor)


def _open(id_number: str) -> tuple[str, ...]:
    return ("case", "open", id_number, "--at", "2016-06-01", "--actor", "officer1")


def _where(db, id_number: str) -> tuple[str, list[str], list[str]]:
    """The member's branch, the branches of their cases, and the moves in their history."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        member = s.scalar(select(Member).where(Member.id_number == id_number))
        code = s.scalar(select(Org.code).where(Org.id == member.branch_id))
        cases = s.scalars(select(Org.code).join(Case, Case.branch_id == Org.id).where(Case.member_id == member.id)).all()
        moves = s.scalars(select(MemberChange.new_value).where(MemberChange.member_id == member.id,
                                                               MemberChange.field == "branch_code")).all()
        return code, list(cases), list(moves)


@pytest.fixture
def world(db):
    world = build_world(db)
    mark_migrated(db)
    return world


def test_two_processes_moving_one_member_at_once_one_wins_and_the_other_exits_3(db, world):
    for serial in range(1, ROUNDS + 1):
        id_number = world.add_member(f"党员{serial}", branch="B1", serial=serial)
        results = race_commands(db.url, ("UPDATE MEMBERS", _transfer(id_number, "B2", "reviewer1")),
                                ("UPDATE MEMBERS", _transfer(id_number, "B3", "admin1")))
        codes = sorted(r.returncode for r in results)
        assert codes == [0, 3], [(r.returncode, r.stderr) for r in results]
        loser = next(r for r in results if r.returncode)
        assert "moved by someone else" in loser.stderr and "Traceback" not in loser.stderr
        winner = "B2" if results[0].returncode == 0 else "B3"
        assert _where(db, id_number) == (winner, [], [winner])


def test_a_transfer_racing_a_hand_opened_case_held_first_by_the_opening_is_refused_for_the_open_case(db, world):
    for serial in range(1, ROUNDS + 1):
        id_number = world.add_member(f"党员{serial}", branch="B1", last_contact=date(2015, 8, 31), serial=serial)
        opened, moved = race_commands(db.url, ("INSERT INTO CASES", _open(id_number)),
                                      ("UPDATE MEMBERS", _transfer(id_number, "B3", "admin1")))
        assert (opened.returncode, moved.returncode) == (0, 3), (opened.stderr, moved.stderr)
        assert "open case" in moved.stderr
        assert _where(db, id_number) == ("B1", ["B1"], [])


def _waits_for_a_lock(db) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND wait_event_type = 'Lock'")))


def _first_held_then_second(db, first: RacingCommand, second: RacingCommand):
    """Start `first` and hold it just before its write (its row locks taken, nothing committed), start `second`
    and let it run until it queues for a lock or ends, then release `first`: both results, first's first."""
    try:
        first.go()
        assert first.reached_its_write()
        second.go()
        deadline = time.monotonic() + 60
        while second.process.poll() is None and not _waits_for_a_lock(db) and time.monotonic() < deadline:
            pass  # the second either queues behind the first's lock or (unlocked) runs to its end
        first.go()
        return first.finish(), second.finish()
    finally:
        first.kill()
        second.kill()


def test_a_case_opened_while_a_transfer_holds_the_member_waits_and_then_finds_the_member_gone(db, world):
    id_number = world.add_member("党员", branch="B1", last_contact=date(2015, 8, 31), serial=1)
    moved, opened = _first_held_then_second(
        db, RacingCommand(db.url, *_transfer(id_number, "B3", "admin1"), hold_at="INSERT INTO MEMBER_CHANGES"),
        RacingCommand(db.url, *_open(id_number)))
    assert moved.returncode == 0, moved.stderr
    # the opening read the member only once the transfer had committed: at B3, outside officer1's subtree
    assert opened.returncode == 4 and "unknown ID number" in opened.stderr, opened.stderr
    assert _where(db, id_number) == ("B3", [], ["B3"])


def test_a_sweep_opening_cases_while_a_transfer_holds_the_member_opens_the_case_at_the_new_branch(db, world):
    id_number = world.add_member("党员", branch="B1", last_contact=date(2015, 8, 31), serial=1)
    moved, swept = _first_held_then_second(
        db, RacingCommand(db.url, *_transfer(id_number, "B3", "admin1"), hold_at="INSERT INTO MEMBER_CHANGES"),
        RacingCommand(db.url, "sweep", "--as-of", "2016-06-01"))
    assert moved.returncode == 0, moved.stderr
    assert swept.returncode == 0, swept.stderr
    # the sweep read the member once the transfer had committed, never at the branch they left: its
    # partition of the old branch no longer holds them, so the case opens at the new branch, that day or
    # (the member changed after the run began) on the next day's sweep
    code, cases, moves = _where(db, id_number)
    assert (code, moves) == ("B3", ["B3"]) and cases in ([], ["B3"])
    next_day = RacingCommand(db.url, "sweep", "--as-of", "2016-06-02")
    next_day.go()
    assert next_day.finish().returncode == 0
    assert _where(db, id_number) == ("B3", ["B3"], ["B3"])


def test_a_transfer_coming_after_a_sweep_has_taken_the_member_is_refused_for_the_open_case(db, world):
    id_number = world.add_member("党员", branch="B1", last_contact=date(2015, 8, 31), serial=1)
    swept, moved = _first_held_then_second(
        db, RacingCommand(db.url, "sweep", "--as-of", "2016-06-01", hold_at="INSERT INTO CASE_EVENTS"),
        RacingCommand(db.url, *_transfer(id_number, "B3", "admin1")))
    assert swept.returncode == 0, swept.stderr
    assert moved.returncode == 3 and "open case" in moved.stderr, moved.stderr
    assert _where(db, id_number) == ("B1", ["B1"], [])
