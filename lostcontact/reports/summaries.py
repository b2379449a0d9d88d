"""The per-org summaries of seed 003 as sheets: 附件7 与党组织失去联系党员情况汇总表 (from the members
whose search ended without contact) and 附件9 与党组织失去联系党员管理及处置情况汇总表 (regrouped from the
A–X tally of the same org and date, so it always agrees with the tally sheet). One row per org, parents first."""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterator

from ..queries.tally import TallyNode
from ..templating import circled, cn_date
from . import form_notes as seed
from .layout import HeaderCell, Sheet
from .tally_sheet import INDENT

FOOTER = "填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期：{}"


def _org_rows(tree: TallyNode, values: Callable[[TallyNode], list]) -> Iterator[list]:
    for depth, node in tree.walk():
        yield [INDENT * depth + node.name, *values(node)]


SUMMARY_HEADER = (
    HeaderCell(0, 0, "单位", rowspan=2), HeaderCell(0, 1, "排查前在册党员人数", rowspan=2),
    HeaderCell(0, 2, "经查找仍然无法取得联系党员", colspan=2),
    HeaderCell(1, 2, "合计"), HeaderCell(1, 3, "其中：预备党员"),
    HeaderCell(0, 4, "失去联系情形", colspan=8),
    *(HeaderCell(1, 3 + i, circled(i)) for i in range(1, 8)), HeaderCell(1, 11, "未确定"),
    HeaderCell(0, 12, "职业", colspan=9),
    *(HeaderCell(1, 11 + i, circled(i)) for i in range(1, 9)), HeaderCell(1, 20, "未填"),
    HeaderCell(0, 21, "补充资料", rowspan=1), HeaderCell(1, 21, "“口袋”党员数"),
)
SUMMARY_KEYS_IN_ORDER = ("roster", "total", "probationary", *(f"cause{i}" for i in range(1, 8)), "cause_unknown",
                         *(f"occupation{i}" for i in range(1, 9)), "occupation_unknown", "pocket")
SUMMARY_EXPLANATIONS = (
    "“经查找仍然无法取得联系党员”只计联系查找已经结束、确实无法取得联系的党员（统计表O栏中查找已结束的）；截至统计时间"
    "尚在查找联系的党员计入统计表W栏，不计入本表。",
    "“排查前在册党员人数”按现有党员名册中统计时间前已入党的党员统计。",
    "失去联系情形、职业的代码与《经查找仍然无法取得联系党员登记表》相同；“未确定”“未填”为尚未登记该项的人数。",
)


def summary_sheet(tree: TallyNode, *, as_of: date, filled_on: date) -> Sheet:
    """附件7; rows: the org and each descendant."""
    return Sheet(
        title="与党组织失去联系党员情况汇总表", header=SUMMARY_HEADER,
        rows=_org_rows(tree, lambda n: [n.columns[k] for k in SUMMARY_KEYS_IN_ORDER]),
        widths=(24, 10, 8, 8, *(5,) * 8, *(5,) * 9, 9),
        above=(f"填报单位（盖章）：{tree.name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=seed.SUMMARY, notes_title=seed.NOTES_TITLE, explanations=SUMMARY_EXPLANATIONS,
        footer=FOOTER.format(cn_date(filled_on)), landscape=True, numeric_from=1,
        doc_title=f"与党组织失去联系党员情况汇总表（{tree.name}，截至{as_of.isoformat()}）")


# 附件9: each column as (its headings, outermost first; the A–X columns it is made of). The seed's note 6
# (“组织处置”和“纪律处分”可以有交叉) implies the 组织处置 and 纪律处分 groups on each side.
REACHED, UNREACHED = "经查找取得联系党员", "经查找仍然无法取得联系党员"
ORGANISATIONAL, DISCIPLINARY = "组织处置", "纪律处分"
DISPOSITION_COLUMNS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("与党组织失去联系党员总数",), "A"),
    ((REACHED, "合计"), "B"),
    ((REACHED, "纳入组织管理"), "C-D-E-F"),
    ((REACHED, ORGANISATIONAL, "保留组织关系"), "D"),
    ((REACHED, ORGANISATIONAL, "停止党籍（出国（境）定居）"), "E"),
    ((REACHED, ORGANISATIONAL, "限期改正"), "F"),
    ((REACHED, ORGANISATIONAL, "劝退或劝而不退除名"), "H"),
    ((REACHED, ORGANISATIONAL, "自行脱党除名"), "I"),
    ((REACHED, ORGANISATIONAL, "退党除名"), "J"),
    ((REACHED, ORGANISATIONAL, "不予承认党员资格"), "K"),
    ((REACHED, ORGANISATIONAL, "取消预备党员资格"), "L"),
    ((REACHED, DISCIPLINARY, "开除党籍"), "M"),
    ((REACHED, "尚在调查核实"), "N"),
    ((UNREACHED, "合计"), "ended"),
    ((UNREACHED, ORGANISATIONAL, "自行脱党除名"), "Q"),
    ((UNREACHED, ORGANISATIONAL, "取消预备党员资格"), "R"),
    ((UNREACHED, ORGANISATIONAL, "停止党籍"), "S"),
    ((UNREACHED, DISCIPLINARY, "开除党籍"), "V"),
    (("尚在查找联系党员",), "searching"),
    (("确认死亡",), "X"),
    (("取消预备党员资格合计",), "L+R"),
    (("组织处置出党合计",), "G+P"),
)
DEPTH = max(len(path) for path, _f in DISPOSITION_COLUMNS)


