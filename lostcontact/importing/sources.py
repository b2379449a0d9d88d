"""Opening an import file as a stream of rows: CSV here (UTF-8 with or without BOM, or GB18030/GBK,
detected, and decoded a block at a time so a file mixing encodings is caught line by line; separated by
commas, semicolons or tabs, judged from the header), XLSX in xlsx.py. Nothing holds more than a block of the file in memory."""
from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from statemachines.errors import BadInput, UsageError

from .problems import Problems
from .values import Cell

Row = tuple[int, list[Cell]]  # (row number in the file, cells)

UTF8_BOM = codecs.BOM_UTF8
_SAMPLE_BYTES = 1 << 20
_BLOCK_BYTES = 1 << 20
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls (and .et/.wps) format
csv.field_size_limit(1 << 20)


@dataclass
class Source:
    format: str                 # "csv" or "xlsx"
    encoding: str | None        # the encoding a CSV was read in
    rows: Iterator[Row]         # every row, the header included; a blank row has no non-empty cell


def file_error(path: Path, zh: str, en: str) -> BadInput:
    return BadInput(f"{path.name}：{zh}", f"{path.name}: {en}")


@contextmanager
def open_source(path: Path, *, encoding: str | None, sheet: str | None, problems: Problems,
                warnings: list[tuple[str, str]]) -> Iterator[Source]:
    try:
        with path.open("rb") as handle:
            head = handle.read(_SAMPLE_BYTES)
    except OSError as exc:
        raise file_error(path, f"无法读取文件（{exc.strerror}）", f"cannot read the file ({exc.strerror})") from None
    if not head.strip():
        raise file_error(path, "文件为空", "the file is empty")
    if head.startswith(_OLE_MAGIC):
        raise file_error(path, "这是旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV",
                          "this is an old Excel (.xls) file: save it as .xlsx or CSV")
    if head.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        if encoding:
            warnings.append(("XLSX 文件不使用 --encoding，已忽略", "--encoding does not apply to an XLSX file: ignored"))
        from .xlsx import xlsx_source  # (xlsx.py builds on this module)
        with xlsx_source(path, sheet, problems) as source:
            yield source
        return
    if sheet:
        warnings.append(("CSV 文件没有工作表，--sheet 已忽略", "a CSV file has no sheets: --sheet ignored"))
    chosen = _csv_encoding(path, head, encoding)
    with path.open("rb") as handle:
        yield Source("csv", chosen.name, _csv_rows(handle, chosen, problems, warnings))


# --- CSV ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Encoding:
    name: str            # a Python codec name
    bom: bool            # the file starts with a UTF-8 byte order mark
    declared: bool       # given with --encoding rather than detected


def _csv_encoding(path: Path, head: bytes, declared: str | None) -> Encoding:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4096]:
        raise file_error(path, "文件是 UTF-16 或二进制文件，不是 CSV；请另存为“CSV UTF-8”",
                          "the file is UTF-16 or binary, not a CSV: save it as \"CSV UTF-8\"")
    bom = head.startswith(UTF8_BOM)
    if declared:
        try:
            codec = codecs.lookup(declared)
            if not getattr(codec, "_is_text_encoding", True):  # rot13, base64, hex, zlib: not for text files
                raise LookupError(declared)
            name = codec.name
        except LookupError:
            raise UsageError(f"未知编码 {declared}（可用 utf-8、gb18030、gbk）",
                             f"unknown encoding {declared} (use utf-8, gb18030 or gbk)") from None
        return Encoding(name, bom and name == "utf-8", True)
    if bom:
        return Encoding("utf-8", True, False)
    # Classify the sample line by line: Chinese text in GBK is (almost) never valid UTF-8, so one valid
    # non-ASCII UTF-8 line settles it; lines that then fail are reported as mixed encodings.
    lines = head[: head.rfind(b"\n") + 1 or len(head)].splitlines()
    utf8 = other = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if utf8 or not other:
        return Encoding("utf-8", False, False)
    try:
        b"\n".join(lines).decode("gb18030")
    except UnicodeDecodeError:
        raise file_error(path, "无法识别文件编码（不是 UTF-8 也不是 GB18030/GBK），可用 --encoding 指定",
                          "cannot tell the file's encoding (neither UTF-8 nor GB18030/GBK): give it with --encoding") \
            from None
    return Encoding("gb18030", False, False)


def _decode_error(encoding: Encoding) -> tuple[str, str]:
    label = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK"}.get(encoding.name, encoding.name)
    if encoding.bom:
        return (f"此行不是 {label} 编码（文件以 UTF-8 BOM 开头，内容却不是 UTF-8？）",
                f"this line is not {label} (the file starts with a UTF-8 byte order mark "
                "but its content is not UTF-8?)")
    if encoding.declared:
        return (f"此行不是所指定的 {label} 编码（--encoding 是否正确？）",
                f"this line is not in the declared encoding {label} (is --encoding right?)")
    return (f"此行不是 {label} 编码（文件混用了多种编码？）",
            f"this line is not {label} like the rest of the file (mixed encodings?)")


