"""The daily sweep shared by several Prefect workers.

`shared_sweep` starts a run, records its partitions, starts `workers` runs of the `sweep-worker`
deployment (each claims partitions until none is left: lostcontact/services/sweep/claims.py), waits for
them, sweeps whatever is still pending itself (a worker that died leaves its partition pending), then the
whole-tree rules and the notices, exactly as the one-process sweep does (workflows/orchestration.py).

    python -m workflows.scaleout deploy --pool lostcontact    deploy both flows from this checkout
    python -m workflows.scaleout work RUN_ID                    be one worker of a run, in this process
    python -m workflows.scaleout run [--as-of DAY] [--workers N]  start the shared sweep and wait for it
"""
from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from lostcontact.config import Settings
from lostcontact.services.sweep import RunPlan
from lostcontact.services.sweep.claims import (open_partitions, partition_totals, sweep_until_none_left,
                                               worker_name)

from .orchestration import run_sweep
from .sweep import _db, notices_task, sweep_system_task

ROOT = Path(__file__).resolve().parent.parent
WORKER_DEPLOYMENT = "sweep-worker/sweep-worker"
SHARED_DEPLOYMENT = "shared-sweep/shared-sweep"


# Retries are safe: an unfinished partition rolled back and is pending again (the database restarted,
# the connection dropped); a finished one is never claimed again.
@task(name="sweep-claimed-partitions", retries=5, retry_delay_seconds=3, cache_policy=NONE)
def sweep_claimed_partitions(run_id: int, worker: str, wait: bool = False) -> list[str]:
    return [swept.org_code for swept in sweep_until_none_left(_db(), run_id, worker, wait=wait)]


@flow(name="sweep-worker")
def sweep_worker(run_id: int) -> list[str]:
    """One worker of a shared run: claims and sweeps partitions until none is left; returns their codes."""
    swept = sweep_claimed_partitions(run_id, worker_name())
    get_run_logger().info("run %s: swept %s partitions %s", run_id, len(swept), swept)
    return swept


def _await_flow_runs(flow_run_ids: list, poll_s: float = 1.0, max_wait_s: float = 1800.0) -> None:
    """Until the worker runs end, or `max_wait_s`: a run whose worker machine vanished may stay `Running`
    for ever, and the coordinator can safely sweep what it left (the claims never sweep a partition twice)."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + max_wait_s
    with get_client(sync_client=True) as client:
        waiting = list(flow_run_ids)
        while waiting and time.monotonic() < deadline:
            waiting = [fid for fid in waiting if not client.read_flow_run(fid).state.is_final()]
            if waiting:
                time.sleep(poll_s)


def fan_out(workers: int):
    """The shared step for run_sweep: `workers` worker flow runs, then this process sweeps what is left."""
    def share(plan: RunPlan) -> dict:
        from prefect.deployments import run_deployment

        db = _db()
        open_partitions(db, plan.run_id, plan.partitions)
        started = [run_deployment(WORKER_DEPLOYMENT, parameters={"run_id": plan.run_id}, timeout=0).id
                   for _ in range(workers)]
        _await_flow_runs(started)
        sweep_claimed_partitions(plan.run_id, f"coordinator:{worker_name()}", wait=True)
        return partition_totals(db, plan.run_id)
    return share


@flow(name="shared-sweep")
def shared_sweep(as_of: date | None = None, workers: int = 2, max_partitions: int | None = None) -> dict:
    """Rules R1–R10 as of `as_of`, the partitions shared by `workers` runs of the sweep-worker deployment."""
    day = as_of or Settings.from_env().today()
    report = run_sweep(_db(), day, mode="prefect", partition_step=None, system_step=sweep_system_task,
                       notice_step=notices_task, max_partitions=max_partitions, share_partitions=fan_out(workers))
    get_run_logger().info("shared sweep as of %s: %s partitions, counts %s", day, report.partitions, report.counts)
    return report.as_dict()


def deploy(pool: str) -> list[str]:
    """Both flows as deployments of the process work pool `pool`, run from this checkout's source; the
    shared sweep every morning at 06:00 Asia/Shanghai (as `lostcontact schedule` does the one-process one)."""
    from prefect.schedules import Cron

    from .deployments import DAILY_CRON, TIMEZONE

    ids = []
    for one_flow, name, schedule in ((sweep_worker, "sweep-worker", None),
                                     (shared_sweep, "shared-sweep", Cron(DAILY_CRON, timezone=TIMEZONE))):
        source = one_flow.from_source(source=str(ROOT), entrypoint=f"workflows/scaleout.py:{one_flow.fn.__name__}")
        ids.append(str(source.deploy(name=name, work_pool_name=pool, schedule=schedule, print_next_steps=False)))
    return ids


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m workflows.scaleout")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("deploy").add_argument("--pool", default="lostcontact")
    sub.add_parser("work").add_argument("run_id", type=int)
    run = sub.add_parser("run")
    run.add_argument("--as-of", type=date.fromisoformat)
    run.add_argument("--workers", type=int, default=2)
    run.add_argument("--max-partitions", type=int)
    args = parser.parse_args(argv)
    if args.command == "deploy":
        print(json.dumps({"deployments": deploy(args.pool)}))
    elif args.command == "work":
        swept = sweep_until_none_left(_db(), args.run_id)
        print(json.dumps({"run_id": args.run_id, "swept": [s.org_code for s in swept]}), flush=True)
    else:
        from prefect.deployments import run_deployment

        params = {"as_of": (args.as_of or Settings.from_env().today()).isoformat(), "workers": args.workers,
                  "max_partitions": args.max_partitions}
        finished = run_deployment(SHARED_DEPLOYMENT, parameters=params, timeout=None, poll_interval=1)
        print(json.dumps({"flow_run": str(finished.id), "state": finished.state.type.value}))
        if not finished.state.is_completed():
            raise SystemExit(1)


if __name__ == "__main__":
    main()
