"""Faults under a running sweep, on PostgreSQL: a sweep process SIGKILLed half-way and then run again ends as
one clean run; the database restarted in the middle of a partition makes the flow retry and complete with
nothing lost."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import SweepPartition, SweepRun
from tests.conftest import UNDER_CI
from tests.pg import _pg_bin
from tests.workflows.helpers import state_of_the_world
from workflows.orchestration import run_in_process

from .world import AS_OF, PARTITIONS, ROOT, ThrowawayCluster, populate

pytestmark = pytest.mark.slow  # a sweep process killed half way; a cluster restarted under a flow

# A whole in-process sweep that stops inside its SECOND partition's transaction (the first is committed)
# and says so, waiting there to be killed.
HALF_WAY = textwrap.dedent("""
    import sys
    from datetime import date
    from lostcontact.services.sweep import PARTITION_RULES
    from models.db import open_database
    from workflows.orchestration import run_in_process
    partitions = []
    def pause(ctx):
        partitions.append(ctx.partition_path)
        if len(partitions) == 2:
            print("half-way", flush=True)
            sys.stdin.readline()
        return 0
    PARTITION_RULES.append(("paused", pause))
    run_in_process(open_database(sys.argv[1]), date.fromisoformat(sys.argv[2]), max_partitions=int(sys.argv[3]))
""")


@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_sweep_killed_half_way_then_run_again_ends_as_one_clean_run(db, clean_sweep):
    populate(db)
    sweep = subprocess.Popen([sys.executable, "-c", HALF_WAY, db.url, AS_OF.isoformat(), str(PARTITIONS)],
                             cwd=ROOT, env={**os.environ}, text=True, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert sweep.stdout.readline().strip() == "half-way", sweep.stderr.read()
    sweep.send_signal(signal.SIGKILL)
    sweep.wait(timeout=30)
    half = state_of_the_world(db)
    assert 0 < len(half["cases"]) < len(clean_sweep.state["cases"])  # really half-way
    again = run_in_process(db, AS_OF, max_partitions=PARTITIONS)
    assert state_of_the_world(db) == clean_sweep.state
    assert again.counts["R1"] == 9 - len(half["cases"])  # the rerun opens only what the killed one had not


@pytest.mark.postgresql
def test_the_database_restarted_under_a_running_sweep_makes_the_flow_retry_and_complete(
        clean_sweep, prefect_server, monkeypatch):
    from lostcontact.services.sweep import PARTITION_RULES
    from workflows.scaleout import shared_sweep

    if _pg_bin() is None:  # restarting needs a cluster of the test's own, not the shared server
        message = "restarting PostgreSQL needs its binaries (pg_ctl)"
        pytest.fail(message) if UNDER_CI else pytest.skip(f"SKIPPED (not a pass): {message}")
    cluster = ThrowawayCluster()
    try:
        db = cluster.fresh_database()
        populate(db)
        monkeypatch.setenv("LOSTCONTACT_DB", db.url)
        restarts = []

        def restart_the_database_once(ctx):
            if not restarts:
                restarts.append(ctx.partition_path)
                cluster.restart()  # this transaction's connection dies with the server
            return 0

        monkeypatch.setattr("lostcontact.services.sweep.PARTITION_RULES",
                            [*PARTITION_RULES, ("restart", restart_the_database_once)])
        result = shared_sweep(as_of=AS_OF, workers=0, max_partitions=PARTITIONS)
        assert len(restarts) == 1
        assert result["counts"]["R1"] == 9
        with UnitOfWork(db, write=False) as uow:
            runs = uow.session.execute(select(SweepRun.status)).scalars().all()
            pending = uow.session.scalars(select(SweepPartition.org_code)
                                          .where(SweepPartition.status != "done")).all()
        assert runs == ["completed"] and pending == []
        assert state_of_the_world(db) == clean_sweep.state
        db.dispose()
    finally:
        cluster.stop()
