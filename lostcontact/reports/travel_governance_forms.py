"""Seed 001 附件2 专项治理工作情况汇总统计表: per org row, as of any day, the persons on file by registered-person
type, the problems found by kind (P1–P7; the police side's Q1–Q3 in 备注) and the handled ones by org, rank and
measure (queries/travel/governance_forms.py)."""
from __future__ import annotations

from datetime import date

from statemachines.travel.codes import PROBLEM_KINDS

from ..queries.travel import governance_forms as queries
from ..queries.travel.governance_forms import MEASURE_COLUMNS, ORG_SIDE_KINDS, POLICE_SIDE_KINDS, RANK_COLUMNS, TYPE_COLUMNS
from ..templating import cn_date
from .layout import HeaderCell, Sheet

TITLE = "专项治理工作情况汇总统计表"
PROBLEM_HEADINGS = ("违规办理因私出国（境）证件", "违规持有因私出国（境）证件", "瞒报持有因私出国（境）证件",
                    "未经批准擅自因私出国（境）", "未按审批要求因私出国（境）", "瞒报因私出国（境）情况",
                    "审批因私出国（境）事项把关不严")
GOVERNANCE_HEADER = (
    HeaderCell(0, 0, "序号", rowspan=3), HeaderCell(0, 1, "地区或单位", rowspan=3),
    HeaderCell(0, 2, "组织开展情况", colspan=7), HeaderCell(0, 9, "问题排查情况", colspan=7),
    HeaderCell(0, 16, "处理情况", colspan=14), HeaderCell(0, 30, "备注", rowspan=3),
    HeaderCell(1, 2, "开展治理的地区和单位数（个）", rowspan=2), HeaderCell(1, 3, "登记备案人员数（人）", colspan=6),
    *(HeaderCell(1, 9 + i, text, rowspan=2) for i, text in enumerate(PROBLEM_HEADINGS)),
    HeaderCell(1, 16, "处理单位数（个）", rowspan=2), HeaderCell(1, 17, "处理人员（人）", colspan=6),
    HeaderCell(1, 23, "处理方式（人）", colspan=7),
    *(HeaderCell(2, 3 + i, text) for i, text in enumerate(
        ("小计", "县处级以上在职干部", "厅局级以上离退休人员", "企业法人或领导人员", "安全、涉密等重要岗位人员",
         "“裸官”的配偶或子女"))),
    *(HeaderCell(2, 17 + i, text) for i, text in enumerate(("小计", "省部级", "厅局级", "县处级", "乡科级", "其他"))),
    *(HeaderCell(2, 23 + i, text) for i, text in enumerate(
        ("批评教育", "诫勉谈话", "调离岗位", "责令辞职", "免职", "降职", "移交纪检监察机关"))),
)
assert len(PROBLEM_HEADINGS) == len(ORG_SIDE_KINDS)
GOVERNANCE_EXPLAINED = (
    "各数按登记的人员和问题记录统计，截至统计时间。第一行为填表单位及其下属全部单位，以下各行为其直属单位（含其下属单位）。",
    "开展治理的地区和单位数：本行范围内统计时间有已备案（含变更待重新备案）人员的单位数。登记备案人员数：统计时间已备案的人数，"
    "按登记备案人员类别分列；其他类别（县（区）管乡科级党政领导干部、市直属单位的中层负责人、退休满1年的市管干部、其他）只计入小计。",
    "问题排查情况：统计时间以前发现、未被排除的问题数（一人多个问题分别计），按问题发现时人员所在单位；公安机关核查的问题"
    "（弄虚作假、伪造变造证件，擅自办证，擅自出具证明）按类写在备注栏。",
    "处理情况：统计时间已处理的问题（各类）。处理单位数：有已处理问题的单位数；处理人员：有已处理问题的人数，按统计时间的职级，"
    "“其他”含一般国家工作人员、非公职党员等；处理方式：处理方式含该项的人数（一人多项分别计），党政纪处分、组织处理、"
    "移送司法机关不在本表之列。",
)


def remark(row: queries.GovernanceRow) -> str:
    return "；".join(f"{PROBLEM_KINDS[k]}{row.problems[k]}个" for k in POLICE_SIDE_KINDS if row.problems[k])


