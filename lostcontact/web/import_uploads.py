"""Import files uploaded in the browser, kept on the server between the dry run and the confirmation, so
that 确认导入 imports exactly the file that was checked and nothing is uploaded twice.

Each upload is a folder named by a random token (in a folder beside the database, or LOSTCONTACT_IMPORT_DIR)
holding the file under its own (cleaned) name and `.meta.json`: who uploaded it, its SHA-256, when, the
options and the outcome of each run. Only the uploader can reach it; it expires after KEEP; the file is
copied in chunks while hashed and counted, and refused past UPLOAD_LIMIT_BYTES."""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from sqlalchemy.engine import make_url

from statemachines.errors import BadInput, Conflict, UsageError

UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024
KEEP = timedelta(hours=1)
FOLDER_ENV = "LOSTCONTACT_IMPORT_DIR"
META = ".meta.json"
LOCK = ".confirming"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_CHUNK = 1 << 16
_NAME_CHARS = 120

# The same answer whether the token never existed, expired, was imported or is another user's.
NOT_FOUND = ("找不到这次上传的文件（可能已过期或已导入），请重新上传",
             "no such upload (it may have expired or been imported): upload the file again")


def uploads_folder(db_url: str) -> Path:
    configured = os.environ.get(FOLDER_ENV)
    if configured:
        return Path(configured)
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "import-uploads"
    return Path(tempfile.gettempdir()) / "lostcontact-import-uploads"


def clean_name(raw: str | None) -> str:
    """The uploaded file's own name, without any folder part or control character, not hidden, not too
    long; its extension kept (the importer reads .xlsx by it, as on the command line)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if name in ("", ".", ".."):
        name = "upload"
    if name.startswith("."):
        name = "_" + name
    if len(name) > _NAME_CHARS:
        stem, suffix = os.path.splitext(name)
        suffix = suffix[:16]
        name = stem[: _NAME_CHARS - len(suffix)] + suffix
    return name


def too_big() -> UsageError:
    mib = UPLOAD_LIMIT_BYTES // (1024 * 1024)
    return UsageError(f"文件超过 {mib} MB 的上限，请拆分后分批导入", f"the file is larger than the {mib} MB limit: split it")


@dataclass
class Upload:
    token: str
    folder: Path
    meta: dict

    @property
    def path(self) -> Path:
        return self.folder / self.meta["file_name"]

    @property
    def kind(self) -> str:
        return self.meta["kind"]

    @property
    def result(self) -> dict:
        return self.meta.get("result") or {}


class UploadStore:
    def __init__(self, root: Path, now: Callable[[], datetime]):
        self.root = root
        self.now = now

    def save(self, stream: BinaryIO, *, file_name: str | None, user_id: int, kind: str, encoding: str | None,
             sheet: str | None) -> Upload:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.purge_expired()
        token = secrets.token_urlsafe(24)
        folder = self.root / token
        folder.mkdir(mode=0o700)
        upload = Upload(token, folder, {"file_name": clean_name(file_name), "kind": kind, "user_id": user_id,
                                        "created_at": self.now().isoformat(), "encoding": encoding, "sheet": sheet})
        try:
            self._write_meta(upload)  # first: a folder without it is a leftover that purge_expired may remove
            upload.meta["sha256"], upload.meta["size"] = self._copy(stream, upload.path)
            self._write_meta(upload)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return upload

    @staticmethod
    def _copy(stream: BinaryIO, target: Path) -> tuple[str, int]:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > UPLOAD_LIMIT_BYTES:
                    raise too_big()
                digest.update(chunk)
                out.write(chunk)
        return digest.hexdigest(), size

    def get(self, token: str, user_id: int) -> Upload:
        """The user's own upload, not expired; else BadInput NOT_FOUND (the same for all of them)."""
        folder = self.root / token
        if not _TOKEN.fullmatch(token) or not folder.is_dir():
            raise BadInput(*NOT_FOUND)
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise BadInput(*NOT_FOUND) from None
        if self._expired(meta):
            shutil.rmtree(folder, ignore_errors=True)
            raise BadInput(*NOT_FOUND)
        if meta.get("user_id") != user_id:
            raise BadInput(*NOT_FOUND)
        return Upload(token, folder, meta)

    def record(self, upload: Upload, result: dict, *, keep_file: bool) -> None:
        """Keep the outcome of a run; the file itself only while it may still be imported."""
        upload.meta["result"] = result
        self._write_meta(upload)
        if not keep_file:
            upload.path.unlink(missing_ok=True)

    def unchanged(self, upload: Upload) -> bool:
        """The file is still the one that was checked (byte for byte)."""
        digest = hashlib.sha256()
        try:
            with upload.path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return secrets.compare_digest(digest.hexdigest(), upload.meta.get("sha256", ""))

    @contextmanager
    def confirming(self, upload: Upload) -> Iterator[None]:
        """One confirmation at a time: a second click while the first runs is refused, not run twice."""
        lock = upload.folder / LOCK
        try:
            os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise Conflict("该文件正在导入，请稍候刷新页面查看结果",
                           "this file is being imported: reload the page in a moment") from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)

    def purge_expired(self) -> None:
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            try:
                meta = json.loads((folder / META).read_text(encoding="utf-8"))
            except (OSError, ValueError):  # a crash's leftover (or a save this instant): by its age on disk
                meta = None
            if meta is None and time.time() - _mtime(folder) > KEEP.total_seconds() or meta and self._expired(meta):
                shutil.rmtree(folder, ignore_errors=True)

    def _expired(self, meta: dict) -> bool:
        try:
            created = datetime.fromisoformat(meta["created_at"])
        except (KeyError, TypeError, ValueError):
            return True
        return self.now() - created > KEEP

    def _write_meta(self, upload: Upload) -> None:
        """Written whole to a temporary name, then renamed: a reader never sees half of it."""
        temporary = upload.folder / (META + ".tmp")
        temporary.write_text(json.dumps(upload.meta, ensure_ascii=False), encoding="utf-8")
        temporary.chmod(0o600)
        os.replace(temporary, upload.folder / META)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()
