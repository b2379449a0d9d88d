"""Seed 000 附件2-3 持有身份证情况汇总表 and 附件2-4 持有出国（境）证件情况汇总表: what a self-report campaign found
— who self-checked, who holds several ID cards or travel documents under several identities, what was corrected,
how the problems were handled — per org and by rank, as of any day, with the seed's headers."""
from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.reports.pdf import pdf_available
from lostcontact.reports.travel_forms import render_travel_form
from lostcontact.services.travel import problems, self_reports
from statemachines.errors import BadInput, UsageError
from statemachines.travel.self_report import DocumentLine

from ..conftest import read_only_world
from ..reports.printed import convert_with_libreoffice, libreoffice, pdf_pages
from .conftest import TODAY, travel_world

OPENED, SUBMITTED, CONFIRMED, ON = date(2024, 5, 6), date(2024, 5, 10), date(2024, 5, 20), date(2024, 6, 1)
SEED_000 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("000_*.txt"), None)


def line(kind, number, name=None, corrected=False):
    return DocumentLine(kind, number, date(2030, 1, 1), issued_on=date(2020, 1, 1), name_on_document=name,
                        self_corrected=corrected, correction="已交组织" if corrected else None)


def build_holding_campaign(database):
    return build_campaign(travel_world(database))


# Every test here reads the world and none writes: one world a module on each engine, not one a test.
shared_world, campaign = read_only_world("travel-holding-campaign", build_holding_campaign, "campaign")


def build_campaign(travel):
    """A campaign over 新华区 with five persons: 甲 (市厅级, C1) two ID cards, one corrected, and travel documents
    under two names, handled for Q1; 乙 (县处级, B1) a zero report; 丙 (一般, C2) one ID card; 丁 (乡科级, B1)
    submitted but not confirmed; 戊 (其他, B2) one ID card."""
    campaign_id = self_reports.open_campaign(travel.db, "2024年集中清理", org_code="410402",
                                             trips_since=date(2016, 1, 1), documents_expired_since=date(2018, 1, 1),
                                             due_on=date(2024, 5, 31), actor_login="cadre_city", today=TODAY,
                                             at=OPENED)
    reports = [
        (travel.person("甲", org="C1", rank="bureau"), "cadre1",
         (line("resident_id", "ID0000001"), line("resident_id", "ID0000002", corrected=True),
          line("passport_private", "E00000001", "甲"), line("hkmo_private", "C00000001", "甲某", corrected=True))),
        (travel.person("乙", org="B1", rank="county"), "cadre1", ()),
        (travel.person("丙", org="B3", rank="staff", actor="cadre2"), "cadre2", (line("resident_id", "ID0000003"),)),
        (travel.person("戊", org="B2", rank="other"), "cadre1", (line("resident_id", "ID0000005", corrected=True),)),
    ]
    for number, actor, documents in reports:
        self_reports.submit_report(travel.db, number, campaign_id, documents=documents, zero_report=not documents,
                                   pledge_signed=True, actor_login=actor, today=TODAY, at=SUBMITTED)
        self_reports.review_report(travel.db, number, campaign_id, "confirm", actor_login=actor, today=TODAY,
                                   at=CONFIRMED)
    ding = travel.person("丁", org="B1", rank="township")
    self_reports.submit_report(travel.db, ding, campaign_id, documents=(line("resident_id", "ID0000004"),
                                                                        line("resident_id", "ID0000006")),
                               pledge_signed=True, actor_login="cadre1", today=TODAY, at=SUBMITTED)
    problem = problems.record_problem(travel.db, reports[0][0], "Q1", evidence="伪造往来港澳通行证",
                                      actor_login="liaison1", today=TODAY, at=date(2024, 5, 12))
    problems.fire_problem(travel.db, problem, "verify", actor_login="liaison1", today=TODAY, at=date(2024, 5, 13))
    problems.fire_problem(travel.db, problem, "handle", actor_login="cadre1", today=TODAY, at=date(2024, 5, 25),
                          measures=("party_government_sanction", "organisational_handling"))
    travel.campaign_id = campaign_id
    travel.numbers = {name: number for name, number in zip(("甲", "乙", "丙", "戊"), (r[0] for r in reports))}
    return travel


def sheet_rows(world, kind, as_of=ON, actor="discipline1", **kw) -> list[list]:
    path = Path(tempfile.mkdtemp()) / f"{kind}.xlsx"
    render_travel_form(world.db, kind, today=TODAY, as_of=as_of, actor_login=actor, path=path,
                       campaign_id=world.campaign_id, **kw)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    path.unlink()
    first = next(i for i, r in enumerate(rows) if r[0] == "序号") + 3
    return [r for r in rows[first:] if isinstance(r[2], int)]


def groups(row) -> list[list[int]]:
    """A data row's six groups (自查人员数, 持有两个以上…, 自查纠正, 党政纪处分, 组织处理, 移送司法机关)."""
    out, col = [], 2
    for width in (6, 6, 6, 5, 5, 6):
        out.append(row[col:col + width])
        col += width
    return out


