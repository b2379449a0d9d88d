"""Tally snapshots (R10): what an org reported at a campaign milestone, frozen with its as-of date."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Milestone, Org, TallySnapshot
from models.db import Database
from statemachines.errors import BadInput

from ..permissions import OPERATOR
from ..queries.tally import compute_tally, tally_root
from ..uow import UnitOfWork
from .dates import check_as_of


def freeze_tally(session: Session, *, org_id: int, as_of: date, submission_id: int | None) -> int:
    """Compute the org's tally as of `as_of` and store it; returns the snapshot id. No commit: the
    caller's unit of work (e.g. `campaign submit`) owns the transaction, so the submission and its
    figures are kept together or not at all."""
    org = session.get(Org, org_id)
    if org is None:
        raise BadInput(f"未知组织编号 {org_id}", f"unknown org id {org_id}")
    tree = compute_tally(session, org, as_of)
    snapshot = TallySnapshot(org_id=org_id, as_of=as_of, submission_id=submission_id,
                             tree=json.dumps(tree.as_json(as_of), ensure_ascii=False, sort_keys=True))
    session.add(snapshot)
    session.flush()
    return snapshot.id


@dataclass(frozen=True)
class StoredTally:
    snapshot_id: int
    org: str
    as_of: date
    tree: dict  # the `tally --format json` shape: org codes and counts only


def store_tally(db: Database, *, today: date, org_code: str | None = None, as_of: date | None = None,
                submission_id: int | None = None) -> StoredTally:
    """Freeze the tally of an org (default: the whole tree) as of a date in its own unit of work — what the
    `disposition_tally` flow runs."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db) as uow:
        s = uow.session
        root = tally_root(s, OPERATOR, org_code)
        snapshot_id = freeze_tally(s, org_id=root.id, as_of=day, submission_id=submission_id)
        tree = json.loads(s.get(TallySnapshot, snapshot_id).tree)
        uow.commit()
        return StoredTally(snapshot_id, root.code, day, tree)


def milestone_orgs(db: Database, day: date) -> list[str]:
    """The codes of the orgs owing a milestone due on `day` whose tally as of that day is not yet frozen
    by the schedule (so a rerun of the day freezes nothing twice)."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        levels = s.scalars(select(Milestone.level).where(Milestone.due_on == day).distinct()).all()
        if not levels:
            return []
        frozen = select(TallySnapshot.org_id).where(TallySnapshot.as_of == day, TallySnapshot.submission_id.is_(None))
        return list(s.scalars(select(Org.code).where(Org.level.in_(levels), Org.id.not_in(frozen)).order_by(Org.code)))
