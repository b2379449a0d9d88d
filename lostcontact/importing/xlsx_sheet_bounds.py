"""Bounding a worksheet part while openpyxl's parser reads it, before it builds anything from it.

The shared-strings table is bounded as it is parsed (xlsx.read_shared_strings), but a sheet can carry its
text inline (`<c t="inlineStr"><is><t>…</t></is></c>`, as openpyxl and many exporters write it), and the XML
parser builds each `<row>` whole, text included, before openpyxl hands it over: a 400 MB text in one cell,
or a row of ten million cells, would be in memory before any check on the values could run.

So the bytes of every worksheet part are checked on their way to the parser, a read at a time, with byte
searches rather than a second parse (a Python callback per element would cost more than openpyxl itself):

- a run of bytes without `<` (a text, or a tag and its attributes) longer than MAX_TEXT_BYTES — the UTF-8
  bytes of Excel's 32,767 characters in a cell at four bytes each;
- a `<row>` holding more than MAX_ROW_BYTES bytes, more tags than MAX_ROW_TAGS (the parser builds an
  element for each: a cell of a million rich-text runs) or more cells than a sheet may have columns.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from statemachines.errors import BadInput

MAX_STRING_CHARS = 32_767                 # Excel's own limit for the text of one cell
MAX_TEXT_BYTES = 4 * MAX_STRING_CHARS     # the UTF-8 bytes such a text may take
MAX_COLUMNS = 256                         # the columns a sheet may use (the templates use fewer than 40)
MAX_ROW_BYTES = 16 * 1024 ** 2            # one row's XML; a roster row is a few hundred bytes
MAX_ROW_TAGS = 64 * MAX_COLUMNS           # one row's tags, closing ones included: a cell of rich text has dozens
# a row starts, or the rows end (then nothing after them is a cell: merged cells, validations, …)
_ROW_EDGE = re.compile(rb"(<(?:[\w.-]+:)?row[\s>/]|</(?:[\w.-]+:)?sheetData>)")
_AFTER_NAME = (b" ", b">", b"/", b"\t", b"\r", b"\n")  # what may follow a tag's name (not <rowBreaks)
_CELL_STARTS = (b"<c ", b"<c>", b":c ", b":c>")  # <c …> with or without a namespace prefix


def too_big(path: Path, zh: str, en: str) -> BadInput:
    from .sources import file_error  # (sources imports this package's xlsx reader lazily)
    return file_error(path, f"{zh}，文件未导入；请检查文件或拆分后再导入", f"{en}; nothing imported: check the file or split it")


def _long_text(path: Path) -> BadInput:
    return too_big(path, f"工作表中有超过 {MAX_STRING_CHARS} 个字符的文字（Excel 单元格的上限）",
                   f"a sheet holds a text longer than {MAX_STRING_CHARS} characters (Excel's limit for a cell)")


class CheckedSheet:
    """A worksheet part's stream that refuses, as soon as it is read past, a text or a row beyond the bounds."""

    def __init__(self, raw, path: Path):
        self.raw, self.path = raw, path
        self.run = 0              # bytes since the last '<' (a text or a tag not finished yet)
        self.tail = b""           # the bytes from the last '<' on, not counted yet (a tag may be cut in two)
        self.rows = 0             # <row> elements started
        self.in_rows = False
        self.row_bytes = self.row_cells = self.row_tags = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self._check_runs(data)
        self._check_rows(data)
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_runs(self, data: bytes) -> None:
        first = data.find(b"<")
        if first < 0:
            self.run += len(data)
        else:
            self.run += first
            if self.run > MAX_TEXT_BYTES:
                raise _long_text(self.path)
            # a run of MAX_TEXT_BYTES inside this read covers a whole window of half that: one search a window
            half = MAX_TEXT_BYTES // 2
            for start in range(first, len(data), half):
                if data.find(b"<", start, start + half) < 0:
                    begin, end = data.rfind(b"<", 0, start) + 1, data.find(b"<", start)
                    if end >= 0 and end - begin > MAX_TEXT_BYTES:
                        raise _long_text(self.path)
            self.run = len(data) - data.rfind(b"<") - 1
        if self.run > MAX_TEXT_BYTES:
            raise _long_text(self.path)

    def _check_rows(self, data: bytes) -> None:
        block = self.tail + data
        cut = block.rfind(b"<") if data else len(block)
        if cut < 0:  # no tag starts here: a long text, bounded by _check_runs
            self.tail = b""
            self._count(block)
            return
        whole, self.tail = block[:cut], block[cut:]
        if b":row" in whole or b":sheetData" in whole:  # tags with a namespace prefix: the general pattern
            pieces = _ROW_EDGE.split(whole)
            self._count(pieces[0])
            for edge, piece in zip(pieces[1::2], pieces[2::2]):
                self._start(not edge.startswith(b"</"))
                self._count(edge + piece)
            return
        end = whole.find(b"</sheetData>")
        if end >= 0:
            self._count_plain(whole[:end])
            self._start(False)
            return
        self._count_plain(whole)

    def _count_plain(self, whole: bytes) -> None:
        """The bounds over `whole`, cut at each `<row` (a literal split, at memory speed; one pass a row)."""
        parts = whole.split(b"<row")
        self._count(parts[0])
        if len(parts) == 1 or not self.in_rows and self.rows:
            return
        rows, cells, tags, size = self.rows, self.row_cells, self.row_tags, self.row_bytes
        for part in parts[1:]:
            if part[:1] in _AFTER_NAME:  # a row starts (not <rowBreaks>)
                rows, cells, tags, size = rows + 1, 0, 0, 0
            cells += part.count(b"<c ") + part.count(b"<c>")
            tags += part.count(b"<") + 1
            size += len(part) + 4
            if cells > MAX_COLUMNS or tags > MAX_ROW_TAGS or size > MAX_ROW_BYTES:
                break
        self.in_rows, self.rows, self.row_cells, self.row_tags, self.row_bytes = True, rows, cells, tags, size
        self._refuse_beyond_bounds()

    def _start(self, row: bool) -> None:
        self.in_rows = row
        self.rows += row
        self.row_bytes = self.row_cells = self.row_tags = 0

    def _count(self, piece: bytes) -> None:
        if not self.in_rows:
            return
        self.row_bytes += len(piece)
        self.row_cells += sum(piece.count(start) for start in _CELL_STARTS)
        self.row_tags += piece.count(b"<")
        self._refuse_beyond_bounds()

    def _refuse_beyond_bounds(self) -> None:
        if self.row_tags > MAX_ROW_TAGS:
            raise too_big(self.path, f"工作表第 {self.rows} 个数据行含有超过 {MAX_ROW_TAGS} 个 XML 标记",
                          f"row element {self.rows} of the sheet holds more than {MAX_ROW_TAGS} XML tags")
        if self.row_cells > MAX_COLUMNS:
            raise too_big(self.path, f"工作表第 {self.rows} 个数据行含有超过 {MAX_COLUMNS} 个单元格",
                          f"row element {self.rows} of the sheet holds more than {MAX_COLUMNS} cells")
        if self.row_bytes > MAX_ROW_BYTES:
            raise too_big(self.path, f"工作表第 {self.rows} 个数据行超过 {MAX_ROW_BYTES // 1024 ** 2} MB",
                          f"row element {self.rows} of the sheet is larger than {MAX_ROW_BYTES // 1024 ** 2} MB")


class CheckedArchive(zipfile.ZipFile):
    """The XLSX archive whose worksheet parts are read through CheckedSheet."""

    def open(self, name, mode="r", *args, **kwargs):
        stream = super().open(name, mode, *args, **kwargs)
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        if mode == "r" and filename.startswith("xl/worksheets/") and filename.endswith(".xml"):
            return CheckedSheet(stream, Path(str(self.filename)))
        return stream
