"""Reading an XLSX sheet as a stream of rows with openpyxl's read-only mode, refusing formulas and
Excel error values cell by cell.

One part of an XLSX file cannot be streamed: the shared-strings table that Excel puts every text cell
in, which openpyxl loads whole as a list of str. A million-row roster has two million distinct strings
(ID numbers, names, phones) — some 250 MB as Python strings — so the table is read into one UTF-8
buffer with an offset array instead (SharedStrings, ~25 bytes a string)."""
from __future__ import annotations

import zipfile
import zlib
from array import array
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import ParseError

from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from statemachines.errors import BadInput

from .problems import UNREADABLE, Problems, shown
from .sources import Row, Source, file_error

_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, ParseError, OSError, TypeError)
_EXCEL_ERRORS = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"))
_CELL_TYPES = (str, int, float, datetime, date, bool, time, timedelta)
_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"
_FORMULA = ("单元格是公式，请“选择性粘贴为数值”后再导入", "the cell holds a formula: paste it as values before importing")


class SharedStrings:
    """The shared-strings table as one UTF-8 buffer and the end offset of each string."""

    def __init__(self) -> None:
        self._text = bytearray()
        self._ends = array("Q")

    def append(self, value: str) -> None:
        self._text += value.encode("utf-8")
        self._ends.append(len(self._text))

    def __getitem__(self, index: int) -> str:
        start = self._ends[index - 1] if index else 0
        return self._text[start:self._ends[index]].decode("utf-8")

    def __len__(self) -> int:
        return len(self._ends)


class _LeanReader(ExcelReader):
    """openpyxl's workbook reader with the shared strings kept in a SharedStrings."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = SharedStrings()
        with self.archive.open(part.PartName[1:]) as source:
            for _, node in iterparse(source):  # as openpyxl.reader.strings.read_string_table does
                if node.tag == _STRING_TAG:
                    strings.append(Text.from_tree(node).content.replace("x005F_", ""))
                    node.clear()
        self.shared_strings = strings


def _open_workbook(path: Path):
    reader = _LeanReader(path, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.read()
    return reader.wb


@contextmanager
def xlsx_source(path: Path, sheet: str | None, problems: Problems) -> Iterator[Source]:
    broken = file_error(path, "XLSX 文件已损坏或不完整（被截断？），请重新导出",
                        "the XLSX file is damaged or incomplete (truncated?): export it again")
    try:
        workbook = _open_workbook(path)
    except _BROKEN:
        raise broken from None
    except Exception as exc:  # openpyxl's InvalidFileException and friends
        if type(exc).__module__.startswith(("openpyxl", "lxml", "xml")):
            raise broken from None
        raise
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise file_error(path, f"没有名为“{sheet}”的工作表（有：{'、'.join(workbook.sheetnames)}）",
                             f"no sheet named '{sheet}' (the sheets are: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        worksheet.reset_dimensions()  # some exporters write a wrong <dimension>; read every cell there is
        yield Source("xlsx", None, _rows(worksheet, problems, broken))
    finally:
        workbook.close()


def _rows(worksheet, problems: Problems, broken: BadInput) -> Iterator[Row]:
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
            row = list(cells)
            for index, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    if value.startswith("="):
                        problems.add(number, get_column_letter(index + 1), shown(value), *_FORMULA)
                        row[index] = UNREADABLE
                    elif value in _EXCEL_ERRORS:
                        problems.add(number, get_column_letter(index + 1), value, "单元格是 Excel 错误值",
                                     "the cell holds an Excel error value")
                        row[index] = UNREADABLE
                elif not isinstance(value, _CELL_TYPES):  # array and data-table formulas
                    problems.add(number, get_column_letter(index + 1), None, *_FORMULA)
                    row[index] = UNREADABLE
            yield number, row
    except _BROKEN:
        raise broken from None
