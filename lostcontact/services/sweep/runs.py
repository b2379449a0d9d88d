"""The sweep-run log: each run records its as-of day, how it ran, its counts per rule and its duration,
and the high-water marks the next run uses to look only at what changed since."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from models import Alert, CalendarVersion, CaseEvent, Deadline, Member, MemberChange, Org, SweepRun
from models.base import utcnow
from models.db import Database
from statemachines.errors import BadInput

from ...orgtree import org_by_code
from ..alert_closing import ClosedBefore
from ...policies import policy_as_of
from ...uow import UnitOfWork
from .calendar import arrived_years
from .recipients import refresh_recipient_table, tree_fingerprint
from .context import Seen, SweepContext

MAX_PARTITIONS = 8
BRANCHES_PER_PARTITION = 200  # below this a partition costs more in statements than it saves


# A running run whose last step committed longer ago than this is taken for dead (its process killed or
# its machine gone): longer than any one partition takes, so a slow live run is never taken for dead.
STALE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class RunPlan:
    run_id: int
    as_of: date
    partitions: tuple[str, ...]  # org codes: each a subtree swept in one transaction
    abandoned_runs: tuple[int, ...] = ()  # stale runs this start marked abandoned


def partition_codes(session: Session, limit: int = MAX_PARTITIONS) -> tuple[str, ...]:
    """Subtrees covering every branch once: the roots, split level by level while at most `limit`."""
    frontier = session.execute(select(Org.id, Org.code).where(Org.parent_id.is_(None)).order_by(Org.id)).all()
    while True:
        children: dict[int, list] = {}
        for org_id, code, parent in session.execute(
                select(Org.id, Org.code, Org.parent_id).where(Org.parent_id.in_([o[0] for o in frontier]))
                .order_by(Org.id)):
            children.setdefault(parent, []).append((org_id, code))
        expanded = [child for org in frontier for child in children.get(org[0], [org])]
        if not children or len(expanded) > limit or len(frontier) >= limit:
            return tuple(code for _id, code in frontier)
        frontier = expanded


def default_partition_limit(session: Session) -> int:
    branches = session.scalar(select(func.count()).select_from(Org).where(Org.level == "branch"))
    return max(1, min(MAX_PARTITIONS, branches // BRANCHES_PER_PARTITION))


# The high-water marks, one statement: each an index's last entry.
_MARKED = {"max_member_id": Member.id, "max_member_change_id": MemberChange.id, "max_case_event_id": CaseEvent.id,
           "max_deadline_id": Deadline.id, "max_calendar_version_id": CalendarVersion.id}
_HIGH_WATER_MARKS = select(*(select(func.coalesce(func.max(column), 0)).scalar_subquery().label(name)
                             for name, column in _MARKED.items()))


def start_run(db: Database, as_of: date, mode: str, max_partitions: int | None = None) -> RunPlan:
    with UnitOfWork(db) as uow:
        s = uow.session
        now = utcnow()
        abandoned = abandon_stale_runs(s, now)
        marks = s.execute(_HIGH_WATER_MARKS).one()
        run = SweepRun(as_of=as_of, mode=mode, status="running", policy_version=policy_as_of(s, as_of).version,
                       **marks._asdict(), counts="{}", started_at=now, heartbeat_at=now)
        run.org_fingerprint = tree_fingerprint(s)
        s.add(run)
        s.flush()
        previous = previous_run(s, run)
        if previous is None or previous.org_fingerprint != run.org_fingerprint:
            refresh_recipient_table(s)
        plan = RunPlan(run.id, as_of, partition_codes(s, max_partitions or default_partition_limit(s)), abandoned)
        uow.commit()
        return plan


def abandon_stale_runs(session: Session, now: datetime, stale_after: timedelta = STALE_AFTER) -> tuple[int, ...]:
    """Mark `abandoned` every run still `running` with no sign of life since `now - stale_after`: a process
    killed mid-run (SIGKILL, power loss) never gets to say it failed. What it committed stays (every step
    is keyed, so the next run completes the work); only a completed run moves the incremental window."""
    stale = (SweepRun.status == "running", func.coalesce(SweepRun.heartbeat_at, SweepRun.started_at) < now - stale_after)
    ids = tuple(session.scalars(select(SweepRun.id).where(*stale).order_by(SweepRun.id)))
    if ids:
        session.execute(update(SweepRun).where(SweepRun.id.in_(ids), *stale).values(
            status="abandoned", finished_at=now,
            error=f"超过 {stale_after} 无响应，视为中断 / abandoned: no sign of life for over {stale_after}"))
    return ids


def beat(session: Session, run_id: int) -> None:
    """A sign of life, committed with the step that did the work."""
    session.execute(update(SweepRun).where(SweepRun.id == run_id, SweepRun.status == "running")
                    .values(heartbeat_at=utcnow()))


def heartbeat(db: Database, run_id: int) -> None:
    """A sign of life in its own short transaction: workers sweeping partitions of one run at once
    (PostgreSQL) must not hold the run's row locked for the length of a partition."""
    with UnitOfWork(db) as uow:
        beat(uow.session, run_id)
        uow.commit()


