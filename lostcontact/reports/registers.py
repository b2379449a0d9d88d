"""The registers of seed 003 (附件3, 5, 6, 7, 9) and seed 004 (失联党员名册) as sheets, from the same
counted cases as the tally, so every register agrees with the A–X sheet of the same org and date.

    search-record        附件3 查找联系失联党员情况记录表 (one record per member, HTML only)
    found                附件5 经查找取得联系党员登记表 (the tally's B)
    unreached            附件6 经查找仍然无法取得联系党员登记表 (the tally's O whose search has ended)
    summary              附件7 与党组织失去联系党员情况汇总表 (reports.summaries)
    disposition-summary  附件9 与党组织失去联系党员管理及处置情况汇总表 (reports.summaries)
    roster               seed 004 失联党员名册 (the tally's A)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, Iterator

from statemachines.codes import CHANNELS as LABEL_CHANNELS
from statemachines.codes import OUTCOMES as LABEL_OUTCOMES
from statemachines.lifecycle import STATES
from ..queries.registers import RegisterRow
from ..templating import circled, cn_date
from . import form_notes as seed
from .labels import FORM_DISPOSITIONS, SEXES
from .layout import HeaderCell, Sheet

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
        return f"{FORM_DISPOSITIONS[row.final_disposition]}（已批准）"
    if row.disposition:
        return f"拟{FORM_DISPOSITIONS[row.disposition]}（办理中：{STATES[row.state]}）"
    if "N" in row.columns:
        return "尚在调查核实"
    if row.ended_unreached:
        return f"经多方努力确实无法取得联系，待处置（{STATES[row.state]}）"
    return f"尚在查找联系（{STATES[row.state]}）"


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
                    Field("查找结束时间", 12, lambda r: cn_date(r.search_ended)),
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
                 filled_on: date, notes: tuple[str, ...], explanations: tuple[str, ...] = ()) -> Sheet:
    def values() -> Iterator[list]:
        for index, row in enumerate(rows, start=1):
            yield [index, *(f.value(row) for f in fields)]
    return Sheet(
        title=title, header=_field_header(fields), rows=values(), widths=(5, *(f.width for f in fields)),
        above=(f"填报单位（盖章）：{unit_name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=notes, notes_title=seed.NOTES_TITLE, explanations=explanations,
        footer=f"填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期：{cn_date(filled_on)}",
        landscape=True, numeric_from=len(fields) + 1, doc_title=f"{title}（{unit_name}，截至{as_of.isoformat()}）")


FOUND_EXPLANATIONS = ("本表所列即统计表B栏人数；“处置情况”栏为截至统计时间的处置情况；“与党组织失去联系时间”的时长按整月计。",)
UNREACHED_EXPLANATIONS = (
    "本表只列联系查找已经结束、经多方努力确实无法取得联系的党员（统计表O栏中查找已结束的）；截至统计时间尚在查找联系的党员"
    "计入统计表W栏，不列入本表。",)
ROSTER_EXPLANATIONS = ("本名册列出统计表A栏的全部党员（含尚在查找联系的）；“统计栏目”为该党员在统计表中所计入的最末一级栏目。",)


def found_sheet(rows, **kw) -> Sheet:
    return member_sheet("经查找取得联系党员登记表", FOUND_FIELDS, (r for r in rows if r.reached_side),
                        notes=seed.FOUND, explanations=FOUND_EXPLANATIONS, **kw)


def unreached_sheet(rows, **kw) -> Sheet:
    return member_sheet("经查找仍然无法取得联系党员登记表", UNREACHED_FIELDS, (r for r in rows if r.ended_unreached),
                        notes=seed.UNREACHED, explanations=UNREACHED_EXPLANATIONS, **kw)


def unreached_committee_sheet(rows, **kw) -> Sheet:
    """Seed 004's 登记表: the same members as 附件6, filled by a 党（工）委 for its subtree for the county
    organisation department, under that seed's own notes."""
    return member_sheet("经查找仍然无法取得联系党员登记表", UNREACHED_FIELDS, (r for r in rows if r.ended_unreached),
                        notes=seed.UNREACHED_COMMITTEE, explanations=UNREACHED_EXPLANATIONS, **kw)


def roster_sheet(rows, **kw) -> Sheet:
    return member_sheet("失联党员名册", ROSTER_FIELDS, rows, notes=seed.ROSTER,
                        explanations=ROSTER_EXPLANATIONS, **kw)


# ---- 附件3 as one table (the XLSX of the per-member records) ----------------------------------------------

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
    lines = [f"{cn_date(op.on)} 拟{FORM_DISPOSITIONS[op.disposition]}" + (f"：{op.opinion}" if op.opinion else "")
             for op in opinions if op.trigger == "submit"]
    return "\n".join([*lines, disposition_text(row)])


def _on_row(field: Field) -> Field:
    return Field(field.label, field.width, lambda block: field.value(block[0]), field.group)


SEARCH_FIELDS = (*(_on_row(f) for f in (*MEMBER, BRANCH, *LOST, CAUSE)),
                 Field("联系查找情况（时间、方式、过程及结果、证明人）", 48, _search_text),
                 Field("调查核实情况", 24, _findings_text), Field("党支部意见", 24, _branch_opinion_text),
                 _on_row(REMARKS))


def search_record_sheet(blocks, **kw) -> Sheet:
    return member_sheet("查找联系失联党员情况记录表", SEARCH_FIELDS, blocks, notes=seed.SEARCH_RECORD, **kw)
