"""How a file is laid out: the header row, extra columns, blank rows at the end, quoted cells."""
from __future__ import annotations

import re
import zipfile

import pytest
from hypothesis import given, strategies as st
from openpyxl import Workbook

from lostcontact.importing import import_file
from lostcontact.importing.xlsx import SharedStrings
from statemachines.errors import BadInput

from ..builders import make_id_number

HEADER = "id_number,name,branch_code,standing,join_date"
ROW = f"{make_id_number(41)},张三,B1,正式,2005-07-01"


def test_unknown_columns_are_ignored_with_a_warning(db, world, today, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{HEADER},备注,籍贯\n{ROW},调入,河南\n", encoding="utf-8")
    summary = import_file(db, "members", roster, today=today)
    assert summary.inserted == 1
    assert summary.warnings == [("已忽略无法识别的列：备注、籍贯", "ignored unknown column(s): 备注, 籍贯")]


def test_blank_rows_before_the_header_and_after_the_data_are_ignored(db, world, today, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"\n,,,\n{HEADER}\n{ROW}\n\n , ,,\n\n", encoding="utf-8")
    assert import_file(db, "members", roster, today=today).rows == 1


def test_a_header_without_rows_imports_nothing_and_says_so(db, world, today, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "\r\n", encoding="utf-8")
    summary = import_file(db, "members", roster, today=today)
    assert (summary.rows, summary.inserted) == (0, 0)
    assert summary.warnings == [("文件只有表头，没有数据行", "the file has a header but no data rows")]


def test_quoted_cells_may_hold_commas_and_line_breaks_and_rows_keep_their_line_numbers(db, world, today, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(f'{HEADER},flow_reason\n{ROW},"务工，\n在外地, 暂住"\n{make_id_number(42)},李四,B9,正式,2005-07-01,\n',
                      encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        import_file(db, "members", roster, today=today)
    assert [en for _, en in refused.value.details] == [
        "roster.csv, row 4, column branch_code, value 'B9': unknown branch code"]


def test_an_xlsx_sheet_with_a_wrong_dimension_is_read_whole(db, world, today, tmp_path):
    """Some exporters write <dimension ref="A1"/>; read-only openpyxl would then see one cell."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(ROW.split(","))
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1"', sheet_xml).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert import_file(db, "members", path, today=today).inserted == 1


@given(st.lists(st.text(max_size=30), max_size=50))
def test_the_compact_shared_strings_table_gives_back_every_string(texts):
    table = SharedStrings()
    for text in texts:
        table.append(text)
    assert len(table) == len(texts) and [table[i] for i in range(len(texts))] == texts
