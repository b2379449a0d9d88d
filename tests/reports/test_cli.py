"""`lostcontact tally` and `lostcontact render` as INTERFACE.md specifies them: shapes, files and exit codes."""
from __future__ import annotations

import json
from datetime import date

import pytest
from openpyxl import load_workbook

from statemachines.tally import COLUMNS

from ..cli.conftest import Cli
from ..tally.scenario import PAST, build_scenario


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_snapshot):
    snapshot = sqlite_snapshot("tally-scenario", build_scenario)
    run = Cli(snapshot.copy_to(tmp_path / "cli.db"), monkeypatch)
    run.scenario = snapshot.built
    return run


def test_tally_json_has_the_interface_shape_down_to_the_branches(cli):
    result = cli("tally", "--as-of", PAST.isoformat(), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"org", "as_of", "columns", "children"}
    assert data["org"] == "410000" and data["as_of"] == "2016-04-09" and list(data["columns"]) == list(COLUMNS)

    def leaves(node):
        return [node] if not node["children"] else [leaf for child in node["children"] for leaf in leaves(child)]
    assert sorted(leaf["org"] for leaf in leaves(data)) == ["B1", "B2", "B3"]
    assert all(set(leaf) == {"org", "as_of", "columns", "children"} for leaf in leaves(data))


def test_tally_table_csv_html_and_xlsx(cli, tmp_path):
    table = cli("tally", "--org", "C1")
    assert table.exit_code == 0 and "区直机关党委" in table.stdout and "第二党支部" in table.stdout
    csv_out = cli("tally", "--format", "csv", "--org", "C2")
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines()[0].startswith("org,name,level,parent,depth,as_of,A,")
    assert len(csv_out.stdout.splitlines()) == 3
    html = cli("tally", "--format", "html")
    assert html.exit_code == 0 and html.stdout.startswith("<!DOCTYPE html>") and "统计表" in html.stdout
    target = tmp_path / "sheet.xlsx"
    assert cli("tally", "--format", "xlsx", "-o", str(target)).exit_code == 0
    assert load_workbook(target).active["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"


@pytest.mark.parametrize("args,code", [
    (("tally", "--format", "xlsx"), 2),                      # xlsx needs -o
    (("tally", "--format", "pdf"), 2),                       # pdf needs -o
    (("tally", "--as-of", "2016-13-01"), 2),                 # malformed date
    (("tally", "--as-of", "2999-01-01"), 3),                 # the future
    (("tally", "--actor", "nobody"), 3),                     # unknown actor
    (("tally", "--org", "B3", "--actor", "officer1"), 3),    # outside the actor's subtree
    (("tally", "--org", "NOPE"), 4),                         # unknown org
    (("render", "record", "999"), 4),                        # unknown case
    (("render", "register", "nonsense"), 2),                 # unknown register
])
def test_mistakes_exit_with_their_code_and_two_languages(cli, args, code):
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert "错误：" in result.stderr and "error:" in result.stderr and "Traceback" not in result.output


def test_render_record_writes_html_on_stdout_or_to_a_file(cli, tmp_path):
    case = cli.scenario.cases["赵六"]
    shown = cli("render", "record", str(case))
    assert shown.exit_code == 0 and "失联党员查找处置全程纪实表" in shown.stdout and "支部党员大会决议" in shown.stdout
    target = tmp_path / "record.html"
    assert cli("render", "record", str(case), "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == shown.stdout


def test_render_record_as_of_a_day_counts_the_lost_time_to_that_day_and_shows_the_history_up_to_it(cli):
    case = cli.scenario.cases["孙八"]  # still being searched: lost since 2015-08-31
    then = cli("render", "record", str(case), "--as-of", PAST.isoformat())
    assert then.exit_code == 0, then.output
    assert "自2015年8月31日起，7个月" in then.stdout and "截至2016年4月9日" in then.stdout
    later = cli("render", "record", str(case), "--as-of", "2016-06-20")
    assert "自2015年8月31日起，9个月" in later.stdout
    expelled = cli.scenario.cases["赵六"]  # approved 2016-05-15: not yet on the record as of 2016-04-09
    assert "审批同意" not in cli("render", "record", str(expelled), "--as-of", PAST.isoformat()).stdout
    assert cli("render", "record", str(case), "--as-of", "2015-01-01").exit_code == 4  # before the case was opened


def test_the_tally_prints_to_pdf_by_its_extension_or_its_format(cli, tmp_path):
    from lostcontact.reports.pdf import pdf_available
    target = tmp_path / "tally.pdf"
    result = cli("tally", "--as-of", PAST.isoformat(), "-o", str(target))
    if not pdf_available():
        assert result.exit_code == 4 and not target.exists()
        pytest.skip("WeasyPrint is NOT installed: only the refusal was checked")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")
    again = tmp_path / "again.pdf"
    assert cli("tally", "--format", "pdf", "-o", str(again)).exit_code == 0 and again.read_bytes().startswith(b"%PDF-")


def test_render_to_an_extension_it_cannot_make_is_bad_input_and_writes_nothing(cli, tmp_path):
    target = tmp_path / "record.docx"
    result = cli("render", "record", str(cli.scenario.cases["赵六"]), "-o", str(target))
    assert result.exit_code == 4 and not target.exists()


@pytest.mark.parametrize("kind", ["search-record", "found", "unreached", "summary", "disposition-summary", "roster"])
def test_render_register_writes_each_register_as_xlsx(cli, tmp_path, kind):
    target = tmp_path / f"{kind}.xlsx"
    result = cli("render", "register", kind, "--org", "410402", "--as-of", PAST.isoformat(), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert load_workbook(target).active["A2"].value.startswith("填报单位（盖章）：新华区委组织部")


def test_tally_snapshot_shows_what_was_reported_beside_today(cli):
    from lostcontact.services.snapshots import store_tally
    from models.db import open_database as _open
    database = _open(cli.url)
    stored = store_tally(database, today=date(2016, 6, 20), org_code="B3", as_of=PAST)
    database.dispose()
    shown = cli("tally", "--snapshot", str(stored.snapshot_id), "--format", "json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert data["snapshot"]["tally"] == stored.tree and data["snapshot"]["as_of"] == PAST.isoformat()
    assert set(data["change"]) == set(COLUMNS)
    table = cli("tally", "--snapshot", str(stored.snapshot_id))
    assert table.exit_code == 0 and "报送" in table.stdout
    assert cli("tally", "--snapshot", "999").exit_code == 4
