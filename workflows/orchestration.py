"""One sweep run, the same whether its steps are Prefect tasks or plain calls: start and log the run,
sweep each partition, then the whole-tree rules, then the notices; record counts and duration, or the
failure (a failed run is simply run again: every step is idempotent)."""
from __future__ import annotations

import gc
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import Callable

from lostcontact.notices import SmtpSettings, build_notices, deliver_pending
from lostcontact.services.sweep import RunPlan, fail_run, finish_run, start_run, sweep_partition, sweep_system
from models.db import Database

PartitionStep = Callable[[int, str], dict]
SystemStep = Callable[[int], dict]
NoticeStep = Callable[[date], dict]
SharedStep = Callable[[RunPlan], dict]


@dataclass
class SweepReport:
    run_id: int
    as_of: date
    mode: str
    partitions: int
    counts: dict[str, int] = field(default_factory=dict)
    duration_s: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)  # rules (partitions + whole tree), notices

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "as_of": self.as_of.isoformat(), "mode": self.mode,
                "partitions": self.partitions, "counts": self.counts, "duration_s": round(self.duration_s, 3),
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


def run_sweep(db: Database, as_of: date, *, mode: str, partition_step: PartitionStep, system_step: SystemStep,
              notice_step: NoticeStep, max_partitions: int | None = None,
              share_partitions: SharedStep | None = None) -> SweepReport:
    """`share_partitions`, when given, sweeps all the plan's partitions at once (several workers claiming
    them: workflows/scaleout.py) and returns their totals, instead of `partition_step` one after another."""
    with heap_frozen():
        return _run_sweep(db, as_of, mode=mode, partition_step=partition_step, system_step=system_step,
                          notice_step=notice_step, max_partitions=max_partitions, share_partitions=share_partitions)


@contextmanager
def heap_frozen():
    """The objects alive when a run starts (the modules, the mapped classes, SQLAlchemy's caches: most of the
    process) kept out of the garbage collector's full collections for the run's length. They are not
    garbage, yet a full collection walks every one of them: at 1M members the alert lines the notices read
    set one off, which cost about a seventh of the run's CPU. Collections of what the run itself allocates
    go on as usual; the objects are handed back to the collector afterwards (a long-lived process, a
    Prefect worker, keeps collecting them).

    The freeze is process-wide, so overlapping runs in one process (threads of a worker) share it: the
    first run in freezes, the last one out unfreezes. Were each run to unfreeze on its own, the first to end
    would hand every object back to the collector while the others still run."""
    global _frozen_runs
    with _freeze_lock:
        if _frozen_runs == 0:
            gc.freeze()
        _frozen_runs += 1
    try:
        yield
    finally:
        with _freeze_lock:
            _frozen_runs -= 1
            if _frozen_runs == 0:
                gc.unfreeze()


_freeze_lock = threading.Lock()
_frozen_runs = 0  # runs inside heap_frozen() now, in this process


def _run_sweep(db: Database, as_of: date, *, mode: str, partition_step: PartitionStep, system_step: SystemStep,
               notice_step: NoticeStep, max_partitions: int | None, share_partitions: SharedStep | None
               ) -> SweepReport:
    started = perf_counter()
    plan = start_run(db, as_of, mode, max_partitions)
    totals: Counter = Counter({"abandoned_runs": len(plan.abandoned_runs)} if plan.abandoned_runs else {})
    seconds = {}
    try:
        if share_partitions is not None:
            totals.update(share_partitions(plan))
        for code in plan.partitions if share_partitions is None else ():
            totals.update(partition_step(plan.run_id, code))
        totals.update(system_step(plan.run_id))
        seconds["rules"] = perf_counter() - started
        totals.update(notice_step(as_of))
        seconds["notices"] = perf_counter() - started - seconds["rules"]
    except BaseException as exc:
        fail_run(db, plan.run_id, f"{type(exc).__name__}: {exc}", dict(totals), perf_counter() - started)
        raise
    report = SweepReport(plan.run_id, as_of, mode, len(plan.partitions), dict(totals), perf_counter() - started,
                         seconds)
    finish_run(db, plan.run_id, report.counts, report.duration_s)
    return report


def notices_for(db: Database, as_of: date, smtp: SmtpSettings | None) -> dict[str, int]:
    return {"notices": build_notices(db, as_of), **deliver_pending(db, smtp)}


def run_in_process(db: Database, as_of: date, *, smtp: SmtpSettings | None = None,
                   max_partitions: int | None = None) -> SweepReport:
    """The daily flow without Prefect: no server, no start-up cost (`lostcontact sweep` without
    PREFECT_API_URL, the demo, the tests)."""
    return run_sweep(db, as_of, mode="in-process",
                     partition_step=lambda run_id, code: sweep_partition(db, run_id, code),
                     system_step=lambda run_id: sweep_system(db, run_id),
                     notice_step=lambda day: notices_for(db, day, smtp), max_partitions=max_partitions)
