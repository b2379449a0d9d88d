"""A file stored for an upload whose row never committed (a crash between the two, or a folder put killed
half-way) is removed by `prune_orphan_files` once it is older than the grace period — in a folder and in a
bucket — while every file a row refers to, superseded ones included, and every file still young enough to
belong to an upload being saved, stays. A dry run lists and removes nothing. (The command: tests/cli/test_attachments_prune_command.py.)"""
from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from lostcontact.services.attachments import attach
from lostcontact.services.orphan_files import prune_orphan_files
from lostcontact.storage import FolderStorage, new_key, storage_for
from lostcontact.uow import UnitOfWork
from models.evidence import Attachment
from statemachines.errors import UsageError

from .conftest import TODAY
from .files import JPEG, PDF

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)  # every file in these tests was written before it
LONG_AGO = NOW - timedelta(days=3)


def aged(folder, key: str, at: datetime) -> None:
    os.utime(folder / key, (at.timestamp(), at.timestamp()))


def stored_keys(db) -> list[str]:
    with UnitOfWork(db, write=False) as uow:
        return sorted(uow.session.scalars(select(Attachment.storage_key)))


def a_crashed_upload(storage, data: bytes = PDF) -> str:
    """What a crash between storing the bytes and committing the row leaves: a file under a fresh key."""
    key = new_key()
    storage.put(key, io.BytesIO(data))
    return key


def test_an_old_file_with_no_row_goes_and_every_file_a_row_names_stays(db, files, b1_case):
    first = attach(db, b1_case, io.BytesIO(PDF), "记录.pdf", actor_login="officer1", today=TODAY)
    attach(db, b1_case, io.BytesIO(JPEG), "记录.jpg", actor_login="officer1", today=TODAY, replaces=first)
    storage = storage_for(db)
    orphan = a_crashed_upload(storage)
    for found in storage.objects():
        aged(files, found.key, LONG_AGO)

    report = prune_orphan_files(db, now=NOW)

    assert report.orphans == [orphan] and report.checked == 3 and not storage.exists(orphan)
    assert sorted(o.key for o in storage.objects()) == stored_keys(db)  # the file and the one it replaced


def test_a_file_younger_than_the_grace_period_is_not_judged(db, files, b1_case):
    storage = storage_for(db)
    recent, old = a_crashed_upload(storage), a_crashed_upload(storage)
    aged(files, recent, NOW - timedelta(hours=23))
    aged(files, old, NOW - timedelta(hours=25))

    report = prune_orphan_files(db, now=NOW, older_than=timedelta(hours=24))

    assert report.orphans == [old] and report.too_recent == 1
    assert storage.exists(recent) and not storage.exists(old)


def test_a_dry_run_lists_the_orphans_and_removes_nothing(db, files, b1_case):
    storage = storage_for(db)
    orphan = a_crashed_upload(storage)
    aged(files, orphan, LONG_AGO)
    report = prune_orphan_files(db, now=NOW, dry_run=True)
    assert report.orphans == [orphan] and report.as_dict()["removed"] == 0 and storage.exists(orphan)


def test_a_grace_period_under_an_hour_is_refused_since_an_upload_may_still_be_saving(db, files, b1_case):
    storage = storage_for(db)
    orphan = a_crashed_upload(storage)
    with pytest.raises(UsageError, match="at least 1 hour"):
        prune_orphan_files(db, now=NOW, older_than=timedelta(minutes=30))
    assert storage.exists(orphan)


def test_a_half_written_file_of_a_killed_put_goes_too(db, files, b1_case):
    storage = storage_for(db)
    key = a_crashed_upload(storage)
    partial = f"{key[:2]}/.{key[3:]}.4242.partial"
    (files / partial).write_bytes(b"%PDF-half")
    aged(files, partial, LONG_AGO)
    aged(files, key, LONG_AGO)
    report = prune_orphan_files(db, now=NOW)
    assert sorted(report.orphans) == sorted([key, partial]) and list(storage.objects()) == []


def test_files_that_are_not_ours_are_never_touched(tmp_path):
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "notes.txt").write_text("an operator's file")
    (tmp_path / "README").write_text("kept")
    assert list(FolderStorage(tmp_path).objects()) == []
    with pytest.raises(ValueError):
        FolderStorage(tmp_path).delete("ab/notes.txt")


def test_in_a_bucket_an_old_object_with_no_row_goes(db, b1_case, bucket):
    attach(db, b1_case, io.BytesIO(PDF), "记录.pdf", actor_login="officer1", today=TODAY)
    storage = storage_for(db)
    orphan = a_crashed_upload(storage)
    bucket.put_object(Bucket="lostcontact-evidence", Key="someone-else/report.pdf", Body=b"not ours")

    too_soon = prune_orphan_files(db, now=datetime.now(timezone.utc))  # everything was written just now
    report = prune_orphan_files(db, now=datetime.now(timezone.utc) + timedelta(days=2))

    assert too_soon.orphans == [] and too_soon.too_recent == 2
    assert report.orphans == [orphan] and report.checked == 2 and not storage.exists(orphan)
    names = sorted(o["Key"] for o in bucket.list_objects_v2(Bucket="lostcontact-evidence")["Contents"])
    assert len(names) == 2 and "someone-else/report.pdf" in names
