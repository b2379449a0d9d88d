"""佐证材料 through the service, on SQLite and PostgreSQL: what is accepted is stored with its SHA-256 and read
back byte for byte; whatever is refused leaves no row and no file; scope is the case's scope."""
from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import func, select

from lostcontact.queries.attachments import list_attachments, open_attachment
from lostcontact.services.attachments import attach
from lostcontact.services.cases import fire, log_search
from lostcontact.uow import UnitOfWork
from models.evidence import Attachment
from statemachines.errors import BadInput, Refused, UsageError

from .conftest import TODAY, stored_files
from .files import GOOD, JPEG, PDF, PNG, cap_attachments_at_one_mb

MB = 1024 * 1024


def put(db, case_id, data: bytes, name: str, actor: str = "officer1", **kw) -> int:
    return attach(db, case_id, io.BytesIO(data), name, actor_login=actor, today=TODAY, **kw)


def rows(db) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(Attachment))


def refused(db, files, error_type, *args, **kw):
    """The call fails with `error_type`, and neither a row nor a file is left behind."""
    with pytest.raises(error_type) as caught:
        put(db, *args, **kw)
    assert rows(db) == 0
    assert stored_files(files) == []
    return caught.value


def read_back(db, case_id, attachment_id, actor="officer1") -> bytes:
    download = open_attachment(db, case_id, attachment_id, actor_login=actor)
    return b"".join(download.chunks())


@pytest.mark.parametrize("name", list(GOOD))
def test_a_pdf_a_jpeg_and_a_png_are_stored_with_their_sha256(db, files, b1_case, name):
    data = GOOD[name]
    attachment_id = put(db, b1_case, data, name, note="支部书记签字页")
    [row] = list_attachments(db, b1_case, actor_login="officer1")
    assert row["id"] == attachment_id and row["file_name"] == name
    assert row["content_type"] == {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}[name[-3:]]
    assert row["size"] == len(data) and row["sha256"] == hashlib.sha256(data).hexdigest()
    assert row["documents"] == "案件" and row["note"] == "支部书记签字页" and row["at"] == TODAY.isoformat()
    assert row["actor"] == "officer1" and row["role"] == "branch_officer" and row["superseded_by"] is None
    assert read_back(db, b1_case, attachment_id) == data
    [stored] = stored_files(files)
    assert stored.read_bytes() == data and name not in str(stored)  # the key is random, never the user's name


def test_an_upper_case_extension_from_a_camera_is_accepted(db, files, b1_case):
    put(db, b1_case, JPEG, "IMG_0001.JPG", claimed_type="image/jpeg")
    assert [r["content_type"] for r in list_attachments(db, b1_case, actor_login="officer1")] == ["image/jpeg"]


@pytest.fixture
def one_mb_cap(db, tmp_path):
    return cap_attachments_at_one_mb(db, tmp_path, TODAY)


def test_a_file_over_the_policy_cap_is_refused_and_one_at_the_cap_is_accepted(db, files, b1_case, one_mb_cap):
    error = refused(db, files, BadInput, b1_case, PDF + b"\0" * (MB + 1 - len(PDF)), "大扫描件.pdf")
    assert "超过 1 MB" in error.zh
    put(db, b1_case, PDF + b"\0" * (MB - len(PDF)), "刚好.pdf")
    assert [r["size"] for r in list_attachments(db, b1_case, actor_login="officer1")] == [MB]


