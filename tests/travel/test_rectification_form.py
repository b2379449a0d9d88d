"""Seed 002 附件2 干部因私出国（境）专项整治工作情况汇总统计表: over a campaign's period, the new registrations, the
documents received, the persons with an unapproved trip, the problems by kind and the handled ones by measure (人次),
per org row; the seed's header and note."""
from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from lostcontact.queries.travel.problems import list_problems
from lostcontact.reports.travel_forms import render_travel_form
from lostcontact.services.travel import persons, problems, self_reports
from lostcontact.services.travel.checks import run_checks
from lostcontact.services.travel.documents import fire_custody
from models import Person, Problem, ProblemEvent
from statemachines.errors import UsageError

from ..conftest import read_only_world
from ..reports.printed import text_line
from .conftest import TODAY, travel_world
from .printing import assert_prints_on_one_page

SEED_002 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("002_*.txt"), None)
OPENED, ON = date(2024, 2, 1), date(2024, 4, 1)


def unapproved_trip(db, id_number: str, found_on: date) -> None:
    """A P4 problem as the check leaves it: the row and its first history record."""
    with db.engine.begin() as conn:
        person = conn.execute(select(Person.__table__).where(Person.__table__.c.id_number == id_number)).one()
        problem_id = conn.execute(insert(Problem.__table__).values(
            person_id=person.id, kind="P4", subject="exit:2024-02-20", org_id=person.org_id, found_on=found_on,
            evidence="未经批准出境", status="found", self_corrected=False, last_seq=1, last_event_on=found_on,
            version=1)).inserted_primary_key[0]
        conn.execute(insert(ProblemEvent.__table__).values(
            problem_id=problem_id, seq=1, trigger="find", from_status=None, to_status="found", self_corrected=False,
            effective_on=found_on, actor="checks", role="cadre_supervisor"))


def build_county(database):
    """A campaign over 新华区 opened 2-1. 甲 (C1) filed before it, re-filed within it, passport received 2-20; 乙
    (B1) and 丙 (B3) filed within it; 丙's passport, never handed in, is P2 on 3-10, handled on 3-20 by 批评教育
    and 诫勉; 乙 went abroad without approval (P4, 3-05)."""
    travel = travel_world(database)
    campaign_id = self_reports.open_campaign(travel.db, "专项整治", org_code="410402", trips_since=date(2016, 1, 1),
                                             documents_expired_since=date(2018, 1, 1), due_on=date(2024, 6, 10),
                                             actor_login="cadre_city", today=TODAY, at=OPENED)
    jia = travel.person("甲", org="C1", registered_on=date(2024, 1, 5))
    persons.fire_registration(travel.db, jia, "change", actor_login="cadre1", today=TODAY, at=date(2024, 2, 5),
                              note="职务变更")
    persons.fire_registration(travel.db, jia, "register", actor_login="cadre1", today=TODAY, at=date(2024, 2, 6))
    yi = travel.person("乙", org="B1", registered_on=date(2024, 2, 10))
    bing = travel.person("丙", org="B3", actor="cadre2", registered_on=date(2024, 2, 15))
    fire_custody(travel.db, travel.document(jia, at=date(2024, 1, 5)), "receive", actor_login="cadre1", today=TODAY,
                 at=date(2024, 2, 20))
    travel.document(bing, actor="cadre2", at=date(2024, 2, 15))
    assert run_checks(travel.db, as_of=date(2024, 3, 10), today=TODAY, actor_login="cadre_city",
                      kinds=("P2",)) == {"P2": 1}
    [p2] = list_problems(travel.db, actor_login="cadre_city", today=TODAY, kind="P2")
    problems.fire_problem(travel.db, p2["id"], "verify", actor_login="cadre2", today=TODAY, at=date(2024, 3, 15))
    problems.fire_problem(travel.db, p2["id"], "handle", actor_login="cadre2", today=TODAY, at=date(2024, 3, 20),
                          measures=("criticism", "admonition"))
    unapproved_trip(travel.db, yi, date(2024, 3, 5))
    travel.campaign_id = campaign_id
    return travel


# Every test here reads the world and none writes: one world a module on each engine, not one a test.
shared_world, county = read_only_world("travel-rectification-county", build_county, "county")


def sheet_rows(world, as_of=ON, actor="discipline1") -> list[list]:
    path = Path(tempfile.mkdtemp()) / "rectification.xlsx"
    render_travel_form(world.db, "rectification", today=TODAY, as_of=as_of, actor_login=actor, path=path,
                       campaign_id=world.campaign_id)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    first = next(i for i, r in enumerate(rows) if r[0] == "序号") + 3
    return [r for r in rows[first:] if isinstance(r[2], int)]


def test_each_row_counts_the_campaign_s_period_as_the_form_splits_it(county):
    root, c1, c2 = sheet_rows(county)
    # 新增登记备案人数, 新收缴证件数, 未经审批出国人数, P1..P7, 处理人数, [批评教育, 诫勉, 调离, 责令辞职, 免职, 降职, 移交]
    assert root[2:] == [2, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]
    assert c1[2:12] == [1, 1, 1, 0, 0, 0, 1, 0, 0, 0] and c1[12] == 0
    assert c2[2:] == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]


def test_a_day_within_the_period_counts_only_what_happened_by_then(county):
    assert sheet_rows(county, as_of=date(2024, 2, 12))[0][2:] == [1, 0, 0, *([0] * 15)]
    assert sheet_rows(county, as_of=date(2024, 3, 12))[0][2:13] == [2, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0]


def test_the_form_carries_the_seed_s_header_and_note(county):
    out = io.StringIO()
    render_travel_form(county.db, "rectification", today=TODAY, as_of=ON, actor_login="discipline1", stdout=out,
                       campaign_id=county.campaign_id)
    html = out.getvalue()
    headings = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html, flags=re.S)
    assert headings == [
        "序号", "地区、单位（部门）", "组织开展情况", "问题排查情况", "违规违纪问题处理情况", "新增登记备案人数",
        "新收缴证件数(本)", "2016年1月1日以来未经审批出国（境）人数", "违规办理因私证照", "违规持有因私证照",
        "瞒报持有因私证照", "未经批准擅自出国(境)", "未按审批要求出国境", "瞒报出国境情况", "出国境审批事项把关不严",
        "处理人数", "处理方式（人次）", "批评教育", "诫勉", "调离岗位", "责令辞职", "免职", "降职", "移交纪检监察机关"]
    notes = re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S)
    assert notes == [text_line("注：此表请于7月5日前上报。")]
    if SEED_002 is not None:
        seed = re.sub(r"\s", "", SEED_002.read_text("utf-8"))
        assert all(h in seed for h in headings) and "干部因私出国（境）专项整治工作情况汇总统计表" in seed
    with pytest.raises(UsageError):
        render_travel_form(county.db, "rectification", today=TODAY, actor_login="discipline1")


@pytest.mark.slow
def test_the_workbook_and_the_pdf_print_on_one_page_wide_with_the_title_and_header_on_page_one(county, tmp_path):
    assert_prints_on_one_page(
        lambda path: render_travel_form(county.db, "rectification", today=TODAY, as_of=ON, actor_login="discipline1",
                                        path=path, campaign_id=county.campaign_id),
        tmp_path, "rectification", "专项整治工作情况汇总统计表", "出国境审批事项把关不严")
