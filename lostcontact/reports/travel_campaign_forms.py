"""Seed 000 附件2-3 河南省党员和国家工作人员持有身份证情况汇总表 and 附件2-4 …持有出国（境）证件情况汇总表:
what a self-report campaign found, per org row and by rank, as of any day (queries/travel/campaign_forms.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..queries.travel import campaign_forms as queries
from ..queries.travel.campaign_forms import CHECKED, CORRECTED, HANDLINGS, MULTIPLE, RANK_COLUMNS
from ..templating import cn_date
from .layout import HeaderCell, Sheet

RANKS = ("小计", "市厅级干部", "县处级干部", "乡科级干部", "一般国家工作人员", "非公职党员")


@dataclass(frozen=True)
class HoldingLayout:
    title: str
    multiple: str              # the second group's heading
    first_party_only: str      # the first group's last rank heading (附件2-4 says 非公职党员干部)
    judicial: str              # 移送 / 移交司法机关（人）
    query: queries.HoldingForm
    explained: str             # what its second and third groups count


ID_CARD_SUMMARY = HoldingLayout(
    "河南省党员和国家工作人员持有身份证情况汇总表", "持有两个以上身份证人数（人）", "非公职党员", "移送司法机关（人）",
    queries.ID_CARDS,
    "持有两个以上身份证人数：已审核确认的报告（其现行一次报送）中填报两个以上不同身份证号码的人数。自查纠正违规证件数："
    "其中标明已自查纠正的身份证行数。检查处理情况：活动开展（开始日）以来发现的“一人多证”（M1）问题，统计时间已处理且"
    "处理方式含该项的人数（一人多项分别计）。")
DOCUMENT_SUMMARY = HoldingLayout(
    "河南省党员和国家工作人员持有出国（境）证件情况汇总表", "持有两个以上个人不同身份出国（境）证件人数（人）",
    "非公职党员干部", "移交司法机关（人）", queries.TRAVEL_DOCUMENTS,
    "持有两个以上个人不同身份出国（境）证件人数：已审核确认的报告（其现行一次报送）所填出国（境）证件中，证件姓名（未填的按本人"
    "姓名）有两个以上不同的人数。自查纠正违规证件数：其中标明已自查纠正的出国（境）证件行数。检查处理情况：活动开展以来发现的"
    "违规办理（P1）、违规持有（P2）、瞒报持有（P3）因私出国（境）证件和弄虚作假、伪造变造证件（Q1）问题，统计时间已处理且"
    "处理方式含该项的人数（一人多项分别计）。")
HOLDING_EXPLAINED = (
    "各数按自查自报活动的报告、登记的人员及问题记录统计，截至统计时间；人员的单位和职级按统计时间登记的。第一行为填表单位及其下属"
    "全部单位，以下各行为其直属单位（含其下属单位）；只计活动范围内的人员。",
    "自查人员数：统计时间报告已经审核确认（含零报告）的人数。职级“省部级”计入市厅级干部；职级为“其他”的只计入小计；"
    "党政纪处分、组织处理两项无非公职党员栏，非公职党员只计入小计。",
)
GROUPS = ((CHECKED, 6), (MULTIPLE, 6), (CORRECTED, 6), (HANDLINGS[0], 5), (HANDLINGS[1], 5), (HANDLINGS[2], 6))


def holding_header(layout: HoldingLayout) -> tuple[HeaderCell, ...]:
    cells = [HeaderCell(0, 0, "序号", rowspan=3), HeaderCell(0, 1, "地区或单位", rowspan=3),
             HeaderCell(0, 2, "自查人员数（人）", rowspan=2, colspan=6),
             HeaderCell(0, 8, layout.multiple, rowspan=2, colspan=6),
             HeaderCell(0, 14, "自查纠正违规证件数（个）", rowspan=2, colspan=6),
             HeaderCell(0, 20, "检查处理情况", colspan=16),
             HeaderCell(1, 20, "党政纪处分（人）", colspan=5), HeaderCell(1, 25, "组织处理（人）", colspan=5),
             HeaderCell(1, 30, layout.judicial, colspan=6)]
    col = 2
    for number, (_, width) in enumerate(GROUPS):
        labels = RANKS[:width] if number else (*RANKS[:5], layout.first_party_only)
        cells += [HeaderCell(2, col + i, text) for i, text in enumerate(labels)]
        col += width
    return tuple(cells)


def holding_sheet(layout: HoldingLayout, rows: list[queries.HoldingRow], *, campaign_name: str, as_of: date,
                  filled_on: date) -> Sheet:
    root = rows[0]

    def values():
        for number, row in enumerate(rows):
            counts = [row.get(group, column) for group, width in GROUPS for column in (None, *RANK_COLUMNS)[:width]]
            yield [number or "", row.name if number else f"{row.name}（合计）", *counts]

    return Sheet(
        title=layout.title, header=holding_header(layout), rows=values(), widths=(4, 16, *([5] * 34)),
        above=(f"填表单位（盖章）：{root.name}　　　　填表时间：{cn_date(filled_on)}",
               f"自查自报活动：{campaign_name}　　　　统计时间：截至{cn_date(as_of)}"),
        explanations=(*HOLDING_EXPLAINED, layout.explained),
        footer="填表人（签字）：　　　　　　联系电话：　　　　　　　　党委（党组）书记（签字）：",
        landscape=True, numeric_from=2, doc_title=f"{layout.title}（{root.name}，截至{as_of.isoformat()}）")


CAMPAIGN_FORMS = {"id-card-summary": ID_CARD_SUMMARY, "document-summary": DOCUMENT_SUMMARY}
