"""Seed 001 附件2 专项治理工作情况汇总统计表: the persons on file by type, the problems found by kind and the handled
ones by org, rank and measure, per org row as of any day, with the seed's header."""
from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.reports.travel_forms import render_travel_form
from lostcontact.services.travel import problems
from lostcontact.services.travel.checks import run_checks

from ..conftest import read_only_world
from .conftest import TODAY, travel_world
from .printing import assert_prints_on_one_page

SEED_001 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("001_*.txt"), None)
CHECKED, HANDLED, ON = date(2024, 3, 1), date(2024, 3, 20), date(2024, 4, 1)


def build_county(database):
    """甲 (县处级 serving, C1) and 乙 (厅局级 retired, B1) hold their passports past the hand-in period (P2); 丙
    (enterprise leader, B3) is on file; 丁 (B1) has a type but is not on file. 甲's P2 is handled by 诫勉谈话 and
    调离岗位 on 3-20; a Q1 on 丙 is recorded; 乙's P2 is dismissed."""
    travel = travel_world(database)
    jia = travel.person("甲", org="C1", rank="county", registered_on=date(2024, 1, 5))
    yi = travel.person("乙", org="B1", rank="bureau", person_type="bureau_level_retired", registered_on=date(2024, 1, 5))
    bing = travel.person("丙", org="B3", rank="staff", person_type="enterprise_leader", actor="cadre2",
                         registered_on=date(2024, 1, 5))
    travel.person("丁", org="B1", person_type="township_leader")
    travel.document(jia, at=date(2024, 1, 5))
    travel.document(yi, at=date(2024, 1, 5))
    assert run_checks(travel.db, as_of=CHECKED, today=TODAY, actor_login="cadre_city", kinds=("P2",)) == {"P2": 2}
    from lostcontact.queries.travel.problems import list_problems
    found = {p["person_name"]: p["id"] for p in list_problems(travel.db, actor_login="cadre_city", today=TODAY)}
    for name, step, kw in (("甲", "verify", {}), ("甲", "handle", {"measures": ("admonition", "transfer")}),
                           ("乙", "verify", {}), ("乙", "dismiss", {"reason": "已按期交回"})):
        problems.fire_problem(travel.db, found[name], step, actor_login="cadre_city", today=TODAY, at=HANDLED, **kw)
    problems.record_problem(travel.db, bing, "Q1", evidence="伪造护照", actor_login="liaison1", today=TODAY,
                            at=date(2024, 3, 5))
    return travel


# Every test here reads the world and none writes: one world a module on each engine, not one a test.
shared_world, county = read_only_world("travel-governance-county", build_county, "county")


def sheet_rows(db, as_of=ON, actor="discipline1") -> list[list]:
    path = Path(tempfile.mkdtemp()) / "governance.xlsx"
    render_travel_form(db, "governance", today=TODAY, as_of=as_of, actor_login=actor, path=path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    first = next(i for i, r in enumerate(rows) if r[0] == "序号") + 3
    return [r for r in rows[first:] if isinstance(r[2], int)]


def test_each_row_counts_its_subtree_as_the_form_splits_it(county):
    root, c1, c2 = sheet_rows(county.db)
    # 单位数, 登记备案人员数 [小计, 县处级以上在职, 厅局级以上离退休, 企业, 涉密, 裸官]
    assert root[2:9] == [3, 3, 1, 1, 1, 0, 0]
    assert c1[2:9] == [2, 2, 1, 1, 0, 0, 0] and c2[2:9] == [1, 1, 0, 0, 1, 0, 0]
    # P1..P7: 乙's P2 was dismissed
    assert root[9:16] == [0, 1, 0, 0, 0, 0, 0]
    # 处理单位数, 处理人员 [小计, 省部级, 厅局级, 县处级, 乡科级, 其他], 处理方式 [批评教育 … 移交纪检监察机关]
    assert root[16:30] == [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    assert root[30] == "弄虚作假、伪造变造或买卖使用伪造证件1个" and c2[30] == root[30] and not c1[30]


def test_a_day_before_the_handling_has_the_problems_but_nothing_handled(county):
    root = sheet_rows(county.db, as_of=date(2024, 3, 10))[0]
    assert root[9:16] == [0, 2, 0, 0, 0, 0, 0] and root[16:30] == [0] * 14
    assert sheet_rows(county.db, as_of=date(2024, 1, 4))[0][2:30] == [0] * 28


def test_the_form_carries_the_seed_s_header(county):
    out = io.StringIO()
    render_travel_form(county.db, "governance", today=TODAY, as_of=ON, actor_login="discipline1", stdout=out)
    headings = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", out.getvalue(), flags=re.S)
    assert headings == [
        "序号", "地区或单位", "组织开展情况", "问题排查情况", "处理情况", "备注", "开展治理的地区和单位数（个）",
        "登记备案人员数（人）", "违规办理因私出国（境）证件", "违规持有因私出国（境）证件", "瞒报持有因私出国（境）证件",
        "未经批准擅自因私出国（境）", "未按审批要求因私出国（境）", "瞒报因私出国（境）情况", "审批因私出国（境）事项把关不严",
        "处理单位数（个）", "处理人员（人）", "处理方式（人）", "小计", "县处级以上在职干部", "厅局级以上离退休人员",
        "企业法人或领导人员", "安全、涉密等重要岗位人员", "“裸官”的配偶或子女", "小计", "省部级", "厅局级", "县处级",
        "乡科级", "其他", "批评教育", "诫勉谈话", "调离岗位", "责令辞职", "免职", "降职", "移交纪检监察机关"]
    if SEED_001 is not None:
        seed = re.sub(r"\s", "", SEED_001.read_text("utf-8"))
        assert all(h in seed for h in headings)
    assert "专项治理工作情况汇总统计表" in out.getvalue() and "审核人：" in out.getvalue()


@pytest.mark.slow
def test_the_workbook_and_the_pdf_print_on_one_page_wide_with_the_title_and_header_on_page_one(county, tmp_path):
    assert_prints_on_one_page(
        lambda path: render_travel_form(county.db, "governance", today=TODAY, as_of=ON, actor_login="discipline1",
                                        path=path), tmp_path, "governance", "专项治理工作情况汇总统计表", "移交纪检监察机关")
