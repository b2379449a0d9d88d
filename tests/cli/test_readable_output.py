"""What a person reads on the terminal: every column in Chinese, tables as wide as the terminal (and
readable at 80 columns), CSV for a pipe, alert counts that agree, a tally that says what its letters mean,
and `tally -o` that follows the file's extension."""
import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from rich.cells import cell_len
from sqlalchemy import select

from models import Case
from models.db import open_database
from statemachines.codes import CHANNELS, OUTCOMES, ROLES
from statemachines.lifecycle import STATES, TRIGGERS
from statemachines.tally import COLUMNS, LABELS
from workflows.orchestration import run_in_process

from ..builders import World, build_world
from ..tally.scenario import PAST, build_scenario
from .conftest import load_snapshot

AS_OF = "2016-03-20"
CASE_HEADINGS = ["编号", "党员", "身份证号", "党支部", "状态", "处置", "立案日期", "最近联系", "期限", "超期天数"]
ALERT_HEADINGS = ["灯", "预警", "对象", "接收组织", "期限", "发出", "事项"]


def swept_world(database) -> dict:
    """张三's case (B1), opened by the sweep and left past its first deadline; 李四 (B3) nearing five
    months; the sweep run on the days that raise each level."""
    world = build_world(database)
    world.add_member("张三", last_contact=date(2015, 8, 31))
    world.add_member("李四", branch="B3", last_contact=date(2015, 9, 30))
    for day in (1, 3, 9, 16, 20):  # opened; reminded; overdue; escalated (due 03-08)
        run_in_process(database, date(2016, 3, day))
    with database.engine.connect() as conn:
        [case_id] = conn.scalars(select(Case.id)).all()
    return {"members": dict(world.members), "case_id": case_id}


@pytest.fixture
def world(cli, monkeypatch, sqlite_snapshot):
    """The swept world, built once a session and copied into this test's database."""
    monkeypatch.delenv("COLUMNS", raising=False)
    built = load_snapshot(cli, sqlite_snapshot("cli-swept-world", swept_world))
    database = open_database(cli.url)
    world = World(database, members=dict(built["members"]))
    world.case_id = built["case_id"]
    yield world
    database.dispose()


def widest_line(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def ok(result):
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_case_list_reads_in_chinese_with_the_branch_by_name(cli, world):
    table = ok(cli("cases", "--as-of", AS_OF))
    assert "失联登记" in table and "第一党支部（B1）" in table and "张三" in table
    assert not [state for state in STATES if state in table]
    assert cli.json("cases", "--as-of", AS_OF)[0]["state"] == "lost_contact"  # JSON keeps the contract's ids


def test_one_case_says_its_steps_roles_channels_and_outcomes_in_words(cli, world):
    assert ok(cli("case", "fire", world.case_id, "start_search", "--at", "2016-03-02", "--actor", "officer1"))
    assert ok(cli("case", "log", world.case_id, "--channel", "relatives", "--outcome", "reached",
                  "--at", "2016-03-05", "--actor", "officer1"))
    assert ok(cli("case", "fire", world.case_id, "reach", "--at", "2016-03-05", "--actor", "officer1"))
    shown = ok(cli("case", "show", world.case_id))
    for words in ("立案", TRIGGERS["start_search"], TRIGGERS["reach"], ROLES["branch_officer"], CHANNELS["relatives"],
                  OUTCOMES["reached"], STATES["verifying"], "第一党支部（B1）"):
        assert words in shown
    for english in ("start_search", "branch_officer", "relatives", "verifying", "lost_contact"):
        assert english not in shown
    assert cli.json("case", "show", world.case_id)["history"][1]["trigger"] == "start_search"
    record = list(csv.reader(io.StringIO(ok(cli("case", "show", world.case_id, "--format", "csv")))))
    assert record[0] == ["记录", "日期", "人员", "事项", "结果", "说明", "证明人"]
    assert ["办理经过", "2016-03-02", "officer1", "开始查找", "联系查找", "", ""] in record
    assert ["查找记录", "2016-03-05", "officer1", "亲属", "取得联系", "", ""] in record


def test_cases_and_alerts_as_csv_have_chinese_headings_and_one_line_per_row(cli, world):
    cases = list(csv.reader(io.StringIO(ok(cli("cases", "--as-of", AS_OF, "--format", "csv")))))
    assert cases[0] == CASE_HEADINGS
    assert [row[1] for row in cases[1:]] == ["张三"] and cases[1][4] == "失联登记" and cases[1][3] == "第一党支部（B1）"
    alerts = list(csv.DictReader(io.StringIO(ok(cli("alerts", "--as-of", AS_OF, "--format", "csv")))))
    assert list(alerts[0]) == ALERT_HEADINGS
    assert len(alerts) == len(cli.json("alerts", "--as-of", AS_OF))
    assert {row["预警"] for row in alerts} >= {"环节期限（超期）", "五个月预警（提醒）"}


def test_csv_makes_a_formula_like_name_inert(cli, world):
    world.add_member("=HYPERLINK(\"http://x\")", last_contact=date(2015, 8, 31))
    run_in_process(world.db, date.fromisoformat(AS_OF))
    rows = list(csv.reader(io.StringIO(ok(cli("cases", "--as-of", AS_OF, "--format", "csv")))))
    assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in rows]