def previous_run(session: Session, run: SweepRun) -> SweepRun | None:
    return session.scalar(select(SweepRun).where(SweepRun.status == "completed", SweepRun.as_of <= run.as_of,
                                                 SweepRun.id != run.id)
                          .order_by(SweepRun.as_of.desc(), SweepRun.id.desc()).limit(1))


def closed_before(session: Session, run: SweepRun) -> ClosedBefore | None:
    """What the previous completed sweep closed, for `run` to close only what can have changed since
    (services.alert_closing): None (close looking at every open alert) without a previous run, and when
    another run may have raised alerts after the previous one closed — one started since (a failed run), or
    one still going or ending after the previous one started — or an alert was raised outside any run."""
    previous = previous_run(session, run)
    if previous is None:
        return None
    others = session.scalar(select(
        exists().where(SweepRun.id.not_in((run.id, previous.id)),
                       or_(SweepRun.id > previous.id, SweepRun.finished_at.is_(None),
                           SweepRun.finished_at >= previous.started_at))
        | exists().where(Alert.__table__.c.sweep_run_id.is_(None))))
    return None if others else ClosedBefore(previous.as_of, previous.max_case_event_id, previous.max_deadline_id)


def load_context(session: Session, run_id: int, org_code: str) -> SweepContext:
    run = session.get(SweepRun, run_id)
    if run is None:
        raise BadInput(f"未知督办运行 {run_id}", f"unknown sweep run {run_id}")
    policy = policy_as_of(session, run.as_of)
    previous = previous_run(session, run)
    same_policy = previous is not None and previous.policy_version == policy.version
    seen = Seen(previous.as_of, previous.max_member_id, previous.max_member_change_id, previous.max_case_event_id,
                previous.max_deadline_id) if same_policy else None
    loaded_years = calendar_years_loaded_since(session, previous)
    partition = org_by_code(session, org_code)
    whole_tree = partition.parent_id is None and len(session.scalars(
        select(Org.id).where(Org.parent_id.is_(None)).limit(2)).all()) == 1
    return SweepContext(session=session, as_of=run.as_of, policy=policy, partition_path=partition.path,
                        whole_tree=whole_tree, run_id=run.id, seen=seen,
                        recompute_policy=not same_policy,
                        recompute_provisional=bool(loaded_years or arrived_years(session, run.as_of)),
                        recount_calendar_years=loaded_years)


def calendar_years_loaded_since(session: Session, previous: SweepRun | None) -> tuple[int, ...]:
    """Years whose holiday data an operator loaded since the previous completed sweep started (every
    open due date is recounted anyway when there is none)."""
    if previous is None:
        return ()
    return tuple(session.scalars(select(CalendarVersion.year).distinct()
                                 .where(CalendarVersion.id > previous.max_calendar_version_id)
                                 .order_by(CalendarVersion.year)))


def finish_run(db: Database, run_id: int, counts: dict[str, int], duration_s: float) -> None:
    with UnitOfWork(db) as uow:
        run = uow.session.get(SweepRun, run_id)
        run.status, run.counts, run.duration_s, run.finished_at = ("completed", json.dumps(counts, sort_keys=True),
                                                                   duration_s, utcnow())
        uow.commit()


def fail_run(db: Database, run_id: int, error: str, counts: dict[str, int], duration_s: float) -> None:
    with UnitOfWork(db) as uow:
        run = uow.session.get(SweepRun, run_id)
        run.status, run.error, run.counts, run.duration_s, run.finished_at = (
            "failed", error[:2000], json.dumps(counts, sort_keys=True), duration_s, utcnow())
        uow.commit()