class Endless(io.RawIOBase):
    """An upload that never ends (a PDF header, then zeros), counting what was read of it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        head = PDF[self.read_bytes:self.read_bytes + len(buffer)] if self.read_bytes < len(PDF) else b""
        buffer[:len(head)] = head
        buffer[len(head):] = b"\0" * (len(buffer) - len(head))
        self.read_bytes += len(buffer)
        return len(buffer)


def test_an_endless_upload_is_read_only_to_just_past_the_cap(db, files, b1_case, one_mb_cap):
    stream = Endless()
    with pytest.raises(BadInput):
        attach(db, b1_case, stream, "无穷.pdf", actor_login="officer1", today=TODAY)
    assert MB < stream.read_bytes <= MB + 64 * 1024
    assert rows(db) == 0 and stored_files(files) == []


@pytest.mark.parametrize("actor, role", [("reviewer1", "committee_reviewer"), ("upper1", "upper_reviewer")])
def test_the_reviewers_over_the_branch_may_attach(db, files, b1_case, actor, role):
    put(db, b1_case, PDF, "预审意见.pdf", actor=actor)
    [row] = list_attachments(db, b1_case, actor_login=actor)
    assert row["role"] == role


def test_a_file_documents_a_search_log_entry_or_a_step_of_its_own_case_only(db, files, b1_case, b3_case):
    fire(db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    entry = log_search(db, b1_case, channel="phone", outcome="no_answer", actor_login="officer1", today=TODAY)
    other = (fire(db, b3_case, "start_search", actor_login="officer3", today=TODAY),
             log_search(db, b3_case, channel="phone", outcome="no_answer", actor_login="officer3", today=TODAY))[1]
    put(db, b1_case, PDF, "通话记录.pdf", search_entry_id=entry)
    put(db, b1_case, PNG, "立案登记.png", step_seq=1)
    assert [r["documents"] for r in list_attachments(db, b1_case, actor_login="officer1")] == [
        "查找记录：2016-06-20 电话", "办理环节：2016-06-20 立案"]
    with pytest.raises(BadInput, match=f"no search-log entry {other}"):
        put(db, b1_case, PDF, "别的案件.pdf", search_entry_id=other)
    with pytest.raises(BadInput, match="no history record 9"):
        put(db, b1_case, PDF, "不存在的环节.pdf", step_seq=9)
    with pytest.raises(UsageError):
        put(db, b1_case, PDF, "两者.pdf", search_entry_id=entry, step_seq=1)
    assert rows(db) == 2 and len(stored_files(files)) == 2


def test_a_replaced_file_is_kept_and_marked_superseded(db, files, b1_case):
    first = put(db, b1_case, JPEG, "签字页.jpg", step_seq=1)
    second = put(db, b1_case, PDF, "签字页（清晰版）.pdf", replaces=first, note="重新扫描")
    old, new = list_attachments(db, b1_case, actor_login="officer1")
    assert (old["id"], old["superseded_by"], new["id"], new["supersedes_id"]) == (first, second, second, first)
    assert new["step_seq"] == 1  # the new version documents what the old one did
    assert read_back(db, b1_case, first) == JPEG and read_back(db, b1_case, second) == PDF
    with pytest.raises(Refused, match="already replaced"):
        put(db, b1_case, PNG, "第三版.png", replaces=first)
    assert len(stored_files(files)) == 2


def test_only_an_attachment_of_the_same_case_can_be_replaced_or_opened(db, files, b1_case, b3_case):
    theirs = put(db, b3_case, PDF, "别的案件.pdf", actor="officer3")
    with pytest.raises(BadInput, match=f"no attachment {theirs}"):
        put(db, b1_case, PDF, "替换.pdf", replaces=theirs)
    with pytest.raises(BadInput, match=f"no attachment {theirs}"):
        open_attachment(db, b1_case, theirs, actor_login="upper1")  # upper1 sees both cases, not this pairing


def test_a_download_outside_the_subtree_is_answered_as_an_unknown_case(db, files, b1_case):
    attachment_id = put(db, b1_case, PDF, "会议记录.pdf")
    with pytest.raises(BadInput) as outside:
        open_attachment(db, b1_case, attachment_id, actor_login="officer3")
    with pytest.raises(BadInput) as unknown:
        open_attachment(db, b1_case + 1000, attachment_id, actor_login="officer3")
    assert outside.value.zh.replace(str(b1_case), "#") == unknown.value.zh.replace(str(b1_case + 1000), "#")
    with pytest.raises(BadInput):
        list_attachments(db, b1_case, actor_login="officer3")
