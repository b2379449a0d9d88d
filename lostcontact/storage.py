"""Where the bytes of 佐证材料 live: outside the database rows, behind one small interface.

    storage = storage_for(db)         # chosen by the environment (docs/attachments.md)
    storage.put(key, stream)          # the whole object appears under `key`, or nothing does
    with storage.open(key) as f: ...  # a readable binary stream
    storage.exists(key)
    storage.objects()                 # every object stored, with when it was written (to find orphans)
    storage.delete(key)               # only for an object no row refers to (services/orphan_files.py)

Two backends: a folder (by default one beside the SQLite database file, `<file>.attachments/`) and an
S3-compatible bucket (boto3, an optional extra: `pip install -e '.[s3]'`). Keys are chosen by the caller
(random, never a user's file name) and are plain `[0-9a-f/]` strings.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

from sqlalchemy.engine import make_url

from models.db import Database
from statemachines.errors import BadInput

DIR_ENV = "LOSTCONTACT_ATTACHMENTS_DIR"
BUCKET_ENV = "LOSTCONTACT_S3_BUCKET"
ENDPOINT_ENV = "LOSTCONTACT_S3_ENDPOINT"
PREFIX_ENV = "LOSTCONTACT_S3_PREFIX"
CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}$")
# a folder put's temporary file, left behind only when the process died before it could remove it
_PARTIAL = re.compile(r"^[0-9a-f]{2}/\.[0-9a-f]{32}\.[0-9]+\.partial$")


@dataclass(frozen=True)
class StoredObject:
    key: str
    written_at: datetime  # timezone-aware


class Storage(Protocol):
    def put(self, key: str, stream: BinaryIO) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    def exists(self, key: str) -> bool: ...
    def objects(self) -> Iterator[StoredObject]: ...
    def delete(self, key: str) -> None: ...


def new_key() -> str:
    """A random key, fanned out over 256 folders: never derived from what the user typed."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}"


def _checked(key: str) -> str:
    if not _KEY.match(key):  # keys come from new_key(); anything else is a bug, never a path to follow
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FolderStorage:
    """Files under one folder. A put writes a temporary file in the same folder, flushes it to disk and
    renames it onto the key (atomic on POSIX), so a crash never leaves a half file under a key."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, stream: BinaryIO) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        try:
            with open(partial, "xb") as out:
                shutil.copyfileobj(stream, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        finally:
            if partial.exists():
                partial.unlink()

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def objects(self) -> Iterator[StoredObject]:
        """Every file under a key, and every temporary file a crashed put left (named by its folder and
        file name, which `delete` accepts): read a folder at a time, never the whole tree into memory."""
        if not self.root.is_dir():
            return
        with os.scandir(self.root) as folders:
            for folder in folders:
                if not folder.is_dir(follow_symlinks=False):
                    continue
                with os.scandir(folder.path) as files:
                    for entry in files:
                        name = f"{folder.name}/{entry.name}"
                        if (_KEY.match(name) or _PARTIAL.match(name)) and entry.is_file(follow_symlinks=False):
                            written = entry.stat(follow_symlinks=False).st_mtime
                            yield StoredObject(name, datetime.fromtimestamp(written, timezone.utc))

    def delete(self, key: str) -> None:
        name = key if _PARTIAL.match(key) else _checked(key)
        (self.root / name).unlink(missing_ok=True)

    def __repr__(self) -> str:
        return f"FolderStorage({str(self.root)!r})"


class S3Storage:
    """Objects in an S3-compatible bucket. One PUT (or a multipart upload, which S3 completes as a whole)
    makes the object appear complete or not at all, so no temporary key is needed."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, prefix: str = "", client=None):
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = client or _s3_client(endpoint_url)

    def _name(self, key: str) -> str:
        key = _checked(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, stream: BinaryIO) -> None:
        self.client.upload_fileobj(stream, self.bucket, self._name(key))

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def objects(self) -> Iterator[StoredObject]:
        """Every object under the prefix whose name is one of our keys (anything else in the bucket is
        not ours to judge), a page of a thousand at a time."""
        start = f"{self.prefix}/" if self.prefix else ""
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", ()):
                key = item["Key"][len(start):]
                if _KEY.match(key):
                    yield StoredObject(key, item["LastModified"])

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def __repr__(self) -> str:
        return f"S3Storage({self.bucket!r}, prefix={self.prefix!r})"


def _s3_client(endpoint_url: str | None):
    try:
        import boto3  # optional: only installations that store attachments in a bucket need it
    except ImportError:
        raise BadInput(f"已设置 {BUCKET_ENV}，但未安装 boto3：请执行 pip install -e '.[s3]'",
                       f"{BUCKET_ENV} is set but boto3 is not installed: pip install -e '.[s3]'") from None
    # credentials and region come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    # AWS_DEFAULT_REGION) or files, as boto3 reads them
    return boto3.client("s3", endpoint_url=endpoint_url or None)


@lru_cache(maxsize=8)
def _bucket(bucket: str, endpoint_url: str | None, prefix: str) -> S3Storage:
    return S3Storage(bucket, endpoint_url=endpoint_url, prefix=prefix)  # a client per process, not per request


def default_folder(db_url: str) -> Path | None:
    """`<database file>.attachments` for a SQLite file; None for a server database or an in-memory one."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve().with_name(Path(url.database).name + ".attachments")


def storage_for(db: Database) -> Storage:
    """The configured backend: a bucket when LOSTCONTACT_S3_BUCKET is set, else the folder of
    LOSTCONTACT_ATTACHMENTS_DIR, else the folder beside a SQLite database file."""
    bucket = os.environ.get(BUCKET_ENV)
    if bucket:
        return _bucket(bucket, os.environ.get(ENDPOINT_ENV) or None, os.environ.get(PREFIX_ENV, ""))
    folder = os.environ.get(DIR_ENV)
    if folder:
        return FolderStorage(Path(folder))
    beside = default_folder(db.url)
    if beside is None:
        raise BadInput(f"未配置佐证材料的存放位置：请设置 {DIR_ENV}（文件夹）或 {BUCKET_ENV}（对象存储）",
                       f"no attachment storage configured: set {DIR_ENV} (a folder) or {BUCKET_ENV} (a bucket)")
    return FolderStorage(beside)
