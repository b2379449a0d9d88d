"""Seed 000 附件2-1 持有身份证情况自查表 and 附件2-2 持有出国（境）证件情况自查表: one person's report printed in the
seed's layout — the person's block, a line per reported document as frozen, the seed's notes word for word."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lostcontact.reports.travel_forms import render_travel_form
from statemachines.errors import BadInput, UsageError

from ..conftest import read_only_world
from ..reports.printed import text_line
from .conftest import TODAY
from .printing import assert_prints_on_one_page
from .test_holding_summaries import SEED_000, build_campaign, build_holding_campaign

SEEDS = Path(__file__).parent / "seed_text"


# Every test here but one reads the campaign and none writes to it: one a module on each engine, not one a test
# (the campaign of tests/travel/test_holding_summaries.py, built once a session on SQLite for both modules).
shared_world, world = read_only_world("travel-holding-campaign", build_holding_campaign, "world")


def html_of(world, kind, person_name="甲", actor="cadre1") -> str:
    out = io.StringIO()
    render_travel_form(world.db, kind, today=TODAY, actor_login=actor, stdout=out, campaign_id=world.campaign_id,
                       person=world.numbers[person_name])
    return out.getvalue()


def cells(html) -> list[str]:
    return [re.sub(r"<br>|\s", "", c) for c in re.findall(r'<td class="cell"[^>]*>(.*?)</td>', html, flags=re.S)]


def test_the_id_card_check_lists_each_reported_id_card_under_the_person_s_block(world):
    got = cells(html_of(world, "id-card-check"))
    assert got[:16] == ["姓名", "甲", "性别", got[3], "出生年月", got[5], "政治面貌", "", "单位", "", "职务", "",
                        "职级", "厅局级", "自查情况", "身份证号码"]
    assert got[16:19] == ["证件姓名", "办证时间", "有效期限"]
    assert got[19:27] == ["ID0000001", "甲", "2020年1月1日", "至2030年1月1日", "ID0000002", "甲", "2020年1月1日",
                          "至2030年1月1日"]
    assert got[27:] == [""] * 4  # the paper form's third line, blank


def test_the_document_check_fills_each_printed_kind_s_row_and_masks_numbers_for_other_readers(world):
    got = cells(html_of(world, "document-check"))
    lines = got[20:]
    assert [lines[i] for i in range(0, 35, 5)] == ["因公护照", "因私护照", "因公往来港澳通行证", "因私往来港澳通行证",
                                                   "往来台湾通行证", "", ""]
    assert lines[5:10] == ["因私护照", "E00000001", "甲", "2020年1月1日", "否"]
    assert lines[15:18] == ["因私往来港澳通行证", "C00000001", "甲某"]
    masked = cells(html_of(world, "document-check", actor="discipline1"))
    assert "E00000001" not in masked and masked[26] != ""


def test_a_party_only_member_s_unit_post_and_rank_are_struck_out(travel):
    from lostcontact.services.travel import self_reports
    from lostcontact.services.users import add_user
    world = build_campaign(travel)
    add_user(travel.db, "secretary1", role="branch_officer", org_code="B1")
    member = travel.person("庚", org="B1", rank="party_only", person_type=None)
    self_reports.submit_report(travel.db, member, world.campaign_id, zero_report=True, pledge_signed=True,
                               actor_login="secretary1", today=TODAY, at=date(2024, 5, 10))
    world.numbers["庚"] = member
    got = cells(html_of(world, "id-card-check", "庚", actor="secretary1"))
    assert [got[9], got[11], got[13]] == ["/", "/", "/"]


@pytest.mark.parametrize("kind, seed_file", [("id-card-check", "id_card_check.txt"),
                                             ("document-check", "document_check.txt")])
def test_the_forms_carry_the_seed_s_notes_word_for_word(world, kind, seed_file):
    html = html_of(world, kind)
    notes = re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S)
    kept = [line for line in (SEEDS / seed_file).read_text("utf-8").splitlines() if line.strip()]
    assert notes == [text_line(line) for line in kept]
    assert "审核人：" in html and "说明" in html
    if SEED_000 is not None:
        seed = SEED_000.read_text("utf-8").replace("\n", "")
        assert all(line in seed for line in kept)


def test_a_person_outside_the_reader_s_subtree_or_a_missing_option_is_refused(world, tmp_path):
    with pytest.raises(BadInput):
        html_of(world, "id-card-check", "丙", actor="cadre1")
    with pytest.raises(UsageError):
        render_travel_form(world.db, "document-check", today=TODAY, actor_login="cadre1",
                           campaign_id=world.campaign_id)
    path = tmp_path / "check.xlsx"
    render_travel_form(world.db, "document-check", today=TODAY, actor_login="cadre1", path=path,
                       campaign_id=world.campaign_id, person=world.numbers["甲"])
    ws = load_workbook(path).active
    assert ws["A1"].value == "河南省党员和国家工作人员持有出国（境）证件情况自查表" and ws.merged_cells.ranges


@pytest.mark.slow
@pytest.mark.parametrize("kind, words", [("id-card-check", ("持有身份证情况自查表", "有效期限", "审核人")),
                                         ("document-check", ("出国（境）证件情况自查表", "往来台湾通行证", "审核人"))])
def test_the_workbook_and_the_pdf_print_on_one_page(world, tmp_path, kind, words):
    assert_prints_on_one_page(
        lambda path: render_travel_form(world.db, kind, today=TODAY, actor_login="cadre1", path=path,
                                        campaign_id=world.campaign_id, person=world.numbers["甲"]),
        tmp_path, kind, *words)
