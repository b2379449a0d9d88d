"""XLSX bombs that carry their text inline in the sheet (`<c t="inlineStr"><is><t>…`) rather than in the
shared strings: a cell of 100 MB, a text just over Excel's 32,767 characters, a row of a hundred thousand
cells, a row of 20 MB, and shared strings too large together. Each is refused (exit 4, nothing written)
before the parser builds it, with memory flat; the sheets are written here with zipfile."""
from __future__ import annotations

import resource
import zipfile

import pytest

from lostcontact.importing import import_file, xlsx
from statemachines.errors import BadInput

from .conftest import table_counts
from .test_xlsx_bombs import SST, refused_quickly_with_memory_flat, roster, with_shared_strings

SHEET = "xl/worksheets/sheet1.xml"
HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData><row r="1">' + "".join(
            f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
            for col, name in zip("ABCDE", ("id_number", "name", "branch_code", "standing", "join_date"))) + "</row>")
TAIL = "</sheetData></worksheet>"


def with_sheet(path, write_rows) -> None:
    """The roster with its first sheet replaced by the header row and what `write_rows(out)` streams."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist() if name != SHEET}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        with target.open(SHEET, "w", force_zip64=True) as out:
            out.write(HEAD.encode())
            write_rows(out)
            out.write(TAIL.encode())


def one_inline_cell(out, size_mb: int = 100) -> None:
    out.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
    block = b"A" * (1 << 20)
    for _ in range(size_mb):
        out.write(block)
    out.write(b"</t></is></c></row>")


def refused_with_peak_memory_flat(db, today, path) -> BadInput:
    """refused_quickly_with_memory_flat, and the process's resident peak (lxml's C buffers, which tracemalloc
    does not see) grown by less than 64 MB."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    refused = refused_quickly_with_memory_flat(db, today, path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024, "resident peak grew"
    return refused


def test_an_inline_string_of_a_hundred_megabytes_is_refused_before_it_is_parsed(refusing_db, today, made_once):
    path = made_once("hundred-megabyte-cell", lambda path: with_sheet(roster(path), one_inline_cell))
    refused = refused_with_peak_memory_flat(refusing_db, today, path)
    assert "longer than 32767 characters" in refused.en and "32767" in refused.zh and "roster.xlsx" in refused.en


def test_an_inline_string_just_over_excels_limit_is_refused_naming_its_row_and_column(refusing_db, today,
                                                                                      made_once):
    path = made_once("just-over-the-limit", lambda path: with_sheet(roster(path), lambda out: out.write(
        f'<row r="2"><c r="C2" t="inlineStr"><is><t>{"B" * 32_768}</t></is></c></row>'.encode())))
    refused = refused_with_peak_memory_flat(refusing_db, today, path)
    assert "row 2, column C holds a text longer than 32767 characters" in refused.en


def test_a_row_of_a_hundred_thousand_cells_is_refused_before_it_is_built(refusing_db, today, made_once):
    path = made_once("hundred-thousand-cells", lambda path: with_sheet(roster(path), lambda out: [
        out.write(b'<row r="2">'), out.write(b'<c t="inlineStr"><is><t>x</t></is></c>' * 100_000),
        out.write(b"</row>")]))
    refused = refused_with_peak_memory_flat(refusing_db, today, path)
    assert "holds more than 256 cells" in refused.en and "256" in refused.zh


def test_a_cell_of_a_million_rich_text_runs_is_refused_before_they_are_built(refusing_db, today, made_once):
    path = made_once("million-runs", lambda path: with_sheet(roster(path), lambda out: [
        out.write(b'<row r="2"><c r="A2" t="inlineStr"><is>'),
        *(out.write(b"<r><t>a</t></r>" * 100_000) for _ in range(10)), out.write(b"</is></c></row>")]))
    refused = refused_with_peak_memory_flat(refusing_db, today, path)
    assert "holds more than 16384 XML tags" in refused.en


def test_a_row_of_twenty_megabytes_of_text_is_refused(refusing_db, today, made_once):
    cell = b'<c t="inlineStr"><is><t>' + b"D" * 100_000 + b"</t></is></c>"
    path = made_once("twenty-megabyte-row", lambda path: with_sheet(roster(path), lambda out: [
        out.write(b'<row r="2">'), *(out.write(cell) for _ in range(200)), out.write(b"</row>")]))
    refused = refused_with_peak_memory_flat(refusing_db, today, path)
    assert "larger than 16 MB" in refused.en


def test_shared_strings_too_large_together_are_refused(refusing_db, today, made_once, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_SHARED_TEXT_BYTES", 1024 ** 2)
    path = made_once("large-shared-strings", lambda path: with_shared_strings(roster(path, rows=20), lambda out: [
        out.write(SST.encode()), *(out.write(f"<si><t>{'C' * 30_000}</t></si>".encode()) for _ in range(40)),
        out.write(b"</sst>")]))
    before = table_counts(refusing_db)
    with pytest.raises(BadInput) as refused:
        import_file(refusing_db, "members", path, today=today)
    assert "shared strings take more than 1 MB together" in refused.value.en
    assert table_counts(refusing_db) == before


def test_a_roster_with_inline_strings_and_merged_cells_after_its_rows_still_imports(db, world, today, tmp_path):
    path = roster(tmp_path / "roster.xlsx", rows=3)
    with zipfile.ZipFile(path) as source:
        sheet = source.read(SHEET)
    assert b"inlineStr" in sheet  # openpyxl writes its text inline
    merged = "".join(f'<mergeCell ref="G{n}:H{n}"/>' for n in range(1, 400)).encode()
    with_sheet(path, lambda out: out.write(sheet.split(b"</row>", 1)[1].rsplit(b"</sheetData>", 1)[0]))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", b"</sheetData><mergeCells>" + merged + b"</mergeCells>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert import_file(db, "members", path, today=today).inserted == 3


def prefixed(xml: bytes) -> bytes:
    """The sheet as some exporters write it, every tag with a namespace prefix (<x:row>, <x:c>)."""
    import re
    xml = xml.replace(b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                      b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    return re.sub(rb"<(/?)(?!\?)([A-Za-z])", rb"<\1x:\2", xml)


def prefixed_roster(path, *, cells_in_an_extra_row: int = 0) -> None:
    """The roster of three members with every tag of its sheet prefixed, and a row of that many cells after it."""
    roster(path, rows=3)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = prefixed(parts[SHEET])
    if cells_in_an_extra_row:  # the row prefixed a cell at a time: the same bytes, without 600,000 substitutions
        sheet = sheet.replace(b"</x:sheetData>", prefixed(b'<row r="9">') + prefixed(
            b'<c t="inlineStr"><is><t>x</t></is></c>') * cells_in_an_extra_row + b"</x:row></x:sheetData>")
    parts[SHEET] = sheet
    assert b"<x:row" in parts[SHEET]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_a_sheet_whose_tags_carry_a_namespace_prefix_imports(db, world, today, tmp_path):
    prefixed_roster(tmp_path / "roster.xlsx")
    assert import_file(db, "members", tmp_path / "roster.xlsx", today=today).inserted == 3


def test_a_sheet_whose_tags_carry_a_namespace_prefix_is_bounded_the_same(refusing_db, today, made_once):
    path = made_once("prefixed-hundred-thousand-cells",
                     lambda path: prefixed_roster(path, cells_in_an_extra_row=100_000))
    assert "holds more than 256 cells" in refused_with_peak_memory_flat(refusing_db, today, path).en
