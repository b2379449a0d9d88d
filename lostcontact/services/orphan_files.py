"""Removing stored files that no attachment row refers to.

An upload stores its bytes first and writes its row after (services/attachments.py), so a crash, or a
refusal found only in the row's transaction, can leave a file with no row — and a folder put killed half-way
leaves its temporary file. Nothing else ever deletes a stored file: attachments are append-only, and a
replaced file keeps its row. So a file is an orphan when no row names its key, and it is removed only once
it is older than a grace period: an upload whose row is still being written is seconds old, and the grace
is hours (never under MIN_GRACE), so a file whose row may yet commit is never touched.

    report = prune_orphan_files(db, now=now, older_than=timedelta(hours=24), dry_run=True)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Iterable, Iterator

from sqlalchemy import select

from models.db import Database
from models.evidence import Attachment
from statemachines.errors import UsageError

from ..storage import Storage, StoredObject, storage_for
from ..uow import UnitOfWork

DEFAULT_GRACE = timedelta(hours=24)
MIN_GRACE = timedelta(hours=1)
BATCH = 1000  # keys looked up in one query (the unique index on storage_key)


@dataclass
class PruneReport:
    dry_run: bool
    older_than_hours: float
    checked: int = 0        # files looked at
    too_recent: int = 0     # younger than the grace period: not judged
    orphans: list[str] = field(default_factory=list)  # keys no row refers to (removed unless a dry run)

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "older_than_hours": self.older_than_hours, "checked": self.checked,
                "too_recent": self.too_recent, "orphans": len(self.orphans),
                "removed": 0 if self.dry_run else len(self.orphans), "keys": self.orphans}


def _batches(items: Iterable[StoredObject]) -> Iterator[list[StoredObject]]:
    items = iter(items)
    while batch := list(islice(items, BATCH)):
        yield batch


def prune_orphan_files(db: Database, *, now: datetime, older_than: timedelta = DEFAULT_GRACE, dry_run: bool = False,
                       storage: Storage | None = None) -> PruneReport:
    """Remove (or, in a dry run, only list) every stored file older than `older_than` at `now` (aware) that
    no attachment row refers to."""
    if older_than < MIN_GRACE:
        hours = MIN_GRACE / timedelta(hours=1)
        raise UsageError(f"文件存在时间至少为 {hours:g} 小时：更新的文件可能属于正在保存的上传",
                         f"the age must be at least {hours:g} hour(s): a newer file may belong to an upload "
                         f"still being saved", "--older-than")
    store = storage or storage_for(db)
    report = PruneReport(dry_run, older_than / timedelta(hours=1))
    cutoff = now - older_than
    for batch in _batches(store.objects()):
        report.checked += len(batch)
        old = [o.key for o in batch if o.written_at < cutoff]
        report.too_recent += len(batch) - len(old)
        if not old:
            continue
        with UnitOfWork(db, write=False) as uow:
            referred = set(uow.session.scalars(select(Attachment.storage_key).where(Attachment.storage_key.in_(old))))
        for key in old:
            if key not in referred:
                report.orphans.append(key)
                if not dry_run:
                    store.delete(key)
    return report
