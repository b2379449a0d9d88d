"""Running a sweep twice, or killing one half-way and running it again, leaves what one clean run leaves."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

import lostcontact.services.sweep as sweep_service
from lostcontact.uow import UnitOfWork
from models import SweepRun
from models.db import open_database
from tests.builders import build_world
from workflows.orchestration import run_in_process

from .helpers import days, state_of_the_world


def populate(world):
    for i, last in enumerate(days(date(2015, 6, 1), date(2015, 10, 15), 5)):
        world.add_member(f"成员{i}", branch=("B1", "B2", "B3")[i % 3], last_contact=last,
                         mobile=i % 4 == 0, away_since=last if i % 4 == 0 else None)


def run_days(db, first, last, **kw):
    for day in days(first, last, 3):
        run_in_process(db, day, **kw)


@pytest.mark.slow  # months of daily sweeps, twice
def test_a_sweep_run_twice_changes_nothing_the_second_time(db):
    populate(build_world(db))
    run_days(db, date(2016, 1, 1), date(2016, 4, 1))
    once = state_of_the_world(db)
    second = run_in_process(db, date(2016, 3, 31))
    again = run_in_process(db, date(2016, 4, 1))
    assert state_of_the_world(db) == once
    assert sum(v for k, v in again.counts.items() if k != "notices") == 0
    assert second.counts["R1"] == 0


SWEPT = list(days(date(2016, 1, 1), date(2016, 4, 1), 3))
CRASH = date(2016, 3, 4)  # the day one of the sweeps dies half-way


def swept_up_to_the_crash(db) -> None:
    """The members and the sweeps before the crash's day: the same in the clean run and in every crashed one."""
    populate(build_world(db))
    for day in SWEPT[:SWEPT.index(CRASH)]:
        run_in_process(db, day, max_partitions=3)


def before_the_crash(db, sqlite_snapshot) -> None:
    """`db` as `swept_up_to_the_crash` leaves it: on SQLite a copy of the file built once a session (the
    same builder run once instead of once a test), on PostgreSQL built in place."""
    if db.engine.dialect.name != "sqlite":
        swept_up_to_the_crash(db)
        return
    path = Path(db.engine.url.database)
    db.dispose()
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    sqlite_snapshot("exactly-once-before-the-crash", swept_up_to_the_crash).copy_to(path)


@pytest.fixture(scope="module")
def one_clean_run(tmp_path_factory, sqlite_snapshot):
    """What the months of sweeps leave when nothing fails: the same for every engine and failing rule."""
    clean = open_database(sqlite_snapshot("exactly-once-before-the-crash", swept_up_to_the_crash)
                          .copy_to(tmp_path_factory.mktemp("clean") / "clean.db"))
    try:
        for day in SWEPT[SWEPT.index(CRASH):]:
            run_in_process(clean, day, max_partitions=3)
        return state_of_the_world(clean)
    finally:
        clean.dispose()


@pytest.mark.slow  # months of sweeps, one of them killed half-way
@pytest.mark.parametrize("failing_rule", ["R5", "R2"])
def test_a_sweep_killed_half_way_then_run_again_equals_one_clean_run(db, monkeypatch, failing_rule, one_clean_run,
                                                                    sqlite_snapshot):
    before_the_crash(db, sqlite_snapshot)

    rules = list(sweep_service.PARTITION_RULES)
    calls = {"n": 0}

    def crash(ctx):
        calls["n"] += 1
        if calls["n"] == 2:  # the second partition dies in the middle of its transaction
            raise RuntimeError("injected failure")
        return dict(rules)[failing_rule](ctx)

    for day in SWEPT[SWEPT.index(CRASH):]:
        if day == CRASH:
            monkeypatch.setattr(sweep_service, "PARTITION_RULES",
                                [(n, crash if n == failing_rule else r) for n, r in rules])
            with pytest.raises(RuntimeError):
                run_in_process(db, day, max_partitions=3)
            monkeypatch.setattr(sweep_service, "PARTITION_RULES", rules)
        run_in_process(db, day, max_partitions=3)
    assert state_of_the_world(db) == one_clean_run
    with UnitOfWork(db, write=False) as uow:
        statuses = uow.session.scalars(select(SweepRun.status).where(SweepRun.as_of == CRASH)
                                       .order_by(SweepRun.id)).all()
    assert statuses == ["failed", "completed"]
