"""Two workers share one sweep run's partitions: no partition is swept twice, and a partition whose worker
died (SIGKILL inside its transaction) is swept by another worker, the run ending as one clean run does."""
from __future__ import annotations

import json
import signal

import pytest

from lostcontact.services.sweep import start_run, sweep_system
from lostcontact.services.sweep.claims import (open_partitions, partition_totals, partition_workers,
                                               pending_partitions, sweep_until_none_left)
from tests.workflows.helpers import state_of_the_world
from workflows.orchestration import run_sweep

from .world import AS_OF, PARTITIONS, fire, populate, start_worker



@pytest.mark.slow  # two worker processes
def test_two_worker_processes_sweep_every_partition_exactly_once(db):
    populate(db)
    plan = start_run(db, AS_OF, "in-process", PARTITIONS)
    open_partitions(db, plan.run_id, plan.partitions)
    workers = [start_worker(db, plan.run_id) for _ in range(2)]
    for worker in workers:
        fire(worker)
    swept = []
    for worker in workers:
        out, err = worker.communicate(timeout=90)
        assert worker.returncode == 0, err
        swept.append(json.loads(out.strip().splitlines()[-1])["swept"])
    assert sorted(swept[0] + swept[1]) == sorted(plan.partitions)  # each partition by exactly one worker
    assert pending_partitions(db, plan.run_id) == []
    assert len(set(partition_workers(db, plan.run_id).values()) - {None}) == len([s for s in swept if s])
    assert partition_totals(db, plan.run_id)["R1"] == 9  # three cases opened in each branch, once


def test_a_second_claim_of_a_finished_run_sweeps_nothing(db):
    populate(db)
    plan = start_run(db, AS_OF, "in-process", PARTITIONS)
    open_partitions(db, plan.run_id, plan.partitions)
    first = sweep_until_none_left(db, plan.run_id, "first")
    open_partitions(db, plan.run_id, plan.partitions)  # recording the plan again keeps what was done
    assert [p.org_code for p in first] == list(plan.partitions)
    assert sweep_until_none_left(db, plan.run_id, "second", wait=True) == []
    assert set(partition_workers(db, plan.run_id).values()) == {"first"}


@pytest.mark.slow  # worker processes, one killed
@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_a_worker_killed_mid_partition_leaves_it_to_another_and_the_run_ends_like_a_clean_one(db, clean_sweep):
    populate(db)
    seen = {}

    def share_with_a_worker_that_dies(plan):
        open_partitions(db, plan.run_id, plan.partitions)
        doomed = start_worker(db, plan.run_id, pause=True)
        fire(doomed)
        assert doomed.stdout.readline().startswith("mid-partition")  # inside its first partition
        # SKIP LOCKED: the survivor sweeps every other partition and leaves the held one alone
        seen["while_held"] = [p.org_code for p in sweep_until_none_left(db, plan.run_id, "survivor")]
        seen["held"] = pending_partitions(db, plan.run_id)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
        seen["after_kill"] = [p.org_code for p in sweep_until_none_left(db, plan.run_id, "survivor",
                                                                        wait=True)]
        return partition_totals(db, plan.run_id)

    report = run_sweep(db, AS_OF, mode="in-process", partition_step=None,
                       system_step=lambda run_id: sweep_system(db, run_id), notice_step=lambda day: {},
                       max_partitions=PARTITIONS, share_partitions=share_with_a_worker_that_dies)
    assert len(seen["held"]) == 1 and seen["held"][0] not in seen["while_held"]
    assert seen["after_kill"] == seen["held"]
    assert sorted(seen["while_held"] + seen["after_kill"]) == sorted(report_partitions(db, report.run_id))
    assert set(partition_workers(db, report.run_id).values()) == {"survivor"}
    assert {k: v for k, v in report.counts.items() if k != "notices"} == \
        {k: v for k, v in clean_sweep.counts.items() if k in report.counts}
    assert state_of_the_world(db) == clean_sweep.state


def report_partitions(db, run_id: int) -> list[str]:
    return list(partition_workers(db, run_id))
