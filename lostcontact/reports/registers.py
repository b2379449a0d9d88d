"""The registers of seed 003 (附件3, 5, 6, 7, 9) and seed 004 (失联党员名册) as sheets, from the same
counted cases as the tally, so every register agrees with the A–X sheet of the same org and date.

    search-record        附件3 查找联系失联党员情况记录表 (one record per member, HTML only)
    found                附件5 经查找取得联系党员登记表 (the tally's B)
    unreached            附件6 经查找仍然无法取得联系党员登记表 (the tally's O)
    summary              附件7 与党组织失去联系党员情况汇总表 (per org, from the O members)
    disposition-summary  附件9 与党组织失去联系党员管理及处置情况汇总表 (per org, from the tally)
    roster               seed 004 失联党员名册 (the tally's A)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator

from statemachines.codes import CAUSES, CHANNELS as LABEL_CHANNELS, OCCUPATIONS, ORG_TYPES
from statemachines.codes import OUTCOMES as LABEL_OUTCOMES
from statemachines.dispositions import DISPOSITIONS
from statemachines.lifecycle import STATES
from statemachines.tally import COLUMNS

from ..queries.registers import RegisterRow
from ..queries.tally import TallyNode
from ..templating import circled, cn_date
from .labels import SEXES, code_list
from .layout import HeaderCell, Sheet
from .tally_sheet import INDENT

CODE_NOTES = (
    "职业：按以下代码填写。" + code_list(OCCUPATIONS),
    "失去联系情形：按以下代码填写。" + code_list(CAUSES, other_note=True),
    "党组织类别：按以下代码填写。" + code_list(ORG_TYPES),
    "与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间（查找未结束的，计至统计时间）。",
    "“口袋”党员在备注栏中注明。“口袋”党员是指组织关系转出后，没有在规定期限内到接收单位党组织报到落实组织关系的党员。",
)


def remarks(row: RegisterRow) -> str:
    """备注: pocket member, probationary standing, abroad, an “other” cause — as the 填表说明 ask."""
    parts = []
    if row.pocket:
        parts.append("“口袋”党员")
    if row.standing == "probationary":
        parts.append("预备党员")
    if row.abroad:
        parts.append("出国（境）")
    if row.cause == 7:
        parts.append("失去联系情形：其他")
    return "；".join(parts)


def disposition_text(row: RegisterRow) -> str:
    """处置情况 on the date: the disposition in force, else what is pending, else where the search stands."""
    if row.state == "deceased":
        return "确认死亡"
    if row.final_disposition:
        return f"{DISPOSITIONS[row.final_disposition].label}（已批准）"
    if row.disposition:
        return f"拟{DISPOSITIONS[row.disposition].label}（办理中：{STATES[row.state]}）"
    return "尚在调查核实" if "N" in row.columns else f"尚在查找联系（{STATES[row.state]}）"


def bucket(row: RegisterRow) -> str:
    """The most specific tally column the member counts in (e.g. T rather than S or O)."""
    return row.columns[-1]


@dataclass(frozen=True)
class Field:
    label: str
    width: int
    value: Callable[[RegisterRow], object]
    group: str | None = None  # a merged header above consecutive fields of the same group


LOST_GROUP = "与党组织失去联系时间"
MEMBER = (
    Field("姓名", 8, lambda r: r.name),
    Field("性别", 5, lambda r: SEXES.get(r.sex or "", "")),
    Field("民族", 6, lambda r: r.ethnicity or ""),
    Field("出生年月", 10, lambda r: cn_date(r.birth_date, "month")),
    Field("身份证号码", 21, lambda r: r.id_number),
    Field("入党时间", 12, lambda r: cn_date(r.join_date)),
)
OCCUPATION = Field("职业", 5, lambda r: circled(r.occupation))
LOST = (Field("最近一次联系日期", 12, lambda r: cn_date(r.lost_since), LOST_GROUP),
        Field("时长（月）", 6, lambda r: r.lost_months, LOST_GROUP))
CAUSE = Field("失去联系情形", 7, lambda r: circled(r.cause))
BRANCH = Field("所在党支部", 16, lambda r: r.branch.name)
ORG_TYPE = Field("党组织类别", 6, lambda r: circled(r.branch.org_type))
DISPOSITION = Field("处置情况", 22, disposition_text)
REMARKS = Field("备注", 14, remarks)

FOUND_FIELDS = (*MEMBER, OCCUPATION, *LOST, CAUSE, Field("取得联系时间", 12, lambda r: cn_date(r.search_ended)),
                BRANCH, ORG_TYPE, DISPOSITION, REMARKS)
UNREACHED_FIELDS = (*MEMBER, OCCUPATION, *LOST, CAUSE,
                    Field("查找结束时间", 12, lambda r: cn_date(r.search_ended) or "尚在查找"),
                    BRANCH, ORG_TYPE, DISPOSITION, REMARKS)
ROSTER_FIELDS = (*MEMBER, Field("联系电话", 13, lambda r: r.phone or ""), BRANCH, ORG_TYPE, OCCUPATION, *LOST,
                 CAUSE, Field("是否取得联系", 6, lambda r: "是" if r.reached_side else ("—" if "X" in r.columns else "否")),
                 DISPOSITION, Field("统计栏目", 6, bucket), REMARKS)


def _field_header(fields: tuple[Field, ...]) -> tuple[HeaderCell, ...]:
    """序号 then each field; a group's fields sit under one merged cell, the others span both rows."""
    cells = [HeaderCell(0, 0, "序号", rowspan=2)]
    col = 1
    while col - 1 < len(fields):
        field = fields[col - 1]
        if field.group is None:
            cells.append(HeaderCell(0, col, field.label, rowspan=2))
            col += 1
            continue
        span = sum(1 for f in fields[col - 1:] if f.group == field.group)  # consecutive by construction
        cells.append(HeaderCell(0, col, field.group, colspan=span))
        cells += [HeaderCell(1, col + i, f.label) for i, f in enumerate(fields[col - 1:col - 1 + span])]
        col += span
    return tuple(cells)


