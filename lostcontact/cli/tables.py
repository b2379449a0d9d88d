"""Every table the command line prints, in one place: a table for people, as wide as the terminal, or CSV
for a pipe (`--format csv`). A command describes its columns and rows; this module lays them out.

The width: `COLUMNS` when set, else the terminal's; when stdout is not a terminal (a pipe, a log file) a
fixed width, so that logs read the same wherever they were written. Narrow terminals wrap long cells
(names, messages) inside their column rather than cut them. rich is imported only when a table is printed
(the command line must start fast).
"""
from __future__ import annotations

import csv
import os
import shutil
import sys
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..reports.cells import inert

TEXT_FORMATS = ("table", "csv", "json")
FORMAT_HELP = "table（表格）| csv（管道、电子表格）| json"
NOT_A_TERMINAL_WIDTH = 120  # a pipe or a log file: wide enough that most rows keep to one line
NARROWEST = 40
TEXT_MIN = 8  # a text column is not squeezed below four Chinese characters
GAP = 2       # cells between two columns


@dataclass(frozen=True)
class Column:
    heading: str            # what a person reads above the column (in Chinese; the CSV header too)
    fixed: bool = False     # never wrapped (numbers, dates, codes); numbers are right-aligned
    numeric: bool = False
    drop: int = 0           # >0: left out, lowest first, when the terminal is too narrow for every column
    least: int = 0          # a text column's narrowest (cells), when more than TEXT_MIN


def width() -> int:
    """The width tables are laid out to (see the module's docstring)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(NARROWEST, int(columns))
    if sys.stdout.isatty():
        return max(NARROWEST, shutil.get_terminal_size().columns)
    return NOT_A_TERMINAL_WIDTH


def console():
    """A rich console writing to the current stdout at `width()`, reading no markup in what it prints (a
    name is printed as typed); where rich would print plain text (not a terminal), a console of our own
    that prints the same text without importing rich's (plain_table.py)."""
    from .plain_table import PlainConsole, plain_stdout
    if plain_stdout():
        return PlainConsole(width())
    from rich.console import Console
    return Console(file=sys.stdout, width=width(), highlight=False, markup=False, emoji=False)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _layout(columns: Sequence[Column], cells: list[list[str]], room: int) -> dict[int, int | None]:
    """{index: width} of the columns shown in `room` cells (None: as wide as its content). Every column fits at
    its narrowest (fixed ones whole, text at TEXT_MIN or `least`) or the droppable ones are left out, lowest
    `drop` first; the text columns then share the room left, none wider than its longest cell."""
    from rich.cells import cell_len

    widest = [max([cell_len(c.heading)] + [cell_len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    narrowest = [w if c.fixed else min(w, max(TEXT_MIN, c.least)) for w, c in zip(widest, columns)]
    shown = list(range(len(columns)))
    for i in sorted((i for i, c in enumerate(columns) if c.drop), key=lambda i: columns[i].drop):
        if sum(narrowest[j] for j in shown) + GAP * (len(shown) - 1) <= room:
            break
        shown.remove(i)
    text = [i for i in shown if not columns[i].fixed]
    left = room - sum(widest[i] for i in shown if columns[i].fixed) - GAP * (len(shown) - 1)
    if sum(widest[i] for i in text) <= left:
        return dict.fromkeys(shown)

    def spent(level: int) -> int:
        return sum(min(widest[i], max(narrowest[i], level)) for i in text)

    level = max((lv for lv in range(max(widest[i] for i in text) + 1) if spent(lv) <= left), default=0)
    widths = {i: min(widest[i], max(narrowest[i], level)) for i in text}
    for i in sorted(text, key=lambda i: -widest[i])[:max(0, left - spent(level))]:
        widths[i] = min(widest[i], widths[i] + 1)
    return {i: widths.get(i) for i in shown}


def rich_table(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, room: int | None = None):
    """The rich Table of `rows` under `columns`, to fit `room` cells: light borders, long text wrapped
    (folded when it has no break), fixed columns whole, numbers right-aligned. Returns (table, the headings
    of the columns left out for lack of room)."""
    from rich import box
    from rich.table import Table
    cells = [[_cell(v) for v in row] for row in rows]
    shown = _layout(columns, cells, room or width())
    table = Table(box=box.SIMPLE_HEAVY, padding=(0, 1), collapse_padding=True, pad_edge=False, show_edge=False)
    for i, fixed_width in shown.items():
        column = columns[i]
        table.add_column(column.heading, justify="right" if column.numeric else "left", overflow="fold",
                         no_wrap=column.fixed, width=fixed_width)
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return table, [c.heading for i, c in enumerate(columns) if i not in shown]


def print_table(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, title: str | None = None,
                out=None) -> None:
    """One table on stdout (or `out`, a rich console) under its title (a line of its own, wrapped at the
    terminal's width, not the table's); a line names the columns a narrow terminal left out."""
    out = out or console()
    cells = [[_cell(v) for v in row] for row in rows]
    shown = _layout(columns, cells, out.width)
    left_out = [c.heading for i, c in enumerate(columns) if i not in shown]
    if title:
        out.print(title)
    if not _printed_plain(out, [columns[i] for i in shown], [[row[i] for i in shown] for row in cells],
                          list(shown.values())):
        out.print(rich_table(columns, cells, room=out.width)[0])
    if left_out:
        out.print(f"（终端较窄，未显示：{'、'.join(left_out)}；加宽终端或用 --format csv 查看全部）"
                  " / narrow terminal: some columns left out", soft_wrap=False)


def _printed_plain(out, columns: Sequence[Column], cells: list[list[str]], widths: list[int | None]) -> bool:
    """The table printed by plain_table where `out` is its console and it can (see there)."""
    from .plain_table import PlainConsole
    return isinstance(out, PlainConsole) and out.print_table(
        [c.heading for c in columns], cells, ["right" if c.numeric else "left" for c in columns],
        [c.fixed for c in columns], widths)


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]], out=None) -> None:
    """The same columns and rows as CSV on stdout: the headings, then one line per row; text a spreadsheet
    would run as a formula is made inert (reports.cells)."""
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow([column.heading for column in columns])
    for row in rows:
        writer.writerow([inert("" if v is None else v) for v in row])


def emit(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, title: str | None = None) -> None:
    """`--format table` or `--format csv` of one table (JSON stays with the command: it keeps the ids)."""
    if fmt == "csv":
        write_csv(columns, rows)
    else:
        print_table(columns, rows, title=title)
