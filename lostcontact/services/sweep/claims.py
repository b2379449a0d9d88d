"""Sharing one sweep run between several workers.

The run's partitions become rows (`open_partitions`). A worker takes the first pending one with
`SELECT … FOR UPDATE SKIP LOCKED`, sweeps it and marks it done in the SAME transaction, so:

* two workers never sweep one partition: the second skips the row the first has locked, and once the
  first commits the row is no longer pending;
* a worker that dies mid-partition (SIGKILL, lost connection, database restart) never commits: its
  transaction rolls back, the row is pending again and the next worker takes it. No lease is needed,
  and nothing half-done is left behind (the alert and case inserts are exactly-once keyed besides).

On SQLite the write transaction takes the database lock up front (BEGIN IMMEDIATE), so workers queue
and the guarded `UPDATE … WHERE status = 'pending'` is the claim.
"""
from __future__ import annotations

import json
import os
import socket
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select, update

from models import SweepPartition
from models.base import utcnow
from models.db import Database

from ...uow import UnitOfWork
from . import apply_partition_rules, heartbeat


@dataclass(frozen=True)
class SweptPartition:
    org_code: str
    worker: str
    counts: dict[str, int]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def open_partitions(db: Database, run_id: int, org_codes: tuple[str, ...]) -> int:
    """Record the run's partitions as pending (again: a partition already recorded is kept as it is)."""
    with UnitOfWork(db) as uow:
        s = uow.session
        known = set(s.scalars(select(SweepPartition.org_code).where(SweepPartition.run_id == run_id)))
        s.add_all(SweepPartition(run_id=run_id, org_code=code, position=i, status="pending", counts="{}")
                  for i, code in enumerate(org_codes) if code not in known)
        uow.commit()
        return len(org_codes)


def sweep_next_partition(db: Database, run_id: int, worker: str | None = None, *,
                         wait: bool = False) -> SweptPartition | None:
    """Claim, sweep and finish one pending partition of the run in one transaction; None when none is left
    (or, unless `wait`, every pending one is being swept by another worker right now). With `wait`, a
    partition another worker holds is waited for: it ends done, or pending again if that worker died."""
    worker = worker or worker_name()
    with UnitOfWork(db) as uow:
        s = uow.session
        row = s.execute(select(SweepPartition.id, SweepPartition.org_code)
                        .where(SweepPartition.run_id == run_id, SweepPartition.status == "pending")
                        .order_by(SweepPartition.position).limit(1)
                        .with_for_update(skip_locked=not wait)).first()
        if row is None:
            return None
        counts = apply_partition_rules(s, run_id, row.org_code)
        done = s.execute(update(SweepPartition)
                         .where(SweepPartition.id == row.id, SweepPartition.status == "pending")
                         .values(status="done", worker=worker[:100], counts=json.dumps(counts, sort_keys=True),
                                 finished_at=utcnow()))
        if done.rowcount != 1:  # cannot happen under the lock; refuse to commit a second sweep if it did
            return None
        uow.commit()
    heartbeat(db, run_id)
    return SweptPartition(row.org_code, worker, counts)


def sweep_until_none_left(db: Database, run_id: int, worker: str | None = None, *,
                          wait: bool = False) -> list[SweptPartition]:
    """A worker's loop: claim partitions of the run until none is pending (with `wait`: until every
    partition is done, waiting out the partitions other workers hold — the coordinator's last pass)."""
    swept = []
    while True:
        partition = sweep_next_partition(db, run_id, worker, wait=wait)
        if partition is not None:
            swept.append(partition)
        elif not wait or not pending_partitions(db, run_id):
            return swept


def pending_partitions(db: Database, run_id: int) -> list[str]:
    with UnitOfWork(db, write=False) as uow:
        return list(uow.session.scalars(select(SweepPartition.org_code).where(
            SweepPartition.run_id == run_id, SweepPartition.status == "pending").order_by(SweepPartition.position)))


def partition_totals(db: Database, run_id: int) -> dict[str, int]:
    """The counts of every swept partition of the run, whoever swept it."""
    totals: Counter = Counter()
    with UnitOfWork(db, write=False) as uow:
        for counts in uow.session.scalars(select(SweepPartition.counts).where(
                SweepPartition.run_id == run_id, SweepPartition.status == "done")):
            totals.update(json.loads(counts))
    return dict(totals)


def partition_workers(db: Database, run_id: int) -> dict[str, str | None]:
    """org code -> the worker that swept it (None while pending)."""
    with UnitOfWork(db, write=False) as uow:
        return dict(uow.session.execute(select(SweepPartition.org_code, SweepPartition.worker)
                                        .where(SweepPartition.run_id == run_id)).all())
