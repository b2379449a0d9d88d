"""佐证材料 refused through the service, on SQLite and PostgreSQL: a file whose content, type, name or size is
wrong, a case outside the user's subtree, a user who may only read, a date out of range. Nothing is written by
any of them (each checks that no row and no file is left), so they share one world with B1's case a module."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.queries.attachments import list_attachments
from models import Case
from statemachines.errors import BadInput, Refused

from ..conftest import ENGINES, world_once_a_module
from .conftest import build_b1_case_world
from .files import EXE, HTML, PDF, PNG
from .test_attachments import refused


@pytest.fixture(scope="module", params=ENGINES)
def refusing_world(request, tmp_path_factory):
    yield from world_once_a_module(request, tmp_path_factory, "attachments-b1-case", build_b1_case_world)


@pytest.fixture
def db(refusing_world):
    return refusing_world.world().db


@pytest.fixture
def b1_case(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(Case.id))


@pytest.mark.parametrize("data, name", [(PNG, "伪装.pdf"), (EXE, "报告.pdf"), (HTML, "照片.png"), (PDF, "扫描件.jpg")],
                         ids=["png-as-pdf", "exe-as-pdf", "html-as-png", "pdf-as-jpg"])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(db, files, b1_case, data, name):
    error = refused(db, files, BadInput, b1_case, data, name)
    assert "文件内容与类型不符" in error.zh and "does not match" in error.en


def test_a_file_whose_claimed_type_differs_from_its_content_is_refused(db, files, b1_case):
    error = refused(db, files, BadInput, b1_case, PDF, "会议记录.pdf", claimed_type="image/png")
    assert "文件内容与类型不符" in error.zh


def test_a_file_of_a_kind_not_on_the_list_is_refused_by_its_name(db, files, b1_case):
    for name in ("setup.exe", "说明.docx", "无扩展名", ".pdf"):
        error = refused(db, files, BadInput, b1_case, PDF, name)
        assert "只能上传" in error.zh


def test_an_empty_file_is_refused(db, files, b1_case):
    error = refused(db, files, BadInput, b1_case, b"", "空白.pdf")
    assert "文件为空" in error.zh and "empty" in error.en


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "scans/签字页.pdf", "C:\\Users\\x\\签字页.pdf", "a\x00.pdf",
                                  "a\n.pdf", "a..pdf", "x" * 121 + ".pdf", "", "   "])
def test_a_file_name_carrying_a_path_or_control_characters_or_too_long_is_refused(db, files, b1_case, name):
    error = refused(db, files, BadInput, b1_case, PDF, name)
    assert "文件名" in error.zh


def test_a_case_outside_the_subtree_is_refused_exactly_as_an_unknown_case(db, files, b1_case):
    outside = refused(db, files, BadInput, b1_case, PDF, "会议记录.pdf", actor="officer3")
    unknown = refused(db, files, BadInput, b1_case + 1000, PDF, "会议记录.pdf", actor="officer3")
    assert outside.zh.replace(str(b1_case), "#") == unknown.zh.replace(str(b1_case + 1000), "#")
    assert outside.en.replace(str(b1_case), "#") == unknown.en.replace(str(b1_case + 1000), "#")
    assert "B1" not in outside.zh + outside.en


def test_a_supervisor_in_scope_may_read_but_not_attach(db, files, b1_case):
    error = refused(db, files, Refused, b1_case, PDF, "会议记录.pdf", actor="supervisor1")
    assert "上传佐证材料" in error.zh
    assert list_attachments(db, b1_case, actor_login="supervisor1") == []


def test_the_date_of_a_file_is_never_in_the_future_nor_before_the_case(db, files, b1_case):
    refused(db, files, Refused, b1_case, PDF, "明天.pdf", at=date(2016, 6, 21))
    refused(db, files, Refused, b1_case, PDF, "立案前.pdf", at=date(2016, 6, 19))
