"""The sweep-run log: a run whose process died (SIGKILL, power loss) never says so itself; the next run
marks it abandoned once it has shown no sign of life for longer than any step takes, and says so."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from lostcontact.services.sweep import start_run
from lostcontact.services.sweep.runs import STALE_AFTER
from lostcontact.uow import UnitOfWork
from models import SweepRun
from models.base import utcnow
from tests.builders import build_world
from workflows.orchestration import run_in_process


def last_seen(db, run_id: int, ago: timedelta) -> None:
    """As if the run's process had died `ago` (heartbeat and start moved back, no sleeping)."""
    with UnitOfWork(db) as uow:
        back = utcnow() - ago
        uow.session.execute(update(SweepRun).where(SweepRun.id == run_id).values(started_at=back, heartbeat_at=back))
        uow.commit()


def statuses(db) -> dict[int, tuple[str, str | None]]:
    with UnitOfWork(db, write=False) as uow:
        return {i: (s, e) for i, s, e in uow.session.execute(select(SweepRun.id, SweepRun.status, SweepRun.error))}


def test_a_run_killed_mid_way_is_marked_abandoned_by_the_next_run(db):
    build_world(db).add_member("甲", branch="B1", last_contact=date(2015, 9, 20))
    killed = start_run(db, date(2016, 3, 1), "in-process").run_id  # started, then its process was killed
    last_seen(db, killed, STALE_AFTER + timedelta(minutes=1))
    report = run_in_process(db, date(2016, 3, 1))
    assert report.counts["abandoned_runs"] == 1
    status, error = statuses(db)[killed]
    assert status == "abandoned" and "abandoned" in error
    assert statuses(db)[report.run_id][0] == "completed"
    assert "abandoned_runs" not in run_in_process(db, date(2016, 3, 2)).counts  # marked once


def test_a_running_run_with_a_recent_sign_of_life_is_left_running(db):
    build_world(db)
    live = start_run(db, date(2016, 3, 1), "in-process").run_id  # another process, still sweeping
    last_seen(db, live, STALE_AFTER - timedelta(minutes=5))
    report = run_in_process(db, date(2016, 3, 1))
    assert "abandoned_runs" not in report.counts
    assert statuses(db)[live][0] == "running"


def test_each_committed_step_is_a_sign_of_life(db):
    build_world(db)
    report = run_in_process(db, date(2016, 3, 1))
    with UnitOfWork(db, write=False) as uow:
        run = uow.session.get(SweepRun, report.run_id)
        assert run.heartbeat_at is not None and run.heartbeat_at > run.started_at