def _without_utf8_lines(block: bytes, text: str, lines_before: int, problems: Problems,
                        undecodable: set[int]) -> str:
    """A file judged GB18030 from its first MiB may turn to UTF-8 further on; GB18030 decodes (almost) any
    bytes, so such a line would be imported as mojibake (周九 as 鍛ㄤ節). Chinese text in GBK is (almost) never
    valid UTF-8, so a non-ASCII line that is valid UTF-8 is named and the file refused whole."""
    raw_lines = block.split(b"\n")
    lines = None
    for offset, raw in enumerate(raw_lines):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        lines = lines if lines is not None else text.split("\n")
        undecodable.add(lines_before + offset + 1)
        problems.add(lines_before + offset + 1, None, None,
                     "此行是 UTF-8 编码，而文件前面是 GB18030/GBK 编码（文件混用了多种编码，请统一另存为“CSV UTF-8”）",
                     "this line is UTF-8 while the file before it is GB18030/GBK (mixed encodings: "
                     "save the whole file as \"CSV UTF-8\")")
        lines[offset] = ""
    return text if lines is None else "\n".join(lines)


# What separates the columns, judged from the header line: Excel saves "CSV" with the list separator of its
# locale (a semicolon in much of Europe, a tab for "Unicode text"). In order of preference on a tie.
DELIMITERS = {",": ("逗号", "comma"), ";": ("分号", "semicolon"), "\t": ("制表符", "tab")}
# separators a header may have been typed with that CSV cannot use: refused with a hint, not read as one column
_LOOKALIKES = {"，": ("全角逗号“，”", "a full-width comma (，)"), "；": ("全角分号“；”", "a full-width semicolon (；)"),
               "|": ("竖线“|”", "a vertical bar (|)")}
_QUOTED = re.compile(r'"[^"]*"')


def _delimiter(text: str, problems: Problems, warnings: list[tuple[str, str]]) -> str | None:
    """The separator of the header (the first non-blank line of `text`); None when it cannot be read
    (reported). A file separated otherwise than by commas says so in a warning."""
    number, header = next(((n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()), (1, ""))
    bare = _QUOTED.sub("", header)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie: the comma
    if counts[best]:
        if best != ",":
            zh, en = DELIMITERS[best]
            warnings.append((f"表头以{zh}分隔，已按{zh}分隔读取全文", f"the header is separated by {en}s: the file "
                             f"was read as {en}-separated"))
        return best
    lookalike = next((mark for mark in _LOOKALIKES if mark in bare), None)
    if lookalike is not None:
        zh, en = _LOOKALIKES[lookalike]
        problems.add(number, None, None, f"表头各列以{zh}分隔，CSV 文件须以半角逗号（或分号、制表符）分隔，请另存为“CSV UTF-8”",
                     f"the header's columns are separated by {en}: a CSV file needs commas (or semicolons or "
                     "tabs): save it as \"CSV UTF-8\"")
        return None
    return ","  # one column: the header check names what is missing


def _csv_rows(handle, encoding: Encoding, problems: Problems, warnings: list[tuple[str, str]]) -> Iterator[Row]:
    undecodable: set[int] = set()
    blocks = _decoded_blocks(handle, encoding, problems, undecodable)
    first = next(blocks, None)
    if first is None:
        return
    delimiter = _delimiter(first.getvalue(), problems, warnings)
    if delimiter is None:
        return
    reader = csv.reader(itertools.chain.from_iterable(itertools.chain([first], blocks)), delimiter=delimiter,
                        strict=True)
    start = 1
    try:
        for cells in reader:
            end = reader.line_num
            if not undecodable or not any(n in undecodable for n in range(start, end + 1)):
                yield start, cells
            start = end + 1
    except csv.Error as exc:
        problems.add(start, None, None, f"CSV 格式错误（引号未闭合或文件被截断？）：{exc}",
                     f"malformed CSV (an unclosed quote or a truncated file?): {exc}")


def _decoded_blocks(handle, encoding: Encoding, problems: Problems, undecodable: set[int]) -> Iterator[io.StringIO]:
    """The file as text, a block of whole lines at a time (decoding a block is one C call; a line at a
    time costs more than parsing it). A block that does not decode is decoded line by line to name each
    bad line, which is reported and replaced by an empty one."""
    why = _decode_error(encoding)
    codec = encoding.name
    lines_before = 0
    carry = b""
    first = True
    while True:
        chunk = handle.read(_BLOCK_BYTES)
        block = carry + chunk
        if first and encoding.bom:
            block = block[len(UTF8_BOM):]
        first = False
        if chunk:
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                carry = block
                continue
            block, carry = block[:cut], block[cut:]
        elif not block:
            return
        try:
            text = block.decode(codec)
        except UnicodeDecodeError:
            lines = block.split(b"\n")
            decoded = []
            for offset, raw in enumerate(lines):
                try:
                    decoded.append(raw.decode(codec))
                except UnicodeDecodeError:
                    undecodable.add(lines_before + offset + 1)
                    problems.add(lines_before + offset + 1, None, None, *why)
                    decoded.append("")
            text = "\n".join(decoded)
        if codec == "gb18030" and not encoding.declared:
            text = _without_utf8_lines(block, text, lines_before, problems, undecodable)
        if "\x00" in text:  # no database takes a NUL in text: name the lines, drop them
            lines = text.split("\n")
            for offset, line in enumerate(lines):
                if "\x00" in line:
                    undecodable.add(lines_before + offset + 1)
                    problems.add(lines_before + offset + 1, None, None, "此行含有 NUL 字符（二进制数据？）",
                                 "the line holds a NUL character (binary data?)")
                    lines[offset] = ""
            text = "\n".join(lines)
        lines_before += block.count(b"\n")
        yield io.StringIO(text, newline="")
        if not chunk:
            return
