"""Seed 001 附件1 登记备案人员因私出国（境）信息查询表: everyone who should be registered, 省管干部 first, then 处级干部,
then the others, with their valid private documents and whether the organisation keeps them, as of any day; numbers
full only for the person's cadre supervisor; the seed's notes 1–5 word for word."""
from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.masking import mask_document, mask_id
from lostcontact.reports.travel_forms import render_travel_form
from lostcontact.services.travel.documents import fire_custody

from ..reports.printed import text_line
from .conftest import TODAY
from .printing import assert_prints_on_one_page

SEED = Path(__file__).parent / "seed_text" / "query.txt"
SEED_001 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("001_*.txt"), None)


def rows_of(db, actor="cadre1", as_of=date(2024, 3, 1)) -> list[list]:
    path = Path(tempfile.mkdtemp()) / "query.xlsx"
    render_travel_form(db, "query", today=TODAY, as_of=as_of, actor_login=actor, path=path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    first = next(i for i, r in enumerate(rows) if r[0] == "序号") + 1
    return [r for r in rows[first:] if isinstance(r[0], int)]


def test_persons_come_in_the_note_s_order_with_their_documents_as_of_the_day(travel):
    travel.person("丙", org="B1", rank="staff", person_type="sensitive_post")
    county = travel.person("乙", org="C1", rank="county", registered_on=date(2024, 1, 5), post="主任")
    bureau = travel.person("甲", org="B2", rank="bureau", person_type="bureau_level_retired",
                           registered_on=date(2024, 1, 5))
    travel.person("丁", org="B1", rank="staff", person_type=None)               # need not be registered
    passport = travel.document(county, number="E12345678", at=date(2024, 1, 5))
    fire_custody(travel.db, passport, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 1, 8))
    travel.document(county, kind="hkmo_private", number="C87654321", at=date(2024, 1, 5))
    travel.document(bureau, number="E00000009", expires=date(2024, 2, 1))       # expired by then
    rows = rows_of(travel.db)
    assert [r[1] for r in rows] == ["甲", "乙", "丙"]
    jia, yi, bing = rows
    assert jia[9:] == ["否", "无", None, "已备案"] and jia[7] == "厅局级以上离退休人员"
    assert yi[3] == county and yi[5] == "主任（县处级）"
    assert yi[9:] == ["是", "因私护照（普通护照） E12345678；因私往来港澳通行证 C87654321", "是；否", "已备案"]
    assert bing[12] == "未备案"
    masked = rows_of(travel.db, actor="discipline1")[1]
    assert masked[3] == mask_id(county) and mask_document("E12345678") in masked[10] and "E12345678" not in masked[10]
    assert rows_of(travel.db, as_of=date(2024, 1, 7))[1][9:] == ["是", yi[10], "否；否", "已备案"]


def test_the_form_carries_the_seed_s_headings_and_notes(travel):
    travel.person("甲", org="C1")
    out = io.StringIO()
    render_travel_form(travel.db, "query", today=TODAY, actor_login="cadre1", stdout=out)
    html = out.getvalue()
    assert re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html) == [
        "序号", "姓名", "性别", "身份证号", "出生日期（8位）", "现任职务（职级）", "户口所在地", "登记备案人员类型",
        "人事主管部门", "是否持有因私出国（境）证件", "因私出国（境）证件号", "证件是否交由组织集中保管", "登记备案状态"]
    kept = [line for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    assert re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S) == [text_line(line) for line in kept]
    if SEED_001 is not None:
        seed = SEED_001.read_text("utf-8").replace("\n", "")
        assert all(line in seed for line in kept)


@pytest.mark.slow
def test_the_workbook_and_the_pdf_print_on_one_page_wide_with_the_title_and_header_on_page_one(travel, tmp_path):
    travel.person("甲", org="C1", registered_on=date(2024, 1, 5))
    assert_prints_on_one_page(
        lambda path: render_travel_form(travel.db, "query", today=TODAY, actor_login="cadre1", path=path),
        tmp_path, "query", "登记备案人员因私出国（境）信息查询表", "登记备案状态", "已备案")