def governance_sheet(rows: list[queries.GovernanceRow], *, as_of: date, filled_on: date) -> Sheet:
    root = rows[0]

    def values():
        for number, row in enumerate(rows):
            yield [number or "", row.name if number else f"{row.name}（合计）", row.units,
                   row.on_file[None], *(row.on_file[t] for t in TYPE_COLUMNS),
                   *(row.problems[k] for k in ORG_SIDE_KINDS), row.handling_units,
                   row.handled[None], *(row.handled[r] for r in RANK_COLUMNS),
                   *(row.measures[m] for m in MEASURE_COLUMNS), remark(row)]

    return Sheet(
        title=TITLE, header=GOVERNANCE_HEADER, rows=values(),
        widths=(4, 12, 6, *([5] * 6), *([6] * 7), 5, *([4] * 6), *([5] * 7), 14),
        above=(f"填表单位（章）：{root.name}　　　　填表时间：{cn_date(filled_on)}　　　　统计时间：截至{cn_date(as_of)}",),
        explanations=GOVERNANCE_EXPLAINED, footer="填表人：　　　　　　（联系电话：　　　　　　）　　　　　　审核人：",
        landscape=True, numeric_from=2, doc_title=f"{TITLE}（{root.name}，截至{as_of.isoformat()}）")


# ---- seed 002 附件2 干部因私出国（境）专项整治工作情况汇总统计表 -------------------------------------------------

RECTIFICATION_TITLE = "干部因私出国（境）专项整治工作情况汇总统计表"
RECTIFICATION_PROBLEMS = ("违规办理因私证照", "违规持有因私证照", "瞒报持有因私证照", "未经批准擅自出国(境)", "未按审批要求出国境",
                          "瞒报出国境情况", "出国境审批事项把关不严")
RECTIFICATION_EXPLAINED = (
    "各数按登记的人员、证件和问题记录统计，统计期为自查自报活动开始之日至统计时间。第一行为填表单位及其下属全部单位，"
    "以下各行为其直属单位（含其下属单位）。",
    "新增登记备案人数：统计期内首次备案的人数（变更后重新备案的不计），按备案时的单位。新收缴证件数：统计期内收交组织保管的"
    "因私证件数（领用后交回的不计），按持证人统计时间的单位。未经审批出国（境）人数：统计期内发现、未被排除的“未经批准擅自"
    "因私出国（境）”问题（P4）的人数；其出境日期的起点为活动的出国（境）报告起始日。",
    "问题排查情况：统计期内发现、未被排除的问题数，按问题发现时人员所在单位。处理人数：其中统计时间已处理的问题涉及的人数；"
    "处理方式（人次）：处理方式含该项的已处理问题数。",
)


def rectification_header(trips_since: date) -> tuple[HeaderCell, ...]:
    return (
        HeaderCell(0, 0, "序号", rowspan=3), HeaderCell(0, 1, "地区、单位（部门）", rowspan=3),
        HeaderCell(0, 2, "组织开展情况", colspan=3), HeaderCell(0, 5, "问题排查情况", colspan=7),
        HeaderCell(0, 12, "违规违纪问题处理情况", colspan=8),
        HeaderCell(1, 2, "新增登记备案人数", rowspan=2), HeaderCell(1, 3, "新收缴证件数(本)", rowspan=2),
        HeaderCell(1, 4, f"{cn_date(trips_since)}以来未经审批出国（境）人数", rowspan=2),
        *(HeaderCell(1, 5 + i, text, rowspan=2) for i, text in enumerate(RECTIFICATION_PROBLEMS)),
        HeaderCell(1, 12, "处理人数", rowspan=2), HeaderCell(1, 13, "处理方式（人次）", colspan=7),
        *(HeaderCell(2, 13 + i, text) for i, text in enumerate(
            ("批评教育", "诫勉", "调离岗位", "责令辞职", "免职", "降职", "移交纪检监察机关"))),
    )


def rectification_sheet(rows, *, campaign, as_of: date, filled_on: date) -> Sheet:
    from . import form_notes as seed
    root = rows[0]

    def values():
        for number, row in enumerate(rows):
            yield [number or "", row.name if number else f"{row.name}（合计）", row.new_registrations, row.received,
                   row.unapproved_trips, *(row.problems[k] for k in ORG_SIDE_KINDS), row.handled_persons,
                   *(row.measures[m] for m in MEASURE_COLUMNS)]

    return Sheet(
        title=RECTIFICATION_TITLE, header=rectification_header(campaign.trips_since), rows=values(),
        widths=(5, 18, 8, 8, 10, *([7] * 7), 6, *([6] * 7)),
        above=(f"填表单位（盖章）：{root.name}　　　　填表时间：{cn_date(filled_on)}",
               f"自查自报活动：{campaign.name}　　　　统计期：{cn_date(campaign.opened_on)}至{cn_date(as_of)}"),
        notes=seed.TRAVEL_RECTIFICATION, explanations=RECTIFICATION_EXPLAINED,
        footer="填表人：　　　　　　联系电话：　　　　　　审核人：", landscape=True, numeric_from=2,
        doc_title=f"{RECTIFICATION_TITLE}（{root.name}，截至{as_of.isoformat()}）")
