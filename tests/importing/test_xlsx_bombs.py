"""Small XLSX files that expand: a huge string, millions of empty strings, a cell in column XFD, an archive
that inflates past its bound. Each is refused early (exit 4, nothing written) with memory flat. The bombs
are built here with zipfile, from a real roster workbook, rather than kept as binaries."""
from __future__ import annotations

import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from lostcontact.importing import import_file, xlsx
from statemachines.errors import BadInput

from ..builders import make_id_number
from .conftest import table_counts

HEADER = ["id_number", "name", "branch_code", "standing", "join_date"]
SHARED = "xl/sharedStrings.xml"
SST = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def roster(path, *, far_column: int | None = None, rows: int = 1):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for serial in range(rows):
        sheet.append([make_id_number(100 + serial), "张三", "B1", "正式", "2005-07-01"])
        if far_column:
            sheet.cell(row=serial + 2, column=far_column, value="x")
    workbook.save(path)
    return path


def with_shared_strings(path, write_strings) -> None:
    """The roster with a shared-strings part (openpyxl writes inline strings) holding what `write_strings(out)`
    streams, declared as Excel declares it."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open(SHARED, "w", force_zip64=True) as out:
            write_strings(out)


def huge_string(out) -> None:
    out.write((SST + "<si><t>").encode())
    block = b"A" * (1 << 20)
    for _ in range(100):  # 100 MB of one string
        out.write(block)
    out.write(b"</t></si></sst>")


def millions_of_empty_strings(out) -> None:
    out.write(SST.encode())
    block = b"<si/>" * 100_000
    for _ in range(30):  # 3 million strings for a sheet of a dozen cells
        out.write(block)
    out.write(b"</sst>")


def refused_quickly_with_memory_flat(db, today, path) -> BadInput:
    before = table_counts(db)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(BadInput) as refused:
            import_file(db, "members", path, today=today)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.exit_code == 4
    assert peak < 32 * 1024 * 1024, f"peak {peak // 1024 ** 2} MB"
    assert time.monotonic() - started < 30
    assert table_counts(db) == before
    return refused.value


def test_a_shared_string_longer_than_an_excel_cell_is_refused_early(refusing_db, today, made_once):
    path = made_once("huge-string", lambda path: with_shared_strings(roster(path), huge_string))
    refused = refused_quickly_with_memory_flat(refusing_db, today, path)
    assert "32767" in refused.en and "32767" in refused.zh and "roster.xlsx" in refused.en


def test_more_shared_strings_than_the_sheet_has_cells_is_refused_early(refusing_db, today, made_once):
    path = made_once("empty-strings", lambda path: with_shared_strings(roster(path), millions_of_empty_strings))
    refused = refused_quickly_with_memory_flat(refusing_db, today, path)
    assert "more shared strings than its sheets have cells" in refused.en and "共享字符串" in refused.zh


def test_a_row_reaching_column_xfd_is_refused_at_once(refusing_db, today, made_once):
    path = made_once("column-xfd", lambda path: roster(path, far_column=16384, rows=200))
    refused = refused_quickly_with_memory_flat(refusing_db, today, path)
    assert "row 2 reaches beyond column 256 (to column XFD)" in refused.en and "XFD" in refused.zh


def test_an_archive_that_would_inflate_past_its_bound_is_refused_before_reading(refusing_db, today, made_once,
                                                                                 monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED_BYTES", 8 * 1024 ** 2)
    path = made_once("inflating", lambda path: with_shared_strings(roster(path), lambda out: [
        out.write((SST + "<si><t>A</t></si>").encode()), *(out.write(b" " * (1 << 20)) for _ in range(10)),
        out.write(b"</sst>")]))
    refused = refused_quickly_with_memory_flat(refusing_db, today, path)
    assert "inflate past 8 MB" in refused.en


def test_a_roster_within_the_bounds_still_imports(db, world, today, tmp_path):
    assert import_file(db, "members", roster(tmp_path / "roster.xlsx", rows=3), today=today).inserted == 3
