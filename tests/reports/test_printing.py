"""Every existing form prints as on paper: the seed's 填表要求和指标解释 word for word (checked against the seed
text kept in tests/reports/seed_text/), the software's own explanations apart under 说明, and each form on
paper — HTML through WeasyPrint, each workbook through LibreOffice headless as an office would print it —
with the title and the full header on page 1, one page wide, on the paper the form needs."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from lostcontact.reports.html import write_sheet_html
from lostcontact.reports.layout import HeaderCell, Sheet
from lostcontact.reports.pdf import pdf_available, write_pdf
from lostcontact.reports.xlsx import FONT, write_xlsx

from ..conftest import _sqlite_copy
from ..tally.scenario import build_scenario
from .conftest import name_the_signers
from .printed import (FORMS, convert_with_libreoffice, html_notes, libreoffice, page_size_mm, pdf_pages, render_all,
                      seed_notes, text_line)

SHEETS = [form for form in FORMS if form.has_xlsx]
A4_LANDSCAPE, A3_LANDSCAPE, A4_PORTRAIT = (297, 210), (420, 297), (210, 297)
WIDE = {"tally", "search-record", "member-info"}  # the forms whose columns need A3 (Sheet.paper_size)
PORTRAIT = {"record", "search-record", "member-info"}  # as HTML: a page per member or case, A4 portrait
# Pages through WeasyPrint for the fixed scenario as of 2016-04-09: the roster's nine members and its notes
# take a second page; the 附件3 records are one member a page (A = 9); the 纪实表 one A4 page, as on paper.
# 附件1 is a page per member of the roster (ten by then), its notes under the last one.
HTML_PAGES = {"search-record": 9, "found": 1, "unreached": 1, "summary": 1, "disposition-summary": 1, "roster": 2,
              "tally": 1, "record": 1, "unreached-committee": 1, "member-info": 10, "member-roster": 1, "mobile": 1, "mobile-summary": 1}
# The headings on page 1 of the forms that are not a Sheet: each 附件3 record, and the 纪实表 (seed 004 附件4).
OWN_HEADINGS = {
    "search-record": ["姓名", "性别", "出生年月", "身份证号", "入党时间", "与党组织失去联系时间", "与党组织失去联系原因",
                      "联系查找情况", "时间", "查找方式、过程及结果", "证明人", "记录人", "调查核实情况", "党支部意见"],
    "member-info": ["姓名", "身份证号码", "婚姻状况", "参加工作时间", "学历", "学位", "毕业院校", "现任党内职务",
                    "党员流动信息", "出国（境）情况", "家庭主要成员及重要社会关系"],
    "record": ["姓名", "性别", "民族", "出生年月", "入党时间", "身份证号", "联系电话", "组织关系所在党组织名称",
               "与党组织失去联系时间", "失联原因", "党组织查找情况记录", "时间", "查找过程", "证明人签字"],
}


@pytest.fixture(scope="module")
def scenario_db(tmp_path_factory, sqlite_template):
    """The fixed scenario with its signers named, once for the module (SQLite: what is checked is the paper)."""
    folder = tmp_path_factory.mktemp("printed")
    db = _sqlite_copy(sqlite_template, folder / "test.db")
    scenario = build_scenario(db)
    name_the_signers(db)
    out = folder / "forms"
    out.mkdir()
    yield db, scenario, out
    db.dispose()


@pytest.fixture(scope="module")
def printed(scenario_db):
    """Every form of the scenario as HTML and XLSX."""
    db, scenario, out = scenario_db
    render_all(db, scenario, out)
    return out


@pytest.fixture(scope="module")
def printed_pdf(scenario_db, printed):
    """Every form also through WeasyPrint (the slow tier: a PDF of each form costs seconds)."""
    if not pdf_available():
        pytest.skip("WeasyPrint is NOT installed: the printed HTML forms are untested here")
    db, scenario, out = scenario_db
    render_all(db, scenario, out, formats=("pdf",))
    return out


@pytest.fixture(scope="module")
def through_libreoffice(printed, tmp_path_factory):
    if libreoffice() is None:
        pytest.skip("LibreOffice (Debian's libreoffice-calc) is NOT installed: the workbooks' printing is untested here")
    out = tmp_path_factory.mktemp("libreoffice")
    long = tmp_path_factory.mktemp("long") / "long.xlsx"
    write_xlsx(long_sheet(), long)
    convert_with_libreoffice([*sorted(printed.glob("*.xlsx")), long], out, tmp_path_factory.mktemp("lo-profile"))
    return out


def header_texts(path) -> list[str]:
    """The headings of a workbook: the cells of its print titles (the rows repeated on every page)."""
    ws = load_workbook(path).active
    first, last = (int(n) for n in re.findall(r"\d+", ws.print_title_rows))
    return [str(cell.value) for row in ws.iter_rows(min_row=first, max_row=last) for cell in row if cell.value]


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_each_form_carries_its_seeds_notes_word_for_word_in_html(printed, form):
    html = (printed / f"{form.key}.html").read_text("utf-8")
    assert html_notes(html) == seed_notes(form.key)


@pytest.mark.parametrize("form", SHEETS, ids=lambda f: f.key)
def test_each_workbook_carries_its_seeds_notes_word_for_word_under_the_table(printed, form):
    notes = seed_notes(form.key)
    lines = [str(row[0].value) for row in load_workbook(printed / f"{form.key}.xlsx").active.iter_rows()
             if row[0].value is not None]
    start = lines.index(notes[0])
    assert lines[start:start + len(notes)] == notes
    if form.key != "tally":  # the 备注 of the A–X sheet has no heading of its own
        assert lines[start - 1] == "填表要求和指标解释"


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_what_the_software_explains_stands_apart_under_its_own_heading(printed, form):
    html = (printed / f"{form.key}.html").read_text("utf-8")
    explanations = re.findall(r'<p class="explanation">(.*?)</p>', html)
    assert not set(explanations) & set(seed_notes(form.key))
    if explanations:
        assert html.index('<div class="explanations">\n<p>说明：</p>') > html.index('<p class="note">')


def test_the_seed_text_kept_as_test_data_is_the_seeds_own():
    """The copies hold the seeds' slips as they are (a reworded note would not match them)."""
    assert "按按以下代码填写" in seed_notes("roster")[5] and seed_notes("tally")[0].endswith("S=T+U；")
    assert "《中国共产党员纪律处分条例》" in seed_notes("tally")[2]
    assert [line[:2] for line in seed_notes("disposition-summary")] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert text_line("\u3000\u30001.本表\ue004 ") == "1.本表"


