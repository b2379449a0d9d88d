"""The tally workbook is laid out as seed 004 附件5: it opens with openpyxl, the merged multi-row Chinese
headers and the column letters A–X sit where the paper form has them (统计时间 first; C, G, P and S heading
their groups, never labelled 合计), one row per org, then the 备注 word for word, the software's 说明 apart, and
the 填表人/填报单位/填报日期 line."""
from __future__ import annotations

from openpyxl import load_workbook

from lostcontact.queries.tally import tally
from lostcontact.reports.render import write_tally
from statemachines.tally import COLUMNS, LABELS

from ..tally.scenario import TODAY
from .conftest import read_only_scenario

shared_world, scenario, db = read_only_scenario()


def workbook(db, tmp_path, **kw):
    tree, day = tally(db, today=TODAY, **kw)
    path = tmp_path / "tally.xlsx"
    write_tally(tree, day, "xlsx", path, filled_on=TODAY)
    return load_workbook(path).active, tree


def test_the_headers_are_merged_as_on_the_paper_form(db, scenario, tmp_path):
    ws, _tree = workbook(db, tmp_path)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表" and "A1:Z1" in merged
    assert ws["A3"].value == "负责领导（签字）："
    # header rows 4–6, letters on row 7; columns A, B are 统计时间 and 单位, C..Z are the form's A..X
    assert (ws["A4"].value, ws["B4"].value) == ("统计时间", "单位") and {"A4:A6", "B4:B6"} <= merged
    assert ws["C4"].value == LABELS["A"] and "C4:C6" in merged
    assert ws["D4"].value == "经查找取得联系的党员" and "D4:P4" in merged           # B..N
    assert ws["Q4"].value == "目前仍未取得联系的党员" and "Q4:Y4" in merged         # O..W
    assert ws["Z4"].value == LABELS["X"] and "Z4:Z6" in merged
    assert ws["E5"].value == "纳入组织管理人数" and "E5:H5" in merged               # C..F
    assert ws["I5"].value == "给予组织处置出党人数" and "I5:N5" in merged           # G..L
    assert ws["R5"].value == "给予组织处置出党人数" and "R5:T5" in merged           # P..R
    assert ws["U5"].value == "停止党籍人数" and "U5:W5" in merged                   # S..U
    assert ws["F6"].value == "保留组织关系人数" and ws["J6"].value == "劝退或劝而不退除名人数"
    assert ws["V6"].value == "确定无法取得联系而停止党籍人数" and ws["X5"].value == LABELS["V"]
    assert [ws.cell(7, 3 + i).value for i in range(24)] == list(COLUMNS)
    # the group's own column under its heading is blank, as on paper: C is at least D+E+F, not their 合计
    assert [ws[cell].value for cell in ("E6", "I6", "R6", "U6")] == [None] * 4
    assert "合计" not in {cell.value for row in ws.iter_rows(min_row=4, max_row=7) for cell in row}


def test_one_row_per_org_then_the_notes_and_the_signature_line(db, scenario, tmp_path):
    ws, tree = workbook(db, tmp_path)
    nodes = [node for _depth, node in tree.walk()]
    for offset, node in enumerate(nodes):
        row = 8 + offset
        assert ws.cell(row, 1).value == "2016年6月20日"
        assert ws.cell(row, 2).value.strip("\u3000") == node.name
        assert [ws.cell(row, 3 + i).value for i in range(24)] == [node.columns[c] for c in COLUMNS]
    after = 8 + len(nodes)
    assert ws.cell(after, 1).value == "备注：1.表内关系：A＝B+O+X；B＝C+G+M+N；G＝H+I+J+K+L；O＝P+S+V+W；P＝Q+R；S=T+U；"
    assert "开除党籍" in ws.cell(after + 1, 1).value and "《中国共产党员纪律处分条例》" in ws.cell(after + 2, 1).value
    assert ws.cell(after + 3, 1).value == "说明：" and "C≥D+E+F" in ws.cell(after + 5, 1).value
    footer = ws.cell(after + 6, 1).value
    assert "填表人" in footer and "填报单位（盖章）：河南省" in footer and "填报日期：2016年6月20日" in footer


def test_a_subtree_workbook_starts_at_that_org(db, scenario, tmp_path):
    ws, tree = workbook(db, tmp_path, org_code="C2")
    assert ws.cell(8, 2).value == "街道党委" and ws.cell(9, 2).value.strip("\u3000") == "社区党支部"
    assert ws.cell(10, 1).value.startswith("备注")
