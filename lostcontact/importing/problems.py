"""Problems found in an import file: each names the file, row, column and value, with a reason in
Chinese and English. They are collected (not raised one by one) so a refused file lists every bad row."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from statemachines.errors import BadInput

from ..masking import mask_id

# A file that is wrong on every row would otherwise produce a million lines nobody reads (and hold them
# in memory); past this many the rest are counted, not listed.
LISTED_PROBLEMS = 1000
SHOWN_VALUE_CHARS = 40


class _Unreadable:
    """A cell already reported while reading the file (a formula, an Excel error value): the row is bad,
    and the cell is not parsed again to report it twice."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()


class BadValue(ValueError):
    """A cell that cannot be read as its column's type. Raised by the value parsers."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Problem:
    row: int | None          # the file's row number (1 = the header); None for the file as a whole
    column: str | None       # the column's English name, as in INTERFACE.md
    value: str | None        # already masked where it is an ID number
    zh: str
    en: str


_ID_LIKE = re.compile(r"\d{15,17}[\dXx]?")


def shown(value: object, *, is_id: bool = False) -> str:
    """A cell value as it may appear in a message: ID numbers masked (also one that strayed into another
    column or a formula), long values cut."""
    text = "" if value is None else str(value)
    if is_id:
        return mask_id(text.strip())
    text = _ID_LIKE.sub(lambda match: mask_id(match.group()), text)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS] + "…"


@dataclass
class Problems:
    file_name: str
    listed: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, row: int | None, column: str | None, value: str | None, zh: str, en: str) -> None:
        self.count += 1
        if len(self.listed) < LISTED_PROBLEMS:
            self.listed.append(Problem(row, column, value, zh, en))

    def __bool__(self) -> bool:
        return self.count > 0

    def detail_lines(self) -> list[tuple[str, str]]:
        lines = [self._line(p) for p in self.in_order()]
        if self.count > len(self.listed):
            more = self.count - len(self.listed)
            lines.append((f"另有 {more} 处问题未列出", f"{more} more problems not listed"))
        return lines

    def _line(self, p: Problem) -> tuple[str, str]:
        where_zh, where_en = [self.file_name], [self.file_name]
        if p.row is not None:
            where_zh.append(f"第{p.row}行")
            where_en.append(f"row {p.row}")
        if p.column is not None:
            where_zh.append(f"列 {p.column}")
            where_en.append(f"column {p.column}")
        if p.value is not None:
            where_zh.append(f"值「{p.value}」")
            where_en.append(f"value '{p.value}'")
        return f"{' '.join(where_zh)}：{p.zh}", f"{', '.join(where_en)}: {p.en}"

    def in_order(self) -> list[Problem]:
        return sorted(self.listed, key=lambda p: (p.row or 0, p.column or ""))

    def refuse(self) -> "RefusedFile":
        return RefusedFile(f"导入文件 {self.file_name} 有 {self.count} 处问题，未写入任何数据",
                           f"import file {self.file_name} has {self.count} problem(s); nothing was written",
                           details=self.detail_lines(), problems=self.in_order(),
                           unlisted=self.count - len(self.listed))


class RefusedFile(BadInput):
    """A file refused for its rows: the lines of `details`, and each problem as data (the web lists them
    in a table and offers them as a file)."""

    def __init__(self, zh: str, en: str, *, details: list[tuple[str, str]], problems: list[Problem], unlisted: int):
        super().__init__(zh, en, details=details)
        self.problems = problems
        self.unlisted = unlisted
