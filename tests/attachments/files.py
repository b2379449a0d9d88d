"""Small files of each kind, made here: a real PNG (a photo of a signed page, as far as a test can tell),
a PDF and a JPEG that start as those formats do, and things that only pretend to be them."""
from __future__ import annotations

import struct
import zlib

from lostcontact.policies import store_policy
from lostcontact.uow import UnitOfWork
from statemachines.policy import default_policy_text


def png(width: int = 24, height: int = 16) -> bytes:
    """A valid RGB PNG of a red and white stripe pattern."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"".join(b"\xb3\x26\x1e" if (x // 4) % 2 else b"\xff\xff\xff" for x in range(width))
                    for _y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PDF = (b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
       b"trailer <</Root 1 0 R>>\n%%EOF\n")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = png()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"

GOOD = {"会议记录.pdf": PDF, "签字页.jpg": JPEG, "现场照片.png": PNG}


def cap_attachments_at_one_mb(db, folder, day) -> int:
    """Load, effective `day`, a policy whose attachment cap is the smallest allowed (1 MB); returns the cap."""
    path = folder / "small-cap.toml"
    path.write_text(default_policy_text().replace('version = "default-1"', 'version = "small-cap"')
                    .replace("max_mb = 20", "max_mb = 1"), encoding="utf-8")
    with UnitOfWork(db) as uow:
        store_policy(uow.session, str(path), "admin1", day)
        uow.commit()
    return 1024 * 1024
