"""An upload is held to the policy's cap while its body streams in, not after the framework has spooled it:
a declared length over the cap is refused before the body is read, and a body with no length (chunked) is
cut off just past the cap. The answer is 413 with the reason in Chinese and English, and nothing reaches
the attachment storage or the database — through the API, the case page's form and the import page."""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from itertools import chain, repeat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lostcontact.storage import DIR_ENV
from lostcontact.uow import UnitOfWork
from lostcontact.web.import_uploads import UPLOAD_LIMIT_BYTES
from lostcontact.web.upload_cap import FORM_OVERHEAD
from models.evidence import Attachment
from tests.attachments.files import PDF, cap_attachments_at_one_mb
from tests.web.conftest import TODAY

MB = 1024 * 1024
CHUNK = 64 * 1024
BOUNDARY = "cap-test-boundary"


@pytest.fixture(autouse=True)
def folder(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "evidence"
    monkeypatch.setenv(DIR_ENV, str(path))
    return path


@pytest.fixture
def one_mb_cap(world, tmp_path) -> int:
    return cap_attachments_at_one_mb(world.db, tmp_path, TODAY)


def nothing_stored(world, folder: Path) -> bool:
    with UnitOfWork(world.db, write=False) as uow:
        rows = uow.session.scalar(select(func.count()).select_from(Attachment))
    return rows == 0 and not (folder.exists() and any(p.is_file() for p in folder.rglob("*")))


def long_form(fields: dict, file_name: str, mime: str, size: int = 32 * MB):
    """A multipart body with a file of `size` bytes, in 64 KiB chunks (well past every cap: a server that
    read it all would be seen to)."""
    head = "".join(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                   for k, v in fields.items())
    head += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n"
             f"Content-Type: {mime}\r\n\r\n")
    return chain([head.encode() + PDF], repeat(b"\0" * CHUNK, size // CHUNK), [f"\r\n--{BOUNDARY}--\r\n".encode()])


def post_without_length(app, path: str, headers: dict, chunks) -> tuple[int, str, int]:
    """POST `chunks` as a chunked body (no Content-Length), straight to the ASGI app so that nothing reads
    ahead of it; returns the status, the text of the answer and how many bytes the app pulled in."""
    pulled = 0

    async def receive():
        nonlocal pulled
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent = []

    async def send(message):
        sent.append(message)

    headers = {**headers, "content-type": f"multipart/form-data; boundary={BOUNDARY}",
               "transfer-encoding": "chunked", "host": "testserver"}
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}
    # A thread of its own: an earlier test on this worker (the browser's sync API) may have left an event
    # loop running on the main thread, and asyncio.run refuses to nest in one.
    with ThreadPoolExecutor(max_workers=1) as own_thread:
        own_thread.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
    return status, text, pulled


def cookie_header(user) -> dict:
    return {"cookie": "; ".join(f"{name}={value}" for name, value in user.client.cookies.items())}


def test_the_api_refuses_a_declared_length_over_the_cap_before_reading_it(world, app, api_token, b1_case, folder,
                                                                            one_mb_cap):
    response = TestClient(app).post(f"/api/cases/{b1_case}/attachments", headers=api_token("officer1"),
                                    files={"file": ("大.pdf", PDF + b"\0" * (2 * MB), "application/pdf")})
    assert response.status_code == 413
    assert response.json()["error"] == {"kind": "too_large", "zh": "文件过大：超过 1 MB 的上限",
                                        "en": "the file is larger than the 1 MB limit", "details": []}
    assert nothing_stored(world, folder)


def test_the_api_refuses_a_file_over_the_cap_inside_a_body_within_it(world, app, api_token, b1_case, folder,
                                                                      one_mb_cap):
    response = TestClient(app).post(f"/api/cases/{b1_case}/attachments", headers=api_token("officer1"),
                                    files={"file": ("大.pdf", PDF + b"\0" * (MB + 1024), "application/pdf")})
    assert response.status_code == 413 and response.json()["error"]["kind"] == "too_large"
    assert nothing_stored(world, folder)


def test_an_api_body_without_a_length_is_cut_off_just_past_the_cap(world, app, api_token, b1_case, folder,
                                                                    one_mb_cap):
    status, text, pulled = post_without_length(app, f"/api/cases/{b1_case}/attachments", api_token("officer1"),
                                               long_form({"note": "扫描件"}, "长.pdf", "application/pdf"))
    assert status == 413 and "文件过大：超过 1 MB 的上限" in text and "larger than the 1 MB limit" in text, text
    assert pulled <= MB + FORM_OVERHEAD + CHUNK
    assert nothing_stored(world, folder)


def test_a_page_upload_without_a_length_is_cut_off_and_the_case_page_says_why(world, browser_as, app, b1_case,
                                                                               folder, one_mb_cap):
    officer = browser_as("officer1")
    token = officer.csrf(f"/cases/{b1_case}")
    status, text, pulled = post_without_length(app, f"/cases/{b1_case}/attachments", cookie_header(officer),
                                               long_form({"csrf_token": token}, "长.pdf", "application/pdf"))
    assert status == 413 and "文件过大：超过 1 MB 的上限" in text and "佐证材料" in text
    assert pulled <= MB + FORM_OVERHEAD + CHUNK
    assert nothing_stored(world, folder)


def test_an_import_upload_without_a_length_is_cut_off_at_the_import_limit(world, browser_as, app):
    admin = browser_as("admin1")
    token = admin.csrf("/admin/import")
    status, text, pulled = post_without_length(app, "/admin/import", cookie_header(admin),
                                               long_form({"csrf_token": token, "kind": "contacts"}, "联系.csv",
                                                            "text/csv"))
    assert status == 400 and "MB 的上限" in text
    assert pulled <= UPLOAD_LIMIT_BYTES + 64 * 1024 + CHUNK
