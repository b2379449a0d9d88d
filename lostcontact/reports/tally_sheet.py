"""The A–X tally laid out as seed 004 附件5 (与党组织失去联系党员规范管理和组织处置有关情况统计表):
merged multi-row Chinese headers, the column letters A–X, one row per org (parents first, children
indented), the 备注 with the formulas, and the 填表人/填报单位/填报日期 line."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import TextIO

from statemachines.tally import COLUMNS, LABELS

from ..queries.tally import TallyNode
from . import form_notes
from .cells import inert
from .layout import HeaderCell, Sheet

TITLE = "与党组织失去联系党员规范管理和组织处置有关情况统计表"
FIRST = 2  # columns before A: 统计时间, 单位
INDENT = "\u3000"  # one full-width space per level below the reporting org


def col(letter: str) -> int:
    return FIRST + COLUMNS.index(letter)


def _span(row: int, first: str, last: str, text: str) -> HeaderCell:
    return HeaderCell(row, col(first), text, colspan=col(last) - col(first) + 1)


def _tall(row: int, letter: str, text: str, rows: int) -> HeaderCell:
    return HeaderCell(row, col(letter), text, rowspan=rows)


# The seed's header: 统计时间 first (then 单位, one row per org); C, G, P and S head their own groups
# (纳入组织管理人数 over D–F, 给予组织处置出党人数 over H–L and Q–R, 停止党籍人数 over T–U) with the
# group's own column left blank beneath, as on paper: C is at least D+E+F, not their 合计.
HEADER: tuple[HeaderCell, ...] = (
    HeaderCell(0, 0, "统计时间", rowspan=3), HeaderCell(0, 1, "单位", rowspan=3),
    _tall(0, "A", LABELS["A"], 3), _span(0, "B", "N", "经查找取得联系的党员"),
    _span(0, "O", "W", "目前仍未取得联系的党员"), _tall(0, "X", LABELS["X"], 3),
    _tall(1, "B", "总数", 2), _span(1, "C", "F", LABELS["C"]), _span(1, "G", "L", LABELS["G"]),
    _tall(1, "M", LABELS["M"], 2), _tall(1, "N", LABELS["N"], 2),
    _tall(1, "O", "总数", 2), _span(1, "P", "R", LABELS["P"]), _span(1, "S", "U", LABELS["S"]),
    _tall(1, "V", LABELS["V"], 2), _tall(1, "W", LABELS["W"], 2),
    *(HeaderCell(2, col(letter), "" if letter in "CGPS" else LABELS[letter]) for letter in "CDEFGHIJKLPQRSTU"),
    HeaderCell(3, 0, ""), HeaderCell(3, 1, ""), *(HeaderCell(3, col(letter), letter) for letter in COLUMNS),
)
WIDTHS = (12, 26) + tuple(9 if letter in "AX" else 7 for letter in COLUMNS)
EXPLANATIONS = (
    "本表按组织层级逐级汇总，每个单位一行（下级单位缩进）；统计时间为统计截止日期。",
    "表内关系另有：C≥D+E+F（保留组织关系、停止党籍、限期改正人数为纳入组织管理人数中的一部分）。",
)


def tally_rows(tree: TallyNode, as_of: date):
    from ..templating import cn_date  # Jinja2's module: not for the terminal's table, which needs only INDENT

    day = cn_date(as_of)
    for depth, node in tree.walk():
        yield [day, INDENT * depth + node.name, *(node.columns[c] for c in COLUMNS)]


def tally_sheet(tree: TallyNode, as_of: date, filled_on: date) -> Sheet:
    from ..templating import cn_date

    return Sheet(
        title=TITLE, header=HEADER, rows=tally_rows(tree, as_of), widths=WIDTHS,
        above=(f"填报单位：{tree.name}（{tree.code}）　　统计时间：截至{cn_date(as_of)}", "负责领导（签字）："),
        notes=form_notes.TALLY, explanations=EXPLANATIONS,
        footer=f"填表人：　　　　　　联系电话：　　　　　　填报单位（盖章）：{tree.name}　　　　　　填报日期：{cn_date(filled_on)}",
        landscape=True, numeric_from=FIRST, doc_title=f"{TITLE}（{tree.name}，截至{as_of.isoformat()}）")


def _csv_line(values: list) -> str:
    """One CSV line ending in "\n". Python's csv quotes only the characters of its own line terminator, so a
    name holding a carriage return would start a new row (beginning with what followed it) under "\n":
    the line is written with "\r\n" — every field holding either is quoted — and then ended with "\n"."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()[:-2] + "\n"


def write_tally_csv(tree: TallyNode, as_of: date, out: TextIO) -> None:
    """One row per org, parents first: org, name, level, parent, depth, as_of, A…X (typed text made inert)."""
    out.write(_csv_line(["org", "name", "level", "parent", "depth", "as_of", *COLUMNS]))
    parents = {child.code: node.code for _d, node in tree.walk() for child in node.children}
    for depth, node in tree.walk():
        out.write(_csv_line([inert(node.code), inert(node.name), node.level, inert(parents.get(node.code, "")),
                             depth, as_of.isoformat(), *(node.columns[c] for c in COLUMNS)]))
