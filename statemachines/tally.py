"""The A–X disposition tally (DOMAIN.md §8, seed 004 附件5): its columns, the bucket of one case,
and the invariants every tally must satisfy. Pure: the queries count, this decides where a count goes.
"""
from __future__ import annotations

import operator
from typing import Mapping, Sequence

from .dispositions import columns_for

COLUMNS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTUVWX")

# The wording of the official form (seed 004 附件5), one line per column.
LABELS: dict[str, str] = {
    "A": "超过六个月未与党组织联系的党员总数",
    "B": "经查找取得联系的党员总数",
    "C": "纳入组织管理人数",
    "D": "保留组织关系人数",
    "E": "停止党籍人数",
    "F": "限期改正人数",
    "G": "给予组织处置出党人数",
    "H": "劝退或劝而不退除名人数",
    "I": "自行脱党除名人数",
    "J": "退党除名人数",
    "K": "不予承认党员资格人数",
    "L": "取消预备党员资格人数",
    "M": "开除党籍人数",
    "N": "目前尚在调查核实人数",
    "O": "目前仍未取得联系的党员总数",
    "P": "给予组织处置出党人数",
    "Q": "自行脱党除名人数",
    "R": "取消预备党员资格人数",
    "S": "停止党籍人数",
    "T": "确定无法取得联系而停止党籍人数",
    "U": "因出国（境）定居而停止党籍人数",
    "V": "开除党籍人数",
    "W": "尚在查找联系人数",
    "X": "确认已死亡的人数",
}

# total = sum of parts (备注 1 of the form)
SUMS: tuple[tuple[str, str], ...] = (
    ("A", "BOX"), ("B", "CGMN"), ("G", "HIJKL"), ("O", "PSVW"), ("P", "QR"), ("S", "TU"),
)
# total >= sum of its "of which" parts (D, E, F are 其中 of C)
AT_LEAST: tuple[tuple[str, str], ...] = (("C", "DEF"),)

def case_columns(*, deceased: bool, final_disposition: str | None, final_reached: bool | None,
                 reached: bool | None) -> tuple[str, ...]:
    """Every column one member counts in (DOMAIN.md §8).

    `final_disposition`/`final_reached`: the disposition last finally approved (or recorded) on or before
    the date, with the reached flag in force at that approval; `reached`: the case's flag on the date.
    The side (B or O) of a final disposition follows its own reached flag, so a disposition that does
    not belong to that side shows up as a broken invariant rather than a silently moved count.
    """
    if deceased:
        return ("A", "X")
    if final_disposition is not None:
        side = "B" if final_reached else "O"
        return ("A", side, *columns_for(final_disposition, bool(final_reached)))
    if reached:
        return ("A", "B", "N")
    return ("A", "O", "W")


def empty() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


_AT = {column: i for i, column in enumerate(COLUMNS)}
_SUM_POSITIONS = tuple((_AT[total], tuple(_AT[p] for p in parts)) for total, parts in SUMS)
_AT_LEAST_POSITIONS = tuple((_AT[total], tuple(_AT[p] for p in parts)) for total, parts in AT_LEAST)


def hold_everywhere(columns: Sequence[Sequence[int]]) -> bool:
    """Every invariant holds for every org, `columns` giving each column's counts (in the order of COLUMNS)
    across the orgs. Checked on each org's own counts: a sum of counts that each satisfy these
    (in)equalities satisfies them too, so then every rolled-up total does as well."""
    def added(parts: tuple[int, ...]) -> list[int]:
        total = list(columns[parts[0]])
        for p in parts[1:]:
            total = list(map(operator.add, total, columns[p]))
        return total

    return (all(list(columns[total]) == added(parts) for total, parts in _SUM_POSITIONS)
            and all(all(map(operator.ge, columns[total], added(parts))) for total, parts in _AT_LEAST_POSITIONS))


def broken_invariants(counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """Each broken invariant as (zh, en), naming the columns and their values; [] when all hold."""
    broken = []
    for total, parts in SUMS:
        added = sum(counts[p] for p in parts)
        if counts[total] != added:
            terms = "+".join(f"{p}({counts[p]})" for p in parts)
            broken.append((f"{total}({counts[total]}) ≠ {terms} = {added}",
                           f"{total} = {counts[total]} but {'+'.join(parts)} = {added}"))
    for total, parts in AT_LEAST:
        added = sum(counts[p] for p in parts)
        if counts[total] < added:
            terms = "+".join(f"{p}({counts[p]})" for p in parts)
            broken.append((f"{total}({counts[total]}) < {terms} = {added}",
                           f"{total} = {counts[total]} is less than {'+'.join(parts)} = {added}"))
    return broken
