"""The storage backends: a folder (the default beside a SQLite file) whose puts are all or nothing, and an
S3-compatible bucket (moto's in-process S3), chosen by the environment."""
from __future__ import annotations

import hashlib
import io
import sys

import pytest

from lostcontact import storage as storage_module
from lostcontact.queries.attachments import list_attachments, open_attachment
from lostcontact.services.attachments import attach
from lostcontact.storage import (BUCKET_ENV, DIR_ENV, ENDPOINT_ENV, FolderStorage, S3Storage, default_folder,
                                 new_key, storage_for)
from models.db import open_database
from statemachines.errors import BadInput

from .conftest import TODAY, stored_files
from .files import PDF, PNG


class Breaks(io.RawIOBase):
    """A stream that fails half-way, as a dropped upload or a full disk would."""

    def __init__(self):
        self.sent = False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.sent:
            raise OSError("connection lost")
        self.sent = True
        buffer[:4] = b"%PDF"
        return 4


def test_a_folder_put_that_fails_half_way_leaves_nothing_under_the_key(tmp_path):
    store, key = FolderStorage(tmp_path), new_key()
    with pytest.raises(OSError):
        store.put(key, Breaks())
    assert not store.exists(key) and stored_files(tmp_path) == []


def test_a_folder_put_stores_the_whole_stream_under_its_key(tmp_path):
    store, key = FolderStorage(tmp_path), new_key()
    store.put(key, io.BytesIO(PNG))
    assert store.exists(key)
    with store.open(key) as stream:
        assert stream.read() == PNG


def test_a_key_that_is_not_one_of_ours_is_never_followed(tmp_path):
    with pytest.raises(ValueError):
        FolderStorage(tmp_path).open("../../etc/passwd")


def test_the_default_folder_is_beside_a_sqlite_database_file(tmp_path, monkeypatch):
    monkeypatch.delenv(DIR_ENV, raising=False)
    monkeypatch.delenv(BUCKET_ENV, raising=False)
    db = open_database(f"sqlite:///{tmp_path / 'county.db'}")
    try:
        assert storage_for(db).root == tmp_path / "county.db.attachments"
    finally:
        db.dispose()
    assert default_folder("postgresql+psycopg2://u@h/db") is None


def test_a_server_database_without_a_configured_place_says_what_to_set(monkeypatch):
    monkeypatch.delenv(DIR_ENV, raising=False)
    monkeypatch.delenv(BUCKET_ENV, raising=False)
    db = open_database("postgresql+psycopg2://nobody@127.0.0.1:1/none")  # never connected
    with pytest.raises(BadInput, match=DIR_ENV):
        storage_for(db)
    monkeypatch.setenv(DIR_ENV, "/srv/lostcontact/attachments")
    assert storage_for(db).root.as_posix() == "/srv/lostcontact/attachments"


def test_a_bucket_without_boto3_installed_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "boto3", None)  # as if the s3 extra were not installed
    storage_module._bucket.cache_clear()
    monkeypatch.setenv(BUCKET_ENV, "evidence")
    with pytest.raises(BadInput, match=r"boto3 is not installed: pip install -e '.\[s3\]'"):
        storage_for(open_database("sqlite://"))
    storage_module._bucket.cache_clear()


def test_with_a_bucket_configured_attachments_go_to_the_bucket(db, b1_case, bucket):
    store = storage_for(db)
    assert isinstance(store, S3Storage)
    attachment_id = attach(db, b1_case, io.BytesIO(PDF), "会议记录.pdf", actor_login="officer1", today=TODAY)
    [key] = [o["Key"] for o in bucket.list_objects_v2(Bucket="lostcontact-evidence")["Contents"]]
    assert "会议记录" not in key and store.exists(key) and not store.exists(new_key())
    assert b"".join(open_attachment(db, b1_case, attachment_id, actor_login="officer1").chunks()) == PDF
    assert [r["sha256"] for r in list_attachments(db, b1_case, actor_login="officer1")] == [
        hashlib.sha256(PDF).hexdigest()]


def test_a_refused_file_puts_nothing_in_the_bucket(db, b1_case, bucket):
    with pytest.raises(BadInput):
        attach(db, b1_case, io.BytesIO(PNG), "伪装.pdf", actor_login="officer1", today=TODAY)
    assert bucket.list_objects_v2(Bucket="lostcontact-evidence").get("KeyCount") == 0
