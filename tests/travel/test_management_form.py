"""Seed 002 附件3 干部因私出国（境）管理工作有关情况统计表: counts from the registry, the documents and the
orgs' rules as of any day, for the reader's subtree, with the seed's header and note, printable as on paper."""
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
from lostcontact.services.travel.documents import fire_custody
from lostcontact.services.travel.rules import add_rule, list_rules
from statemachines.errors import BadInput, Refused

from ..reports.printed import convert_with_libreoffice, libreoffice, pdf_pages, text_line
from ..conftest import built_on
from .conftest import TODAY, travel_world

SEED = Path(__file__).parent / "seed_text" / "management.txt"
SEED_002 = next((Path(__file__).parents[3] / "shared" / "seeds").glob("002_*.txt"), None)
ON = date(2024, 3, 1)


@pytest.fixture
def county(db, sqlite_snapshot):
    """The county below, built once a session on SQLite and copied for each test."""
    return built_on(db, sqlite_snapshot, "travel-management-county", lambda database: plant(travel_world(database)))


def plant(travel):
    """Six persons under 新华区委组织部 (C1 and C2), their documents on 2024-03-01, and the rules issued."""
    jia = travel.person("甲", org="C1", registered_on=date(2024, 1, 5))
    yi = travel.person("乙", org="B1", person_type="city_cadre_retired", registered_on=date(2024, 1, 5))
    travel.person("丙", org="B2", person_type="naked_official", registered_on=date(2024, 1, 5))
    ding = travel.person("丁", org="B1", person_type="township_leader")          # should be filed, is not
    travel.person("戊", org="B1", rank="party_only", person_type=None)          # no state employee
    ji = travel.person("己", org="B3", actor="cadre2", registered_on=date(2024, 1, 8))
    receive = dict(actor_login="cadre1", today=TODAY, kept_at="档案室")
    fire_custody(travel.db, travel.document(jia), "receive", at=date(2024, 1, 12), **receive)
    travel.document(yi, kind="hkmo_private")                                     # held: due, not received
    travel.document(yi, kind="taiwan", expires=date(2024, 2, 1))                 # expired by then: not due
    travel.document(ding)                                                        # not on file: not due
    fire_custody(travel.db, travel.document(ji, actor="cadre2"), "receive", at=date(2024, 1, 15),
                 **{**receive, "actor_login": "cadre2"})
    add_rule(travel.db, "C1", name="区直机关党委因私出国（境）管理办法", issued_on=date(2023, 5, 1),
             actor_login="cadre1", today=TODAY)
    add_rule(travel.db, "C2", name="街道党委干部出国（境）管理规定", issued_on=date(2024, 6, 1), actor_login="cadre2",
             today=TODAY)
    return travel


def sheet_rows(db, as_of=ON, actor="discipline1", **kw) -> list[list]:
    path = Path(tempfile.mkdtemp()) / "management.xlsx"
    render_travel_form(db, "management", today=TODAY, as_of=as_of, actor_login=actor, path=path, **kw)
    ws = load_workbook(path).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    path.unlink()
    first = next(i for i, r in enumerate(rows) if r[0] == "序号") + 3
    return [r for r in rows[first:] if isinstance(r[2], int)]  # the data rows: counts from the third column


def test_each_row_counts_its_subtree_as_the_form_splits_it(county):
    root, c1, c2 = sheet_rows(county.db)
    # 序号, 单位, 国家工作人员总数, 应备数, 实备数, [退休满1年的市管干部, 本单位, 下属单位, 其他], 应收数, 实收数,
    # [因私护照, 港澳, 台湾], 是否建立制度, 制度名称及出台时间
    assert root[:15] == [None, "新华区委组织部（合计）", 5, 5, 4, 1, 0, 2, 1, 3, 2, 2, 0, 0, "否"]
    assert c1[:15] == [1, "区直机关党委", 4, 4, 3, 1, 1, 0, 1, 2, 1, 1, 0, 0, "是"]
    assert c1[15] == "区直机关党委因私出国（境）管理办法（2023年5月1日）"
    assert c2[:15] == [2, "街道党委", 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, "否"]  # its rule came later


def test_a_past_day_counts_what_stood_then(county):
    root = sheet_rows(county.db, as_of=date(2024, 1, 6))[0]
    assert root[2:12] == [5, 5, 3, 1, 0, 1, 1, 0, 0, 0]  # 己 filed on the 8th; no document recorded yet


