"""A printed sheet as data: title, lines above the table, a multi-row header with merged cells, rows,
notes and the signature line. The HTML and XLSX writers render the same `Sheet`, so both formats of a
form always have the same headers."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Sequence

WIDE = 190  # characters of column width beyond which a landscape form goes on A3 (A4 would shrink it below ~80 %)


@dataclass(frozen=True)
class HeaderCell:
    row: int      # 0-based row within the header
    col: int      # 0-based column
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Sheet:
    title: str
    header: tuple[HeaderCell, ...]
    rows: Iterable[Sequence]            # data rows, streamed once
    widths: tuple[int, ...]             # column widths in characters (XLSX) — also fixes the column count
    above: tuple[str, ...] = ()         # lines between the title and the table (填报单位, 统计时间, …)
    notes: tuple[str, ...] = ()         # the seed's 填表要求和指标解释 (or 备注), word for word (reports.form_notes)
    footer: str = ""                    # 填表人 … 填报日期
    landscape: bool = True
    numeric_from: int = 0               # columns from here on are counts (right-aligned)
    doc_title: str = field(default="")  # the HTML <title>; the sheet title when empty
    notes_title: str = ""               # the heading above the notes (填表要求和指标解释), if the seed has one
    explanations: tuple[str, ...] = ()  # what the software adds (a 说明 apart from the seed's notes)
    paper: str = ""                     # "A4" or "A3"; empty: A3 when the columns are too wide for A4
    body: tuple[HeaderCell, ...] = ()   # a form's own cells below the rows, merged like the header's (a
    #                                     person's form whose lines span columns: seed 000 附件2-1/2-2)

    @property
    def paper_size(self) -> str:
        """A4, or A3 for a form whose columns (in characters) would print too small on A4 landscape."""
        return self.paper or ("A3" if sum(self.widths) > WIDE else "A4")

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def header_rows(self) -> int:
        return _rows(self.header)

    @property
    def body_rows(self) -> int:
        return _rows(self.body)

    def header_grid(self) -> list[list[HeaderCell]]:
        """The cells that start on each header row, left to right (what an HTML <tr> holds)."""
        return _grid(self.header)

    def body_grid(self) -> list[list[HeaderCell]]:
        return _grid(self.body)

    def check(self) -> None:
        """Every header (and body) slot is covered exactly once (a layout error is a bug, caught by the tests)."""
        _check(self.header, self.columns)
        _check(self.body, self.columns)


def _rows(cells: tuple[HeaderCell, ...]) -> int:
    return max((c.row + c.rowspan for c in cells), default=0)


def _grid(cells: tuple[HeaderCell, ...]) -> list[list[HeaderCell]]:
    return [sorted((c for c in cells if c.row == r), key=lambda c: c.col) for r in range(_rows(cells))]


def _check(cells: tuple[HeaderCell, ...], columns: int) -> None:
    covered: dict[tuple[int, int], str] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if (r, c) in covered:
                    raise ValueError(f"header slot {(r, c)} covered by {covered[(r, c)]!r} and {cell.text!r}")
                covered[(r, c)] = cell.text
    missing = [(r, c) for r in range(_rows(cells)) for c in range(columns) if (r, c) not in covered]
    if missing:
        raise ValueError(f"header slots not covered: {missing}")