def formula_value(formula: str, columns: dict[str, int]) -> int:
    """'C-D-E-F' or 'L+R' over the tally columns (and the named counts `ended` and `searching`)."""
    total, sign, term = 0, 1, ""
    for ch in formula + "+":
        if ch in "+-":
            total += sign * columns[term]
            sign, term = (1 if ch == "+" else -1), ""
        else:
            term += ch
    return total


def nested_header(paths: list[tuple[str, ...]], *, first_col: int = 0, level: int = 0, depth: int) -> list[HeaderCell]:
    """Headings over consecutive columns sharing a group at `level` merge into one cell; a column's own
    heading reaches down to the last header row."""
    cells, index = [], 0
    while index < len(paths):
        path = paths[index]
        if len(path) == level + 1:
            cells.append(HeaderCell(level, first_col + index, path[level], rowspan=depth - level))
            index += 1
            continue
        run = index
        while run < len(paths) and len(paths[run]) > level + 1 and paths[run][level] == path[level]:
            run += 1
        cells.append(HeaderCell(level, first_col + index, path[level], colspan=run - index))
        cells += nested_header(paths[index:run], first_col=first_col + index, level=level + 1, depth=depth)
        index = run
    return cells


DISPOSITION_HEADER = (HeaderCell(0, 0, "单位", rowspan=DEPTH),
                      *nested_header([path for path, _f in DISPOSITION_COLUMNS], first_col=1, depth=DEPTH))


NAMED_IN_WORDS = {"ended": "O栏中查找已结束的", "searching": "O栏中尚在查找的"}


def _sources() -> str:
    """“与党组织失去联系党员总数＝A；经查找取得联系党员：合计＝B，纳入组织管理＝C-D-E-F，…；…”."""
    parts: list[str] = []
    for path, formula in DISPOSITION_COLUMNS:
        formula = NAMED_IN_WORDS.get(formula, formula)
        if len(path) == 1:
            parts.append(f"{path[0]}＝{formula}")
        elif parts and parts[-1].startswith(path[0] + "："):
            parts[-1] += f"，{path[-1]}＝{formula}"
        else:
            parts.append(f"{path[0]}：{path[-1]}＝{formula}")
    return "；".join(parts)


DISPOSITION_EXPLANATIONS = (
    "本表由《与党组织失去联系党员规范管理和组织处置有关情况统计表》同一单位、同一统计时间的数据生成，各栏对应统计表栏目："
    + _sources() + "。",
    "按填表要求3，“经查找仍然无法取得联系党员”与《经查找仍然无法取得联系党员登记表》相同，只计联系查找已经结束的党员"
    "（统计表O栏中查找已结束的，含处置尚未最终确定的）；截至统计时间尚在查找联系的党员单列为“尚在查找联系党员”，不计入该组。"
    "各栏关系：与党组织失去联系党员总数＝经查找取得联系党员合计＋经查找仍然无法取得联系党员合计＋尚在查找联系党员＋确认死亡。",
)


def disposition_values(node: TallyNode, ended: dict[int, int]) -> list[int]:
    """One org's row: its tally columns, with `ended` = the unreached members whose search has ended (附件6's,
    the `total` of 附件7 for the same org and date) and `searching` = the rest of O."""
    named = {**node.columns, "ended": ended.get(node.org_id, 0),
             "searching": node.columns["O"] - ended.get(node.org_id, 0)}
    return [formula_value(f, named) for _p, f in DISPOSITION_COLUMNS]


def disposition_summary_sheet(tree: TallyNode, *, ended: TallyNode, as_of: date, filled_on: date) -> Sheet:
    """附件9, regrouped from the A–X tally of the same org and date; `ended` is 附件7's tree (unreached_summary)
    of the same org and date, whose `total` splits O into the ended searches and those still going on."""
    ended_by_org = {node.org_id: node.columns["total"] for _d, node in ended.walk()}
    return Sheet(
        title="与党组织失去联系党员管理及处置情况汇总表", header=DISPOSITION_HEADER,
        rows=_org_rows(tree, lambda n: disposition_values(n, ended_by_org)),
        widths=(24, *(7,) * len(DISPOSITION_COLUMNS)),
        above=(f"填报单位（盖章）：{tree.name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=seed.DISPOSITION_SUMMARY, notes_title=seed.NOTES_TITLE, explanations=DISPOSITION_EXPLANATIONS,
        footer=FOOTER.format(cn_date(filled_on)), landscape=True, numeric_from=1,
        doc_title=f"与党组织失去联系党员管理及处置情况汇总表（{tree.name}，截至{as_of.isoformat()}）")