def member_sheet(title: str, fields: tuple[Field, ...], rows: Iterable[RegisterRow], *, unit_name: str, as_of: date,
                 filled_on: date, notes: tuple[str, ...]) -> Sheet:
    def values() -> Iterator[list]:
        for index, row in enumerate(rows, start=1):
            yield [index, *(f.value(row) for f in fields)]
    return Sheet(
        title=title, header=_field_header(fields), rows=values(), widths=(5, *(f.width for f in fields)),
        above=(f"填报单位（盖章）：{unit_name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=("填表说明：", *(f"{i}.{line}" for i, line in enumerate(notes, start=1))),
        footer=f"填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期：{cn_date(filled_on)}",
        landscape=True, numeric_from=len(fields) + 1, doc_title=f"{title}（{unit_name}，截至{as_of.isoformat()}）")


FOUND_NOTES = ("经查找取得联系党员是指与党组织失去联系6个月以上，经联系查找后重新与党组织取得联系的党员"
               "（即统计表B栏人数）。", *CODE_NOTES)
UNREACHED_NOTES = ("经查找仍然无法取得联系党员是指与党组织失去联系6个月以上，经多方努力确实无法取得联系的党员，"
                   "以及截至统计时间尚在查找的党员（即统计表O栏人数）。", *CODE_NOTES)
ROSTER_NOTES = ("失联党员是指与党组织失去联系6个月以上的党员（即统计表A栏人数）；“统计栏目”为该党员在统计表中所计入的"
                "最末一级栏目。", *CODE_NOTES)


def found_sheet(rows, **kw) -> Sheet:
    return member_sheet("经查找取得联系党员登记表", FOUND_FIELDS, (r for r in rows if r.reached_side),
                        notes=FOUND_NOTES, **kw)


def unreached_sheet(rows, **kw) -> Sheet:
    return member_sheet("经查找仍然无法取得联系党员登记表", UNREACHED_FIELDS, (r for r in rows if r.unreached_side),
                        notes=UNREACHED_NOTES, **kw)


def roster_sheet(rows, **kw) -> Sheet:
    return member_sheet("失联党员名册", ROSTER_FIELDS, rows, notes=ROSTER_NOTES, **kw)


# ---- per-org summaries ---------------------------------------------------------------------------------

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


def summary_sheet(tree: TallyNode, *, as_of: date, filled_on: date) -> Sheet:
    """附件7, from the members still not reached; rows: the org and each descendant."""
    return Sheet(
        title="与党组织失去联系党员情况汇总表", header=SUMMARY_HEADER,
        rows=_org_rows(tree, lambda n: [n.columns[k] for k in SUMMARY_KEYS_IN_ORDER]),
        widths=(24, 10, 8, 8, *(5,) * 8, *(5,) * 9, 9),
        above=(f"填报单位（盖章）：{tree.name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=("填表说明：",
               "1.本表根据党支部填报的《经查找仍然无法取得联系党员登记表》汇总（即统计表O栏人数）。",
               "2.“排查前在册党员人数”指所有正式组织关系在本党组织的党员人数（不仅仅指失联党员），按现有党员名册统计。",
               "3.经查找仍然无法取得联系党员是指与党组织失去联系6个月以上，经多方努力确实无法取得联系的党员。",
               "4.本表补充资料“口袋”党员是指组织关系转出后，没有在规定期限内到接收单位党组织报到落实组织关系的党员。",
               "5.失去联系情形：" + code_list(CAUSES), "6.职业：" + code_list(OCCUPATIONS)),
        footer=f"填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期：{cn_date(filled_on)}",
        landscape=True, numeric_from=1, doc_title=f"与党组织失去联系党员情况汇总表（{tree.name}，截至{as_of.isoformat()}）")


# 附件9: each column and the A–X columns it is made of (so it always agrees with the 附件5 sheet)
DISPOSITION_COLUMNS: tuple[tuple[str | None, str, str], ...] = (
    # (group, label, formula over the tally columns)
    (None, "与党组织失去联系党员总数", "A"),
    ("经查找取得联系党员", "合计", "B"),
    ("经查找取得联系党员", "纳入组织管理", "C-D-E-F"),
    ("经查找取得联系党员", "保留组织关系", "D"),
    ("经查找取得联系党员", "停止党籍（出国（境）定居）", "E"),
    ("经查找取得联系党员", "限期改正", "F"),
    ("经查找取得联系党员", "劝退或劝而不退除名", "H"),
    ("经查找取得联系党员", "自行脱党除名", "I"),
    ("经查找取得联系党员", "退党除名", "J"),
    ("经查找取得联系党员", "不予承认党员资格", "K"),
    ("经查找取得联系党员", "取消预备党员资格", "L"),
    ("经查找取得联系党员", "开除党籍", "M"),
    ("经查找取得联系党员", "尚在调查核实", "N"),
    ("经查找仍然无法取得联系党员", "合计", "O"),
    ("经查找仍然无法取得联系党员", "自行脱党除名", "Q"),
    ("经查找仍然无法取得联系党员", "取消预备党员资格", "R"),
    ("经查找仍然无法取得联系党员", "停止党籍", "S"),
    ("经查找仍然无法取得联系党员", "开除党籍", "V"),
    ("经查找仍然无法取得联系党员", "尚在查找", "W"),
    (None, "确认死亡", "X"),
    (None, "取消预备党员资格合计", "L+R"),
    (None, "组织处置出党合计", "G+P"),
)


def formula_value(formula: str, columns: dict[str, int]) -> int:
    """'C-D-E-F' or 'L+R' over the tally columns."""
    total, sign, term = 0, 1, ""
    for ch in formula + "+":
        if ch in "+-":
            total += sign * columns[term]
            sign, term = (1 if ch == "+" else -1), ""
        else:
            term += ch
    return total


def _disposition_header() -> tuple[HeaderCell, ...]:
    cells = [HeaderCell(0, 0, "单位", rowspan=2)]
    col, index = 1, 0
    while index < len(DISPOSITION_COLUMNS):
        group, label, _formula = DISPOSITION_COLUMNS[index]
        if group is None:
            cells.append(HeaderCell(0, col, label, rowspan=2))
            col, index = col + 1, index + 1
            continue
        members = [c for c in DISPOSITION_COLUMNS[index:] if c[0] == group]
        cells.append(HeaderCell(0, col, group, colspan=len(members)))
        cells += [HeaderCell(1, col + i, c[1]) for i, c in enumerate(members)]
        col, index = col + len(members), index + len(members)
    cells += [HeaderCell(2, 0, "对应统计表栏目")]
    cells += [HeaderCell(2, 1 + i, formula) for i, (_g, _l, formula) in enumerate(DISPOSITION_COLUMNS)]
    return tuple(cells)


def disposition_summary_sheet(tree: TallyNode, *, as_of: date, filled_on: date) -> Sheet:
    """附件9, regrouped from the A–X tally of the same org and date."""
    assert set("".join(f for *_x, f in DISPOSITION_COLUMNS).replace("+", "").replace("-", "")) <= set(COLUMNS)
    return Sheet(
        title="与党组织失去联系党员管理及处置情况汇总表", header=_disposition_header(),
        rows=_org_rows(tree, lambda n: [formula_value(f, n.columns) for *_x, f in DISPOSITION_COLUMNS]),
        widths=(24, *(7,) * len(DISPOSITION_COLUMNS)),
        above=(f"填报单位（盖章）：{tree.name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=("填表说明：",
               "1.由机关党组织根据下级党组织填报情况汇总；本表由《与党组织失去联系党员规范管理和组织处置有关情况统计表》"
               "同一日期的数据生成，末行“对应统计表栏目”标明各栏的来源。",
               "2.与党组织失去联系党员包括经查找取得联系党员和经查找仍然无法取得联系党员。",
               "3.“纳入组织管理”指失联后经排查取得联系的党员中，转出组织关系和纳入原所在党组织正常管理的党员。",
               "4.“取消预备党员资格”统计失联后经排查取得联系和确实无法取得联系的预备党员中，被取消预备党员资格的人数。",
               "5.给予开除党籍以外其他党纪处分的，统计在“纳入组织管理”等相应栏目中。"),
        footer=f"填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期：{cn_date(filled_on)}",
        landscape=True, numeric_from=1,
        doc_title=f"与党组织失去联系党员管理及处置情况汇总表（{tree.name}，截至{as_of.isoformat()}）")


# ---- 附件3 as one table (the XLSX of the per-member records) ----------------------------------------------

SEARCH_RECORD_NOTES = (
    "本表以支部为单位填写，同时上报机关党组织一份存档，报市委工委组织部一份备案。",
    "与党组织失去联系时间：指党员最近一次参加党组织生活或交纳党费日期至联系查找结束时的时间。",
    "与党组织失去联系原因：" + code_list(CAUSES, other_note=True),
)


def _search_text(block) -> str:
    _row, log, _opinions = block
    return "\n".join(f"{cn_date(line.on)} {LABEL_CHANNELS[line.channel]}：{line.note or ''}"
                     f"（{LABEL_OUTCOMES[line.outcome]}；证明人：{line.witness or '—'}）" for line in log)


def _findings_text(block) -> str:
    _row, _log, opinions = block
    return "\n".join(f"{cn_date(op.on)} {op.opinion or ''}".strip() for op in opinions
                     if op.trigger != "submit" and op.opinion)


def _branch_opinion_text(block) -> str:
    row, _log, opinions = block
    lines = [f"{cn_date(op.on)} 拟{DISPOSITIONS[op.disposition].label}" + (f"：{op.opinion}" if op.opinion else "")
             for op in opinions if op.trigger == "submit"]
    return "\n".join([*lines, disposition_text(row)])


def _on_row(field: Field) -> Field:
    return Field(field.label, field.width, lambda block: field.value(block[0]), field.group)


SEARCH_FIELDS = (*(_on_row(f) for f in (*MEMBER, BRANCH, *LOST, CAUSE)),
                 Field("联系查找情况（时间、方式、过程及结果、证明人）", 48, _search_text),
                 Field("调查核实情况", 24, _findings_text), Field("党支部意见", 24, _branch_opinion_text),
                 _on_row(REMARKS))


def search_record_sheet(blocks, **kw) -> Sheet:
    return member_sheet("查找联系失联党员情况记录表", SEARCH_FIELDS, blocks, notes=SEARCH_RECORD_NOTES, **kw)