@pytest.mark.parametrize("form", SHEETS, ids=lambda f: f.key)
def test_each_workbook_is_set_up_to_print_as_on_paper(printed, form):
    ws = load_workbook(printed / f"{form.key}.xlsx").active
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == (8 if form.key in WIDE else 9)  # A3 : A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1 and setup.fitToHeight == 0
    assert ws.page_margins.left < 0.75 and ws.print_options.horizontalCentered
    first, last = (int(n) for n in re.findall(r"\d+", ws.print_title_rows))
    assert ws.cell(first, 1).value in ("序号", "单位", "统计时间") and last >= first
    assert ws["A1"].value == form.title and ws["A1"].font.name == FONT and ws.cell(first, 1).font.name == FONT
    assert all(ws.row_dimensions[r].height for r in range(1, last + 2))  # the title, the header, the first row


@pytest.mark.slow
@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_each_form_prints_through_weasyprint_with_its_title_and_full_header_on_page_one(printed_pdf, form):
    printed = printed_pdf
    path = printed / f"{form.key}.pdf"
    pages = pdf_pages(path)
    assert len(pages) == HTML_PAGES[form.key]
    assert page_size_mm(path) == (A4_PORTRAIT if form.key in PORTRAIT else
                                  A3_LANDSCAPE if form.key in WIDE else A4_LANDSCAPE)
    headings = OWN_HEADINGS.get(form.key) or header_texts(printed / f"{form.key}.xlsx")
    assert pages[0].startswith(squeezed(form.title))
    assert [h for h in headings if squeezed(h) not in pages[0]] == []
    assert [n for n in seed_notes(form.key) if squeezed(n) not in "".join(pages)] == []


def long_sheet(rows: int = 120) -> Sheet:
    """A register longer than a page: 120 members in a 附件5-shaped sheet."""
    header = (HeaderCell(0, 0, "序号", rowspan=2), HeaderCell(0, 1, "姓名", rowspan=2),
              HeaderCell(0, 2, "与党组织失去联系时间", colspan=2), HeaderCell(1, 2, "最近一次联系日期"),
              HeaderCell(1, 3, "时长（月）"))
    return Sheet(title="经查找取得联系党员登记表", header=header, widths=(5, 10, 14, 8),
                 rows=([i, f"党员{i}", "2015年8月31日", 7] for i in range(1, rows + 1)), notes=("1.本表由党支部填写。",))


def test_a_register_longer_than_a_page_repeats_its_header_on_every_page(tmp_path):
    if not pdf_available():
        pytest.skip("WeasyPrint is NOT installed")
    html = io.StringIO()
    write_sheet_html(long_sheet(), html)
    write_pdf(html.getvalue(), tmp_path / "long.pdf")
    pages = pdf_pages(tmp_path / "long.pdf")
    assert len(pages) > 1 and all("最近一次联系日期" in page for page in pages[:-1])
    assert "经查找取得联系党员登记表" in pages[0] and "经查找取得联系党员登记表" not in pages[1]


@pytest.mark.slow
@pytest.mark.parametrize("form", SHEETS, ids=lambda f: f.key)
def test_each_workbook_prints_through_libreoffice_one_page_wide_with_title_and_header_on_page_one(
        printed, through_libreoffice, form):
    path = through_libreoffice / f"{form.key}.pdf"
    pages = pdf_pages(path)
    assert len(pages) == 1  # the scenario's few rows: one page, so not a column spilled onto another
    assert page_size_mm(path) == (A3_LANDSCAPE if form.key in WIDE else A4_LANDSCAPE)
    assert squeezed(form.title) in pages[0]
    assert [h for h in header_texts(printed / f"{form.key}.xlsx") if squeezed(h) not in pages[0]] == []
    assert [n for n in seed_notes(form.key) if squeezed(n) not in pages[0]] == []


@pytest.mark.slow
def test_a_workbook_longer_than_a_page_repeats_its_header_rows_on_every_page(through_libreoffice):
    pages = pdf_pages(through_libreoffice / "long.pdf")
    assert len(pages) > 1 and all("最近一次联系日期" in page for page in pages)
    assert "经查找取得联系党员登记表" in pages[0] and "经查找取得联系党员登记表" not in pages[1]
