"""What a file must be to become 佐证材料: a plain file name, an allowed kind judged by its first bytes (never by
what it claims), not empty and not over the policy's cap. Each refusal is BadInput and stores nothing.

The upload is read in chunks into a temporary file (a bounded amount of memory), hashing as it goes, and
reading stops at cap + 1 bytes: an oversized upload is never read to its end.
"""
from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from statemachines.errors import BadInput

CHUNK = 64 * 1024
MAX_NAME_CHARS = 120

# content type -> (label, magic bytes at offset 0, extensions that may carry it)
KINDS = {
    "application/pdf": ("PDF", b"%PDF-", (".pdf",)),
    "image/jpeg": ("JPEG", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": ("PNG", b"\x89PNG\r\n\x1a\n", (".png",)),
}
EXTENSIONS = {ext: kind for kind, (_label, _magic, exts) in KINDS.items() for ext in exts}
ACCEPT = ",".join(KINDS)  # the upload form's accept attribute
# what browsers and phones send when they do not know, or other names for an allowed kind
UNKNOWN_CLAIMS = ("", "application/octet-stream", "binary/octet-stream")
CLAIM_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "application/x-pdf": "application/pdf",
                 "image/x-png": "image/png"}
ALLOWED_TEXT = "PDF、JPEG、PNG（.pdf .jpg .jpeg .png）"


def _bad(zh: str, en: str) -> BadInput:
    return BadInput(zh, en)


class TooLarge(BadInput):
    """An upload over the policy's cap (the web answers 413 Content Too Large)."""


def too_large(max_bytes: int, name: str | None = None) -> TooLarge:
    mb = max_bytes // (1024 * 1024)
    of_zh, of_en = (f"（{name}）", f" ({name})") if name else ("", "")
    return TooLarge(f"文件过大：超过 {mb} MB 的上限{of_zh}", f"the file is larger than the {mb} MB limit{of_en}")


def checked_name(file_name: str | None) -> tuple[str, str]:
    """The file name as given (only to show and to offer on download) and the content type its extension
    promises; refused when it carries a path or a control character, is too long or has no allowed extension."""
    name = (file_name or "").strip()
    if not name:
        raise _bad("文件名不能为空", "the file name is empty")
    if len(name) > MAX_NAME_CHARS:
        raise _bad(f"文件名过长（最多 {MAX_NAME_CHARS} 个字符），请改短后重新上传",
                   f"the file name is longer than {MAX_NAME_CHARS} characters")
    if any(c in name for c in "/\\") or ".." in name or any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise _bad("文件名不能包含路径或控制字符（/ \\ .. 等），请只上传文件本身",
                   "the file name must not carry a path or control characters (/ \\ .. NUL)")
    suffix = PurePosixPath(name).suffix.lower()
    stem = name[: -len(suffix)] if suffix else name
    if suffix not in EXTENSIONS or not stem.strip(" ."):
        raise _bad(f"只能上传 {ALLOWED_TEXT} 文件（{name}）", f"only PDF, JPEG and PNG files are accepted ({name})")
    return name, EXTENSIONS[suffix]


def sniff(head: bytes) -> str | None:
    for kind, (_label, magic, _exts) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


@dataclass
class Received:
    """An upload read to a temporary file: its sniffed type, size and SHA-256. Close it when done."""
    file: BinaryIO
    content_type: str
    size: int
    sha256: str

    def close(self) -> None:
        self.file.close()


def receive(stream: BinaryIO, *, name: str, promised: str, claimed: str | None, max_bytes: int) -> Received:
    """Read `stream` into a temporary file, checking as it goes; refused (nothing kept) when it is empty, over
    `max_bytes`, or its content is not the kind its extension (and the claimed type, if any) says."""
    spool = tempfile.TemporaryFile()
    try:
        digest, size, head = hashlib.sha256(), 0, b""
        while True:
            chunk = stream.read(min(CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if len(head) < 16:
                head += chunk[:16 - len(head)]
            if size > max_bytes:
                raise too_large(max_bytes, name)
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise _bad(f"文件为空（{name}）", f"the file is empty ({name})")
        kind = sniff(head)
        claim = (claimed or "").split(";")[0].strip().lower()
        claim = CLAIM_ALIASES.get(claim, claim)
        if kind != promised or (claim not in UNKNOWN_CLAIMS and claim != kind):
            found = KINDS[kind][0] if kind else "不在允许范围内的格式"
            raise _bad(f"文件内容与类型不符：{name} 的内容是{found}，只能上传与扩展名相符的 {ALLOWED_TEXT} 文件",
                       f"the content of {name} does not match its type (content: "
                       f"{KINDS[kind][0] if kind else 'not PDF, JPEG or PNG'}, claimed: {claim or promised})")
        spool.seek(0)
        return Received(spool, kind, size, digest.hexdigest())
    except BaseException:
        spool.close()
        raise
