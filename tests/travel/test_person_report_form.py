"""Seed 002 附件1 国家工作人员持有因私出入境证件和因私出国（境）情况报告表: one person's report as frozen — documents,
trips, 其他需要说明情况 — in the seed's layout, its 填表说明 word for word, and the pledge as signed."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.reports.travel_forms import render_travel_form
from lostcontact.services.travel import self_reports
from statemachines.errors import BadInput
from statemachines.travel.self_report import PLEDGE, DocumentLine, TripLine

from ..conftest import read_only_world
from ..reports.printed import text_line
from .conftest import TODAY, travel_world
from .printing import assert_prints_on_one_page

SEED = Path(__file__).parent / "seed_text" / "person_report.txt"
SEED_002 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("002_*.txt"), None)


def build_reported(database):
    travel = travel_world(database)
    campaign = self_reports.open_campaign(travel.db, "专项整治", org_code="C1", trips_since=date(2016, 1, 1),
                                          documents_expired_since=date(2018, 1, 1), due_on=date(2024, 6, 10),
                                          actor_login="cadre1", today=TODAY, at=date(2024, 5, 6))
    person = travel.person("王五", org="B1", work_unit="区卫健局", post="副局长")
    self_reports.submit_report(
        travel.db, person, campaign, pledge_signed=True, notes="护照已于2024年5月8日交组织保管", actor_login="cadre1",
        today=TODAY, at=date(2024, 5, 10),
        documents=(DocumentLine("passport_private", "E12345678", date(2029, 4, 30), issued_on=date(2019, 5, 1),
                                kept_at="区委组织部"),),
        trips=(TripLine(date(2018, 2, 10), date(2018, 2, 17), ("泰国", "新加坡"), "旅游", approved=True,
                        approving_authority="区委组织部"),
               TripLine(date(2019, 8, 1), date(2019, 8, 5), ("日本",), "探亲", approved=False)))
    return travel, person, campaign


# Every test here reads the world and none writes: one world a module on each engine, not one a test.
shared_world, reported = read_only_world("travel-person-reported", build_reported, "reported")


def html_of(travel, person, campaign, actor="cadre1") -> str:
    out = io.StringIO()
    render_travel_form(travel.db, "person-report", today=TODAY, actor_login=actor, stdout=out, campaign_id=campaign,
                       person=person)
    return out.getvalue()


def cells(html) -> list[str]:
    return [re.sub(r"\s", "", c) for c in re.findall(r'<td class="cell"[^>]*>(.*?)</td>', html, flags=re.S)]


def test_the_report_shows_what_the_person_reported_in_the_seed_s_layout(reported):
    got = cells(html_of(*reported))
    assert got[:4] == ["姓名", "王五", "单位及职务", "区卫健局副局长"]
    assert got[4:10] == ["本人持有因私出入境证件情况", "证件类别", "证件号码", "证件有效期", "保管机构", "备注"]
    assert got[10:15] == ["因私护照（普通护照）", "E12345678", "2019年5月1日至2029年4月30日", "区委组织部", ""]
    assert got[25:31] == ["本人因私出国(境)情况", "起止时间", "所到国家（地区）", "事由", "审批机构", "备注"]
    assert got[31:36] == ["2018年2月10日至2018年2月17日", "泰国、新加坡", "旅游", "区委组织部", ""]
    assert got[36:39] == ["2019年8月1日至2019年8月5日", "日本", "探亲"] and got[39] == "未经审批"
    assert got[-2:] == ["其他需要说明情况", "护照已于2024年5月8日交组织保管"]


def test_the_seed_s_instructions_and_the_signed_pledge_are_printed_word_for_word(reported):
    html = html_of(*reported)
    kept = [line for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    assert re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S) == [text_line(line) for line in kept]
    assert PLEDGE in html and "本人签名" in html and "2024年5月10日" in html
    if SEED_002 is not None:
        seed = SEED_002.read_text("utf-8")
        assert all(line in seed for line in kept) and PLEDGE in seed


def test_other_readers_see_masked_numbers_and_outsiders_nothing(reported, tmp_path):
    travel, person, campaign = reported
    assert "E12345678" not in html_of(travel, person, campaign, actor="discipline1")
    with pytest.raises(BadInput):
        html_of(travel, person, campaign, actor="cadre2")
    render_travel_form(travel.db, "person-report", today=TODAY, actor_login="cadre1", path=tmp_path / "r.xlsx",
                       campaign_id=campaign, person=person)
    assert load_workbook(tmp_path / "r.xlsx").active["A1"].value == "国家工作人员持有因私出入境证件和因私出国（境）情况报告表"


@pytest.mark.slow
def test_the_workbook_and_the_pdf_print_on_one_page_with_the_pledge(reported, tmp_path):
    travel, person, campaign = reported
    assert_prints_on_one_page(
        lambda path: render_travel_form(travel.db, "person-report", today=TODAY, actor_login="cadre1", path=path,
                                        campaign_id=campaign, person=person),
        tmp_path, "report", "情况报告表", "其他需要说明情况", "本人郑重承诺")
