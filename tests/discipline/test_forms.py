"""Seed 000 附件1-1…1-4 from the register: the entries open on the day in the reader's subtree, the seed's
columns and note word for word, the summary by unit with its 总计 row; printable one page wide."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.reports.discipline_forms import render_discipline_form
from lostcontact.reports.pdf import pdf_available
from lostcontact.services.discipline.register import add_entry, fire_entry
from statemachines.errors import BadInput

from ..conftest import read_only_world
from ..reports.printed import convert_with_libreoffice, libreoffice, pdf_pages
from .conftest import TODAY, register_world

SEED_TEXT = Path(__file__).parent / "seed_text"
SEED_000 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("000_*.txt"), None)
RECONTACT = dict(recontact_on=date(2024, 5, 6), recontact_note="再次联系未果")


def plant_register(database):
    return plant(register_world(database))


# The register's entries below, read by every test and written by none: one world a module on each engine.
shared_world, entries = read_only_world("discipline-form-entries", plant_register, "entries")


def plant(register):
    """On 2024-06-01: 失联 in B1 (and one found again), 出走 in B1, 外逃 abroad in B2 and in the country in B3."""
    add = dict(actor_login="discipline1", today=TODAY, at=date(2024, 5, 20))
    add_entry(register.db, register.person("甲", org="B1", person_type=None, work_unit="区财政局", post="科员",
                                           rank="staff"), "lost", since_on=date(2024, 1, 2), disciplined=False, **add,
              **RECONTACT)
    found = add_entry(register.db, register.person("乙", org="B1", person_type=None), "lost",
                      since_on=date(2024, 1, 3), **add, **RECONTACT)
    fire_entry(register.db, found.id, "find", actor_login="discipline1", today=TODAY, at=date(2024, 5, 25))
    add_entry(register.db, register.person("丙", org="B1", person_type=None, rank="party_only"), "absconded",
              since_on=date(2024, 3, 1), region="广东省深圳市", **add, **RECONTACT)
    add_entry(register.db, register.person("丁", org="B2", person_type=None, former_names="丁一"), "fled",
              since_on=date(2024, 3, 1), case_filed_by="区纪委监委", case_filed_on=date(2024, 2, 1), whereabouts="abroad",
              place="泰国", suspected_offence="贪污罪", amount_wan="88.5", **add, **RECONTACT)
    add_entry(register.db, register.person("戊", org="B3", actor="cadre2", person_type=None), "fled",
              since_on=date(2024, 4, 1), case_filed_by="区纪委监委", case_filed_on=date(2024, 3, 1),
              whereabouts="domestic", **add, **RECONTACT)
    return register


def workbook_rows(db, kind, tmp_path, **kw) -> list[list]:
    path = tmp_path / f"{kind}.xlsx"
    render_discipline_form(db, kind, today=TODAY, actor_login="discipline1", path=path, **kw)
    return [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]


def test_the_summary_counts_each_unit_and_the_total_as_the_form_splits_them(entries, tmp_path):
    rows = workbook_rows(entries.db, "summary", tmp_path, as_of=date(2024, 6, 1))
    data = [r[:6] for r in rows if r[0] in ("区直机关党委", "街道党委", "总计")]
    # 单位, 失联, 出走, 外逃 国内, 外逃 国（境）外, 合计
    assert data == [["区直机关党委", 1, 1, 0, 1, 3], ["街道党委", 0, 0, 1, 0, 1], ["总计", 1, 1, 1, 1, 4]]
    before = workbook_rows(entries.db, "summary", tmp_path, as_of=date(2024, 5, 19))
    assert [r[1:6] for r in before if r[0] == "总计"] == [[0, 0, 0, 0, 0]]


def test_each_register_form_lists_the_open_entries_with_the_seed_s_columns(entries, tmp_path):
    lost = workbook_rows(entries.db, "lost", tmp_path, as_of=date(2024, 6, 1))
    header = next(r for r in lost if r[0] == "序号")
    assert header == ["序号", "姓名", "性别", "政治面貌", "出生日期", "工作单位和职务", "职级", "身份证号码", "失联时间",
                      "是否党政纪处分", "备注"]
    [row] = [r for r in lost if r[0] == 1]
    assert row[1] == "甲" and row[5] == "区财政局科员" and row[6] == "一般国家工作人员" and row[8] == "2024年1月2日"
    assert row[9] == "否" and "********" in row[7]
    fled = workbook_rows(entries.db, "fled", tmp_path, as_of=date(2024, 6, 1))
    header = next(r for r in fled if r[0] == "序号")
    assert header[1:] == ["姓名", "曾用名", "性别", "政治面貌", "工作单位和职务", "职级", "身份证号码", "外逃所持证照信息",
                          "外逃时间", "外逃去向", "党政纪处分", "是否立案", "立案单位", "立案时间", "涉嫌罪名",
                          "涉案金额（万元）", "备注"]
    first = next(r for r in fled if r[0] == 1)
    assert (first[1], first[2], first[10], first[12], first[15], first[16]) == (
        "丁", "丁一", "国（境）外泰国", "是", "贪污罪", "88.50")
    absconded = workbook_rows(entries.db, "absconded", tmp_path, as_of=date(2024, 6, 1))
    only = next(r for r in absconded if r[0] == 1)
    assert (only[1], only[5], only[6], only[10]) == ("丙", "/", "/", "广东省深圳市")  # 非公职党员: no unit, no rank


@pytest.mark.parametrize("kind", ["lost", "fled", "absconded"])
def test_each_form_carries_its_seed_note_word_for_word(entries, kind):
    out = io.StringIO()
    render_discipline_form(entries.db, kind, today=TODAY, actor_login="discipline1", stdout=out)
    notes = re.findall(r'<p class="note">(.*?)</p>', out.getvalue(), flags=re.S)
    assert notes == ["".join(SEED_TEXT.joinpath(f"{kind}.txt").read_text("utf-8").split())]


@pytest.mark.skipif(SEED_000 is None, reason="the seeds are not beside the checkout")
@pytest.mark.parametrize("kind", ["lost", "fled", "absconded"])
def test_the_kept_notes_are_the_seed_s_own(kind):
    assert SEED_TEXT.joinpath(f"{kind}.txt").read_text("utf-8").strip() in SEED_000.read_text("utf-8")


def test_a_reader_fills_the_forms_for_their_own_subtree_only(entries, tmp_path):
    rows = workbook_rows(entries.db, "summary", tmp_path)
    assert any(r[0] == "总计" for r in rows)
    with pytest.raises(BadInput):
        render_discipline_form(entries.db, "summary", today=TODAY, actor_login="discipline2", org_code="C1")
    path = tmp_path / "c2.xlsx"
    render_discipline_form(entries.db, "fled", today=TODAY, actor_login="discipline2", path=path)
    names = [r[1] for r in ([c.value for c in row] for row in load_workbook(path).active.iter_rows()) if r[0] == 1]
    assert names == ["戊"]


@pytest.mark.slow
@pytest.mark.parametrize("shared_world", ["sqlite"], indirect=True)  # the page layout: the same on either engine
@pytest.mark.parametrize("kind", ["fled", "summary"])
def test_the_forms_print_one_page_wide_with_the_title_and_header_on_page_one(entries, tmp_path, kind):
    if libreoffice() is None or not pdf_available():
        pytest.skip("LibreOffice or WeasyPrint is NOT installed: the printed forms are untested here")
    render_discipline_form(entries.db, kind, today=TODAY, actor_login="discipline1", path=tmp_path / f"{kind}.xlsx")
    render_discipline_form(entries.db, kind, today=TODAY, actor_login="discipline1", path=tmp_path / f"{kind}.pdf")
    convert_with_libreoffice([tmp_path / f"{kind}.xlsx"], tmp_path / "lo", tmp_path / "profile")
    for pdf in (tmp_path / "lo" / f"{kind}.pdf", tmp_path / f"{kind}.pdf"):
        pages = pdf_pages(pdf)
        assert len(pages) == 1 and "河南省党员和国家工作人员" in pages[0]
        assert ("国（境）外" if kind == "summary" else "涉案金额（万元）") in pages[0]
