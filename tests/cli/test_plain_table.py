"""Where stdout is not a terminal the tables are printed without rich's console (lostcontact/cli/
plain_table.py): character for character what rich prints, on random tables of Chinese and Latin text at
random widths, and on the widths and wrapped cells of the real commands' tables."""
from __future__ import annotations

import io
import sys

from hypothesis import assume, given, settings, strategies as st

from lostcontact.cli import tables
from lostcontact.cli.plain_table import PlainConsole
from lostcontact.cli.tables import Column


def printed(out_factory, columns, rows, title=None) -> str:
    """What print_table writes on stdout through the console `out_factory(width)` makes."""
    real, sys.stdout = sys.stdout, io.StringIO()
    try:
        tables.print_table(columns, rows, title=title, out=out_factory())
        return sys.stdout.getvalue()
    finally:
        sys.stdout = real


def rich_console(width):
    from rich.console import Console
    return lambda: Console(file=sys.stdout, width=width, highlight=False, markup=False, emoji=False)


def plain_console(width):
    return lambda: PlainConsole(width)


WORDS = st.sampled_from(["党支部", "县第一中学党支部（411001010101）", "officer_411001010101", "立案", "2025-03-01",
                         "失联登记", "环节期限（升级督办）", "a", "Wang Fang", "　", " ", "", "—", "3", "640",
                         "示范县委组织部（411001）", "案件 2“失联登记”环节超期未办（期限 2025-03-07）", "x" * 30])
CELL = st.lists(WORDS, max_size=4).map("".join) | st.text(alphabet="ab 中文（）、　-1", max_size=40)
COLUMN = st.builds(Column, heading=st.sampled_from(["编号", "党员", "期限", "超期天数", "说明", "n", "一个很长的栏目名称"]),
                   fixed=st.booleans(), numeric=st.booleans(), drop=st.integers(0, 2), least=st.sampled_from([0, 16]))


@settings(max_examples=150, deadline=None)
@given(columns=st.lists(COLUMN, min_size=1, max_size=7), data=st.data(), width=st.integers(40, 160),
       title=st.none() | CELL)
def test_the_plain_table_is_what_rich_prints(columns, data, width, title):
    assume(any(not c.fixed and not c.drop for c in columns))  # tables.py's layout needs a column to wrap
    rows = data.draw(st.lists(st.tuples(*[CELL] * len(columns)), max_size=6))
    assert printed(plain_console(width), columns, rows, title) == printed(rich_console(width), columns, rows, title)


def test_a_cell_with_a_control_character_goes_to_rich_and_reads_the_same():
    columns, rows = (Column("说明"), Column("n", fixed=True, numeric=True)), [("一行\n两行\t制表", 3)]
    assert printed(plain_console(80), columns, rows, "标题\x1b[1m") == printed(rich_console(80), columns, rows,
                                                                                "标题\x1b[1m")


def test_a_script_reading_a_table_gets_the_plain_console_and_a_terminal_gets_rich(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.delenv("TTY_INTERACTIVE", raising=False)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert isinstance(tables.console(), PlainConsole)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not isinstance(tables.console(), PlainConsole)
