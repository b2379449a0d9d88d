"""Reading an XLSX sheet as a stream of rows with openpyxl's read-only mode, refusing formulas and
Excel error values cell by cell.

One part of an XLSX file cannot be streamed: the shared-strings table that Excel puts every text cell
in, which openpyxl loads whole as a list of str. A million-row roster has two million distinct strings
(ID numbers, names, phones) — some 250 MB as Python strings — so the table is read into one UTF-8
buffer with an offset array instead (SharedStrings, ~25 bytes a string).

A small file can expand into a huge one (a 409 KB file held one 400 MB string; 1.2 MB held 30 million
empty strings; a cell in column XFD pads every row to 16,384 cells). Before anything is read, the sizes the
archive declares are bounded (zipfile never inflates a part past its declared size); the shared strings
are parsed by expat in blocks, each string bounded by Excel's own limit for a cell, their number by what
the sheets could refer to and their total size; each worksheet part is bounded as it is read (text inline in
the sheet, bytes and cells of a row: xlsx_sheet_bounds.py); a row reaching beyond MAX_COLUMNS is refused at
once. All are refused whole."""
from __future__ import annotations

import zipfile
import zlib
from xml.parsers import expat
from array import array
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import ParseError

from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils import get_column_letter

from statemachines.errors import BadInput

from .problems import UNREADABLE, Problems, shown
from .sources import Row, Source, file_error
from .xlsx_sheet_bounds import MAX_COLUMNS, MAX_STRING_CHARS, CheckedArchive, too_big as _too_big

_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, ParseError, OSError, TypeError,
           expat.ExpatError)
_EXCEL_ERRORS = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"))
_CELL_TYPES = (str, int, float, datetime, date, bool, time, timedelta)
MAX_UNCOMPRESSED_BYTES = 2 * 1024 ** 3  # the whole archive inflated; a full 1,048,576-row roster is well below
MAX_SHARED_TEXT_BYTES = 256 * 1024 ** 2  # all shared strings together; a million-row roster holds some 40 MB
_BYTES_PER_STRING_CELL = 16             # no cell referring to a shared string is shorter: <c t="s"><v>0</v></c>
_BLOCK = 1 << 16
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

    @property
    def size(self) -> int:
        """The UTF-8 bytes of every string together."""
        return len(self._text)


def _string_limit(path: Path) -> int:
    """How many shared strings the sheets could refer to, from the sizes the archive declares; refused
    when the archive would inflate past MAX_UNCOMPRESSED_BYTES."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(path, f"解压后超过 {MAX_UNCOMPRESSED_BYTES // 1024 ** 2} MB",
                       f"it would inflate past {MAX_UNCOMPRESSED_BYTES // 1024 ** 2} MB")
    return sum(p.file_size for p in parts if p.filename.startswith("xl/worksheets/")) // _BYTES_PER_STRING_CELL


def read_shared_strings(source, path: Path, limit: int) -> SharedStrings:
    """The <si> strings of sharedStrings.xml as openpyxl reads them (the <t> text of the string and of its
    runs, not the phonetic <rPh> runs), parsed in blocks and refused as soon as one is longer than
    MAX_STRING_CHARS or there are more than `limit`."""
    strings = SharedStrings()
    path_of_names: list[str] = []
    pieces: list[str] = []
    length = 0

    def start(name, _attributes):
        nonlocal length
        local = name.rsplit(" ", 1)[-1]
        path_of_names.append(local)
        if local == "si":
            pieces.clear()
            length = 0

    def text(data):
        nonlocal length
        if path_of_names and path_of_names[-1] == "t" and "rPh" not in path_of_names:
            length += len(data)
            if length > MAX_STRING_CHARS:
                raise _too_big(path, f"含有超过 {MAX_STRING_CHARS} 个字符的文字（Excel 单元格的上限）",
                               f"it holds a text longer than {MAX_STRING_CHARS} characters (Excel's limit for a cell)")
            pieces.append(data)

    def end(name):
        if path_of_names.pop() == "si":
            strings.append("".join(pieces).replace("x005F_", ""))
            if len(strings) > limit:
                raise _too_big(path, "共享字符串多于工作表能引用的单元格数",
                               "it holds more shared strings than its sheets have cells")
            if strings.size > MAX_SHARED_TEXT_BYTES:
                raise _too_big(path, f"共享字符串合计超过 {MAX_SHARED_TEXT_BYTES // 1024 ** 2} MB",
                               f"its shared strings take more than {MAX_SHARED_TEXT_BYTES // 1024 ** 2} MB together")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.CharacterDataHandler, parser.EndElementHandler = start, text, end
    while block := source.read(_BLOCK):
        parser.Parse(block, False)
    parser.Parse(b"", True)
    return strings


class _LeanReader(ExcelReader):
    """openpyxl's workbook reader with the shared strings kept in a SharedStrings, bounded."""

    string_limit = 0

    def __init__(self, fn, **kwargs) -> None:
        super().__init__(fn, **kwargs)
        self.archive.close()  # reopened so that every worksheet part is read through its bounds
        self.archive = CheckedArchive(fn)

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        with self.archive.open(part.PartName[1:]) as source:
            self.shared_strings = read_shared_strings(source, Path(self.archive.filename), self.string_limit)


def _open_workbook(path: Path):
    reader = _LeanReader(path, read_only=True, keep_vba=False, data_only=False, keep_links=False)
    reader.string_limit = _string_limit(path)
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
        yield Source("xlsx", None, _rows(worksheet, problems, broken, path))
    finally:
        workbook.close()


def _rows(worksheet, problems: Problems, broken: BadInput, path: Path) -> Iterator[Row]:
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
            if len(cells) > MAX_COLUMNS:
                raise _too_big(path, f"第 {number} 行用到了第 {MAX_COLUMNS} 列以后的列（直到 {get_column_letter(len(cells))} 列）",
                               f"row {number} reaches beyond column {MAX_COLUMNS} (to column "
                               f"{get_column_letter(len(cells))})")
            row = list(cells)
            for index, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    if len(value) > MAX_STRING_CHARS:  # an inline string within the byte bound of the stream
                        raise _too_big(path, f"第 {number} 行 {get_column_letter(index + 1)} 列的文字超过 "
                                             f"{MAX_STRING_CHARS} 个字符（Excel 单元格的上限）",
                                       f"row {number}, column {get_column_letter(index + 1)} holds a text longer "
                                       f"than {MAX_STRING_CHARS} characters (Excel's limit for a cell)")
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