def test_the_id_card_summary_counts_the_confirmed_reports_by_rank_and_row(campaign):
    root, c1, c2 = sheet_rows(campaign, "id-card-summary")
    # 小计, 市厅级, 县处级, 乡科级, 一般国家工作人员, 非公职党员 (rank “其他” in 小计 only; 丁 not confirmed)
    assert root[1] == "新华区委组织部（合计）" and len(root) == 36
    assert groups(root)[:3] == [[4, 1, 1, 0, 1, 0], [1, 1, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]]
    assert groups(c1)[:3] == [[3, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]]
    assert groups(c2)[:3] == [[1, 0, 0, 0, 1, 0], [0] * 6, [0] * 6]
    assert groups(root)[3:] == [[0] * 5, [0] * 5, [0] * 6]  # Q1 is not an ID card's problem


def test_the_document_summary_counts_identities_corrections_and_handling(campaign):
    root, c1, c2 = sheet_rows(campaign, "document-summary")
    assert groups(root) == [[4, 1, 1, 0, 1, 0], [1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0],
                            [1, 1, 0, 0, 0], [1, 1, 0, 0, 0], [0] * 6]
    assert groups(c2)[3:] == [[0] * 5, [0] * 5, [0] * 6]


def test_a_day_before_the_confirmations_counts_nothing_and_before_the_handling_no_measure(campaign):
    assert all(v == 0 for v in sheet_rows(campaign, "document-summary", as_of=date(2024, 5, 15))[0][2:])
    assert groups(sheet_rows(campaign, "document-summary", as_of=date(2024, 5, 22))[0])[3] == [0] * 5


def test_a_cadre_supervisor_fills_it_for_their_subtree_and_the_campaign_is_required(campaign):
    rows = sheet_rows(campaign, "id-card-summary", actor="cadre2")
    assert rows[0][1] == "街道党委（合计）" and groups(rows[0])[0] == [1, 0, 0, 0, 1, 0]
    with pytest.raises(UsageError):
        render_travel_form(campaign.db, "id-card-summary", today=TODAY, actor_login="cadre1")
    with pytest.raises(BadInput):
        render_travel_form(campaign.db, "id-card-summary", today=TODAY, actor_login="cadre1", campaign_id=999)


@pytest.mark.parametrize("kind, title, multiple, judicial, party_only", [
    ("id-card-summary", "河南省党员和国家工作人员持有身份证情况汇总表", "持有两个以上身份证人数（人）",
     "移送司法机关（人）", "非公职党员"),
    ("document-summary", "河南省党员和国家工作人员持有出国（境）证件情况汇总表",
     "持有两个以上个人不同身份出国（境）证件人数（人）", "移交司法机关（人）", "非公职党员干部")])
def test_the_forms_carry_the_seed_s_headers(campaign, kind, title, multiple, judicial, party_only):
    out = io.StringIO()
    render_travel_form(campaign.db, kind, today=TODAY, as_of=ON, actor_login="discipline1", stdout=out,
                       campaign_id=campaign.campaign_id)
    html = out.getvalue()
    headings = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html, flags=re.S)
    assert headings[:9] == ["序号", "地区或单位", "自查人员数（人）", multiple, "自查纠正违规证件数（个）", "检查处理情况",
                            "党政纪处分（人）", "组织处理（人）", judicial]
    ranks = ["小计", "市厅级干部", "县处级干部", "乡科级干部", "一般国家工作人员"]
    assert headings[9:] == [*ranks, party_only, *ranks, "非公职党员", *ranks, "非公职党员", *ranks, *ranks,
                            *ranks, "非公职党员"]
    assert title in html and "党委（党组）书记（签字）" in html and "说明" in html
    if SEED_000 is not None:
        seed = SEED_000.read_text("utf-8")
        assert title in seed and multiple in seed and judicial in seed


def test_the_command_line_needs_the_campaign_and_writes_by_extension(cli, tmp_path):
    missing = cli("travel-form", "id-card-summary", "--actor", "discipline1")
    assert missing.exit_code == 2 and "--campaign" in missing.output
    assert cli("travel-form", "id-card-summary", "--campaign", "7", "--actor", "discipline1").exit_code == 4


@pytest.mark.slow
def test_both_summaries_print_on_one_page_wide_with_title_and_header_on_page_one(campaign, tmp_path):
    if libreoffice() is None or not pdf_available():
        pytest.skip("LibreOffice or WeasyPrint is NOT installed: the printed form is untested here")
    for kind in ("id-card-summary", "document-summary"):
        for suffix in ("xlsx", "pdf"):
            render_travel_form(campaign.db, kind, today=TODAY, as_of=ON, actor_login="discipline1",
                               path=tmp_path / f"{kind}.{suffix}", campaign_id=campaign.campaign_id)
        convert_with_libreoffice([tmp_path / f"{kind}.xlsx"], tmp_path / "lo", tmp_path / "profile")
        for pdf in (tmp_path / "lo" / f"{kind}.pdf", tmp_path / f"{kind}.pdf"):
            pages = pdf_pages(pdf)
            assert len(pages) == 1
            assert "情况汇总表" in pages[0] and "一般国家工作人员" in pages[0] and "组织处理" in pages[0]
