"""The tables of lostcontact.cli.tables, written without rich's console where rich would print plain text.

When stdout is not a terminal (a script, a pipe, a log) rich prints no colours: only text laid out in
cells. Importing rich's console and table and rendering through them costs ≈ 40 ms of a read command's
start, which scripts calling the CLI hundreds of times pay on every call. This module lays the same text
out itself, with rich's own line breaking (rich._wrap, rich.cells): the same characters, line for line
(tests/cli/test_plain_table.py compares the two on random tables). Anything else — a terminal, forced
colours, control characters in a cell, a table rich would have to squeeze — goes to rich as before.
"""
from __future__ import annotations

import os
import re
import sys
from typing import Sequence

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_TRAILING_SPACE = re.compile(r"\s+$")
_RULE = "━"  # rich.box.SIMPLE_HEAVY's line under the headings


def plain_stdout() -> bool:
    """Would rich print plain text on stdout (no terminal, no forced colours, UTF-8)?"""
    if sys.stdout.isatty() or any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return False
    return (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "") == "utf8"


def _lines(text: str, width: int, *, justify: str | None, no_wrap: bool = False) -> list[str]:
    """rich's Text.wrap of one line of plain text at `width` cells (overflow "fold"), each line justified
    "left" (padded), "right" or not at all (None: rich's "default")."""
    if no_wrap:
        pieces = [text]
    else:
        offsets = divide_line(text, width, fold=True)
        pieces = [text[start:end] for start, end in zip([0, *offsets], [*offsets, len(text)])]
        for i, piece in enumerate(pieces):  # Text.rstrip_end: spaces past the width go (counted in characters)
            excess = len(piece) - width
            trailing = _TRAILING_SPACE.search(piece)
            if excess > 0 and trailing:
                pieces[i] = piece[:len(piece) - min(len(trailing.group(0)), excess)]
    out = []
    for piece in pieces:
        if justify == "right":
            piece = piece.rstrip()
        length = cell_len(piece)
        if length > width:
            piece = set_cell_size(piece, width)
        elif justify and length < width:
            piece = " " * (width - length) + piece if justify == "right" else piece + " " * (width - length)
        out.append(piece)
    return out


def _squeezed(widths: list[int], wrapable: list[bool], room: int) -> list[int]:
    """rich.table.Table's widths for columns wider than the room (its _collapse_widths, then its last
    resort): the widest wrapable columns narrowed first, then every column alike."""
    from rich._ratio import ratio_reduce
    excess = sum(widths) - room
    while any(wrapable) and sum(widths) and excess > 0:
        widest = max(w for w, wraps in zip(widths, wrapable) if wraps)
        second = max(w if wraps and w != widest else 0 for w, wraps in zip(widths, wrapable))
        ratios = [1 if (w == widest and wraps) else 0 for w, wraps in zip(widths, wrapable)]
        if not any(ratios) or not widest - second:
            break
        widths = ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        excess = sum(widths) - room
    if excess > 0:
        widths = ratio_reduce(excess, [1] * len(widths), widths, widths)
    return widths


class PlainConsole:
    """What the tables use of a rich Console (`width`, `print`), printing plain text on stdout."""

    def __init__(self, width: int) -> None:
        self.width = width

    def print(self, text, soft_wrap: bool = False) -> None:
        """Plain text as rich prints it; anything else (a rich Table, control characters) through rich."""
        if not isinstance(text, str) or _CONTROL.search(text):
            return self._rich().print(text, soft_wrap=soft_wrap)
        lines = [text] if soft_wrap else _lines(text, self.width, justify=None)
        sys.stdout.write("".join(line + "\n" for line in lines))

    def print_table(self, headings: Sequence[str], rows: list[Sequence[str]], justify: list[str],
                    no_wrap: list[bool], widths: list[int | None]) -> bool:
        """The table as rich.table.Table(box=SIMPLE_HEAVY, padding=(0, 1), collapse_padding=True,
        pad_edge=False, show_edge=False) prints it; False (nothing printed) where that needs rich."""
        if not headings or any(_CONTROL.search(cell) for cell in (*headings, *(c for row in rows for c in row))):
            return False
        last = len(headings) - 1
        room = self.width - last  # rich's room for the columns: the width less one divider between two
        right_pad = [0 if i == last else 1 for i in range(len(headings))]
        total = []
        for i, width in enumerate(widths):
            if width is not None:
                total.append(min(room, width + right_pad[i]))
            else:
                widest = max(cell_len(c) for c in (headings[i], *(row[i] for row in rows)))
                total.append(min(room, widest + right_pad[i]) or 1)
        if sum(total) > room:
            total = _squeezed(total, [w is None and not nw for w, nw in zip(widths, no_wrap)], room)
        inner = [t - p for t, p in zip(total, right_pad)]
        if min(inner) < 1:
            return False
        out = []
        for n, row in enumerate([headings, *rows]):
            cells = [_lines(cell, inner[i], justify=justify[i], no_wrap=no_wrap[i]) for i, cell in enumerate(row)]
            height = max(len(c) for c in cells)
            for i, cell in enumerate(cells):  # rich aligns the headings at the bottom, the rows at the top
                blank = [" " * inner[i]] * (height - len(cell))
                cells[i] = blank + cell if n == 0 else cell + blank
            for k in range(height):
                out.append(" ".join(cell[k] + " " * right_pad[i] for i, cell in enumerate(cells)))
            if n == 0:
                out.append(_RULE * (sum(total) + last))
        sys.stdout.write("".join(line + "\n" for line in out))
        return True

    def _rich(self):
        from rich.console import Console
        return Console(file=sys.stdout, width=self.width, highlight=False, markup=False, emoji=False)