def test_a_cadre_supervisor_fills_it_for_their_own_subtree_and_nothing_outside(county):
    rows = sheet_rows(county.db, actor="cadre1")
    assert rows[0][1] == "区直机关党委（合计）" and [r[1] for r in rows[1:]] == ["第一党支部", "机关党总支"]
    with pytest.raises(BadInput):
        render_travel_form(county.db, "management", today=TODAY, actor_login="cadre1", org_code="C2")
    assert [r["org"] for r in list_rules(county.db, actor_login="cadre1", today=TODAY)] == ["C1"]


def test_the_form_carries_the_seed_s_header_and_note_word_for_word(county):
    out = io.StringIO()
    render_travel_form(county.db, "management", today=TODAY, as_of=ON, actor_login="discipline1", stdout=out)
    html = out.getvalue()
    for heading in ("序号", "地区、单位（部门）", "登记备案数情况", "因私出国（境）证件情况", "出国（境）管理制度情况",
                    "国家工作人员总数", "应备数", "实备数", "实际登记备案人数", "应收数", "实收数", "因私证件集中保管情况",
                    "是否建立相关制度（是/否）", "制度名称及出台时间", "退休满1年的市管干部", "本地本单位管理的人员",
                    "下属单位管理的人员", "其他人员", "因私护照", "往来港澳通行证", "大陆居民往来台湾通行证"):
        assert f">{heading}</th>" in html
    notes = re.findall(r'<p class="note">(.*?)</p>', html, flags=re.S)
    assert notes == [text_line(line) for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    assert "填表人：" in html and "审核人：" in html and "说明" in html


@pytest.mark.skipif(SEED_002 is None, reason="the seeds are not beside the checkout")
def test_the_kept_note_is_the_seed_s_own():
    assert SEED.read_text("utf-8").strip() in SEED_002.read_text("utf-8")


def test_rules_are_recorded_once_by_a_cadre_supervisor_not_in_the_future(county):
    with pytest.raises(Refused):
        add_rule(county.db, "C1", name="区直机关党委因私出国（境）管理办法", issued_on=date(2023, 5, 1),
                 actor_login="cadre1", today=TODAY)
    with pytest.raises(Refused):
        add_rule(county.db, "C1", name="新规定", issued_on=date(2024, 7, 1), actor_login="cadre1", today=TODAY)
    with pytest.raises(Refused):
        add_rule(county.db, "C1", name="新规定", issued_on=date(2024, 1, 1), actor_login="discipline1", today=TODAY)


@pytest.mark.slow
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the page layout: the same on either engine
def test_the_workbook_and_the_pdf_print_on_one_page_wide_with_the_title_and_header_on_page_one(county, tmp_path):
    if libreoffice() is None or not pdf_available():
        pytest.skip("LibreOffice or WeasyPrint is NOT installed: the printed form is untested here")
    render_travel_form(county.db, "management", today=TODAY, as_of=ON, actor_login="discipline1",
                       path=tmp_path / "management.xlsx")
    render_travel_form(county.db, "management", today=TODAY, as_of=ON, actor_login="discipline1",
                       path=tmp_path / "management.pdf")
    convert_with_libreoffice([tmp_path / "management.xlsx"], tmp_path / "lo", tmp_path / "profile")
    for pdf in (tmp_path / "lo" / "management.pdf", tmp_path / "management.pdf"):
        pages = pdf_pages(pdf)
        assert len(pages) == 1
        assert "干部因私出国（境）管理工作有关情况统计表" in pages[0] and "大陆居民往来台湾通行证" in pages[0]


def test_the_command_line_records_rules_and_writes_the_form_by_its_extension(cli, tmp_path):
    added = cli("travel-rule", "add", "--org", "C1", "--name", "因私出国（境）管理办法", "--issued", "2023-05-01",
                "--actor", "cadre1")
    assert added.exit_code == 0, added.output
    assert [r["name"] for r in cli.json("travel-rules", "--actor", "discipline1", "--format", "json")] == [
        "因私出国（境）管理办法"]
    written = cli("travel-form", "management", "--org", "C1", "-o", tmp_path / "form.xlsx", "--actor", "cadre1")
    assert written.exit_code == 0 and (tmp_path / "form.xlsx").exists()
    assert load_workbook(tmp_path / "form.xlsx").active["A1"].value == "干部因私出国（境）管理工作有关情况统计表"
    wrong = cli("travel-form", "management", "-o", tmp_path / "form.docx", "--actor", "cadre1")
    assert wrong.exit_code == 4 and not (tmp_path / "form.docx").exists()
    assert cli("travel-form", "nonsense", "--actor", "cadre1").exit_code == 4
