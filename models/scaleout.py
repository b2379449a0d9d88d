"""The partitions of one sweep run as rows, so that several workers can share the run: a worker claims a
pending partition, sweeps it and marks it done in ONE transaction (see lostcontact/services/sweep/claims.py)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SweepPartition(Base):
    """One org subtree of a sweep run: pending until the transaction that swept it commits as done."""
    __tablename__ = "sweep_partitions"
    __table_args__ = (UniqueConstraint("run_id", "org_code"),
                      Index("ix_sweep_partitions_run_status", "run_id", "status", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sweep_runs.id"))
    org_code: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]                                   # the plan's order: bigger subtrees are not reordered
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending / done
    worker: Mapped[str | None] = mapped_column(String(100))  # who swept it (host:pid or a flow run)
    counts: Mapped[str] = mapped_column(Text, default="{}")   # JSON: rule -> count, for the run's totals
    finished_at: Mapped[datetime | None]