@pytest.mark.parametrize("command", [("cases", "--as-of", AS_OF), ("alerts", "--as-of", AS_OF),
                                     ("case", "show", "1"), ("tally", "--as-of", AS_OF)])
def test_at_80_columns_no_line_is_wider_than_80(cli, world, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    assert widest_line(ok(cli(*command))) <= 80


def test_a_wide_terminal_keeps_each_case_on_one_line_and_a_pipe_gets_a_fixed_width(cli, world, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = ok(cli("cases", "--as-of", AS_OF)).splitlines()
    assert len(wide) == 2 + 1 + 1 and 80 < widest_line("\n".join(wide)) <= 200  # headings, rule, 张三, the total
    monkeypatch.delenv("COLUMNS")
    assert widest_line(ok(cli("alerts", "--as-of", AS_OF))) <= 120  # stdout is not a terminal here


def test_a_narrow_terminal_says_which_columns_it_left_out(cli, world, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    table = ok(cli("cases", "--as-of", AS_OF))
    assert "未显示：身份证号" in table and "410402" not in table.split("未显示")[0]


def test_the_alert_counts_above_and_below_the_table_count_the_same_alerts(cli, world):
    rows = cli.json("alerts", "--as-of", AS_OF)
    assert {r["level"] for r in rows if r["subject_kind"] == "case"} == {"reminder", "overdue", "escalated"}
    lines = ok(cli("alerts", "--as-of", AS_OF)).splitlines()
    counts = dict(part.strip().split("：") for part in lines[0].split(" / ")[0].split("  ") if "：" in part)
    assert counts == {"黄灯 提醒": "2", "红灯 超期": "1", "督办 升级": "1"}  # one case shows all three, one row each
    assert lines[-1] == f"共 {len(rows)} 条 / {len(rows)} open alert(s)" and len(rows) == 4
    assert sum(line.startswith(("黄灯", "红灯", "督办")) for line in lines[1:]) == 4  # each row at its own light


@pytest.fixture
def tally_cli(cli, monkeypatch, sqlite_snapshot):
    monkeypatch.delenv("COLUMNS", raising=False)
    load_snapshot(cli, sqlite_snapshot("tally-scenario", build_scenario))
    return cli


def test_the_tally_on_the_terminal_says_what_each_letter_means(tally_cli):
    table = ok(tally_cli("tally", "--as-of", PAST.isoformat()))
    legend = table.split("栏目说明")[1].splitlines()
    meanings = {line.split()[0]: line for line in legend if line[:1] in COLUMNS and line[1:2] == " "}
    assert list(meanings) == list(COLUMNS)
    totals = tally_cli.json("tally", "--as-of", PAST.isoformat())["columns"]
    for letter in COLUMNS:
        assert LABELS[letter] in meanings[letter] and meanings[letter].endswith(f" {totals[letter]}")
    assert "（=B+O+X）" in meanings["A"] and "A=" not in table


def test_tally_to_a_file_follows_its_extension(tally_cli, tmp_path):
    sheet = tmp_path / "tally.xlsx"
    assert tally_cli("tally", "-o", sheet).exit_code == 0
    assert load_workbook(sheet).active["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    rows = tmp_path / "tally.csv"
    assert tally_cli("tally", "-o", rows).exit_code == 0 and rows.read_text(encoding="utf-8").startswith("org,")
    as_json = tmp_path / "tally.json"
    assert tally_cli("tally", "--format", "json", "-o", as_json).exit_code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["org"] == "410000"


@pytest.mark.parametrize("args", [("--format", "html", "-o", "x.pdf"), ("--format", "csv", "-o", "x.xlsx"),
                                  ("--format", "table", "-o", "x.html"), ("--format", "xlsx", "-o", "x.pdf"),
                                  ("-o", "x.txt")])
def test_a_format_the_file_name_contradicts_is_refused_and_nothing_is_written(tally_cli, tmp_path, args):
    *options, name = args
    result = tally_cli("tally", *options, tmp_path / name)
    assert result.exit_code == 2, result.output
    assert "错误：" in result.stderr and "error:" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / name).exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".x")]


def test_a_table_reads_the_names_of_the_orgs_it_shows_by_their_codes(db):
    from lostcontact.queries.cases import org_names
    build_world(db)
    assert org_names(db, {"B1", "C2", "NOPE"}) == {"B1": "第一党支部", "C2": "街道党委"}
    assert org_names(db, set()) == {}


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(monkeypatch, capfd):
    """`lostcontact cases | head`: when head goes away the command stops with the shell's SIGPIPE status and
    no '内部错误' line."""
    import os

    import typer

    from lostcontact.cli import common

    read_end, write_end = os.pipe()
    monkeypatch.setattr(common, "_silence_stdout", lambda: None)  # keep pytest's own stdout

    @common.handles_errors
    def prints_into_a_closed_pipe():
        os.close(read_end)
        os.write(write_end, b"x")

    with pytest.raises(typer.Exit) as stopped:
        prints_into_a_closed_pipe()
    os.close(write_end)
    assert stopped.value.exit_code == common.SIGPIPE_EXIT
    assert "内部错误" not in capfd.readouterr().err
