"""Self-report campaigns on the command line: open a campaign, record reports from a JSON file or as zero
reports, confirm and return them, list them by person and by unit in Chinese tables, CSV and JSON — ID and
document numbers masked, and whoever may not see a person hearing exactly what an unknown ID number gets."""
from __future__ import annotations

import json

import pytest

from lostcontact.cli import common
from lostcontact.masking import mask_id

from ..builders import make_id_number
from ..cli.conftest import Cli
from .conftest import _world_with_travel_users

WANG, ZHAO, UNKNOWN = make_id_number(21), make_id_number(22), make_id_number(29)
PASSPORT = "E87654321"
REPORT = {"documents": [{"kind": "passport_private", "number": PASSPORT, "issued_on": "2019-05-01",
                         "expires_on": "2029-04-30", "kept_at": "区委组织部"}],
          "trips": [{"departure_on": "2018-02-10", "return_on": "2018-02-17", "destinations": ["泰国", "新加坡"],
                     "reason": "旅游", "approved": True, "approving_authority": "区委组织部"}],
          "notes": "无"}


def campaign_opened(database) -> None:
    """王五 (县处级, B1) and 赵六 (非公职党员, B1) on file; campaign 1 over C1, due 2024-05-31: recorded through
    the command line itself, once a session (the tests start from a copy)."""
    _world_with_travel_users(database)
    with pytest.MonkeyPatch.context() as monkeypatch:
        cli = Cli(database.url, monkeypatch)
        for args in (("person", "add", WANG, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
                      "county_level_serving", "--at", "2024-01-02"),
                     ("person", "add", ZHAO, "--name", "赵六", "--org", "B1", "--rank", "party_only", "--at",
                      "2024-01-02"),
                     ("self-report-campaign", "open", "2024年自查自报", "--org", "C1", "--trips-since", "2016-01-01",
                      "--documents-expired-since", "2018-01-01", "--due", "2024-05-31", "--at", "2024-05-06")):
            result = cli(*args, "--actor", "cadre1")
            assert result.exit_code == 0, result.output
        assert "self-report campaign opened: 1" in result.stdout
    if "db" in common._state:  # the command line's connections closed, so the file holds all it wrote
        common._state["db"].dispose()
    common._state.clear()


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_snapshot):
    """The command line on a copy of the campaign's database (campaign_opened)."""
    return Cli(sqlite_snapshot("travel-self-report-campaign", campaign_opened).copy_to(tmp_path / "cli.db"),
               monkeypatch)


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(REPORT, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_report_from_a_file_is_submitted_confirmed_and_shown_as_submitted(cli, report_file):
    submitted = cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", report_file, "--signed",
                    "--at", "2024-05-10", "--actor", "cadre1")
    assert submitted.exit_code == 0, submitted.output
    assert "待报 → 已报送（待审核）" in submitted.stdout and "version 1" in submitted.stdout
    confirmed = cli("self-report", "confirm", WANG, "--campaign", "1", "--version", "1", "--at", "2024-05-20",
                    "--actor", "cadre1")
    assert confirmed.exit_code == 0, confirmed.output
    data = cli.json("self-report", "show", WANG, "--campaign", "1", "--actor", "cadre1")
    [current] = data["submissions"]
    assert current["documents"][0]["number"] == PASSPORT and data["state"] == "confirmed"
    assert current["trips"][0]["destinations"] == ["泰国", "新加坡"] and data["notes"] == "无"
    table = cli("self-report", "show", WANG, "--campaign", "1", "--actor", "cadre1").stdout
    for words in ("本人持有因私出入境证件情况", "本人因私出国（境）情况", "本人郑重承诺", "审核人：cadre1", "泰国、新加坡"):
        assert words in table
    masked = cli.json("self-report", "show", WANG, "--campaign", "1", "--actor", "discipline1")
    assert "number" not in masked["submissions"][0]["documents"][0]
    assert PASSPORT not in json.dumps(masked)


def test_a_zero_report_of_a_party_only_member_is_confirmed_by_the_branch_secretary(cli):
    assert cli("self-report", "submit", ZHAO, "--campaign", "1", "--zero", "--signed", "--at", "2024-05-10",
               "--actor", "officer1").exit_code == 0
    refused = cli("self-report", "confirm", ZHAO, "--campaign", "1", "--at", "2024-05-11", "--actor", "cadre1")
    assert refused.exit_code == 3 and "党组织负责人" in refused.stderr
    assert cli("self-report", "confirm", ZHAO, "--campaign", "1", "--at", "2024-05-11",
               "--actor", "officer1").exit_code == 0
    [row] = cli.json("self-reports", "--campaign", "1", "--as-of", "2024-05-12", "--actor", "officer1")
    assert (row["person_name"], row["state"], row["zero_report"], row["reviewer"]) == ("赵六", "confirmed", True,
                                                                                       "officer1")


def test_the_lists_read_each_person_s_state_as_of_the_day(cli, report_file):
    cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", report_file, "--signed", "--at",
        "2024-05-10", "--actor", "cadre1")
    cli("self-report", "return", WANG, "--campaign", "1", "--note", "漏报", "--at", "2024-05-12", "--actor", "cadre1")
    states = {day: {r["person_name"]: r["state"] for r in cli.json("self-reports", "--campaign", "1", "--as-of", day,
                                                                   "--actor", "cadre1")}
              for day in ("2024-05-09", "2024-05-10", "2024-05-12")}
    assert states == {"2024-05-09": {"王五": "owed", "赵六": "owed"}, "2024-05-10": {"王五": "submitted", "赵六": "owed"},
                      "2024-05-12": {"王五": "returned", "赵六": "owed"}}
    owed = cli.json("self-reports", "--campaign", "1", "--status", "owed", "--as-of", "2024-06-03", "--actor", "cadre1")
    assert [(r["person_name"], r["overdue"]) for r in owed] == [("赵六", True)]
    status = cli.json("self-report-status", "--campaign", "1", "--as-of", "2024-05-12", "--actor", "cadre1")
    assert status["units"] == [{"org": "B1", "org_name": "第一党支部", "total": 2, "owed": 1, "submitted": 0,
                                "confirmed": 0, "returned": 1, "overdue": 0}]
    cli("self-report", "submit", WANG, "--campaign", "1", "--zero", "--signed", "--at", "2024-05-14", "--actor", "cadre1")
    def wang(day):
        rows = cli.json("self-reports", "--campaign", "1", "--as-of", day, "--actor", "cadre1")
        return next((r["state"], r["submitted_on"], r["zero_report"], r["documents"]) for r in rows
                    if r["person_name"] == "王五")
    assert wang("2024-05-12") == ("returned", "2024-05-10", False, 1)
    assert wang("2024-05-14") == ("submitted", "2024-05-14", True, 0)
    table = cli("self-report-status", "--campaign", "1", "--as-of", "2024-06-03", "--actor", "cadre1").stdout
    assert "应报人数" in table and "合计" in table and "逾期未确认" in table
    listing = cli("self-reports", "--campaign", "1", "--actor", "cadre1").stdout
    assert "已报送" in listing and "待报" in listing and "共 2 人" in listing


def test_ids_and_document_numbers_are_masked_in_every_list(cli, report_file):
    cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", report_file, "--signed", "--at",
        "2024-05-10", "--actor", "cadre1")
    for fmt in ("table", "csv", "json"):
        out = cli("self-reports", "--campaign", "1", "--format", fmt, "--actor", "cadre1").stdout
        assert WANG not in out and PASSPORT not in out and mask_id(WANG) in out


def test_outside_the_subtree_a_person_or_a_campaign_is_answered_as_unknown(cli):
    def answer(number, actor):
        result = cli("self-report", "show", number, "--campaign", "1", "--actor", actor)
        return result.exit_code, result.stderr.replace(mask_id(number), "<ID>")
    assert answer(WANG, "cadre2") == answer(UNKNOWN, "cadre2") == answer(UNKNOWN, "cadre1")
    assert answer(WANG, "cadre2")[0] == 4
    outside = cli("self-reports", "--campaign", "1", "--actor", "cadre2")
    unknown = cli("self-reports", "--campaign", "99", "--actor", "cadre1")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1", " N") == unknown.stderr.replace(" 99", " N")
    assert cli.json("self-reports", "--campaign", "1", "--actor", "liaison1") == []


@pytest.mark.parametrize("content, code, words", [
    ("{", 4, "不是有效的 JSON"),
    (json.dumps({"documents": [{"kind": "visa", "number": "X1234567", "expires_on": "2030-01-01"}]}), 4, "未知证件类别"),
    (json.dumps({"trips": [{"departure_on": "2018-02-30", "return_on": "2018-03-01", "destinations": ["日本"],
                            "reason": "旅游", "approved": True}]}), 4, "出国（境）第 1 行"),
    (json.dumps(REPORT), 3, "承诺"),  # no --signed, no "pledge_signed"
])
def test_a_bad_report_is_refused_in_both_languages_and_changes_nothing(cli, tmp_path, content, code, words):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", path, "--at", "2024-05-10",
                 "--actor", "cadre1")
    assert result.exit_code == code and words in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.output
    assert cli.json("self-reports", "--campaign", "1", "--status", "owed", "--actor", "cadre1") != []
    assert len(cli.json("self-reports", "--campaign", "1", "--status", "owed", "--actor", "cadre1")) == 2


def test_either_a_file_or_a_zero_report_is_given(cli, report_file):
    both = cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", report_file, "--zero", "--signed",
               "--actor", "cadre1")
    neither = cli("self-report", "submit", WANG, "--campaign", "1", "--signed", "--actor", "cadre1")
    assert both.exit_code == neither.exit_code == 2


def test_the_command_line_s_state_words_are_the_machine_s():
    from lostcontact.cli.self_reports import STATE_LABELS
    from statemachines.travel.self_report import STATES
    assert STATE_LABELS == STATES


def test_a_form_prefilled_from_the_registry_is_submitted_once_signed(cli, tmp_path):
    for args in (("document", "add", WANG, "--kind", "passport_private", "--number", PASSPORT, "--issued",
                  "2019-05-01", "--expires", "2029-04-30", "--at", "2024-01-10"),
                 ("document", "add", WANG, "--kind", "hkmo_private", "--number", "C7654321", "--issued", "2010-01-01",
                  "--expires", "2017-12-31", "--at", "2024-01-10"),  # expired before the campaign's date
                 ("document", "receive", "1", "--kept-at", "档案柜A", "--at", "2024-01-11")):
        assert cli(*args, "--actor", "cadre1").exit_code == 0
    form = json.loads(cli("self-report", "form", WANG, "--campaign", "1", "--actor", "cadre1").stdout)
    assert [(d["kind"], d["number"], d["kept_at"]) for d in form["documents"]] == [
        ("passport_private", PASSPORT, "档案柜A")]
    assert form["pledge_signed"] is False and form["trips"] == []
    assert cli("self-report", "form", WANG, "--campaign", "1", "--actor", "discipline1").exit_code == 3
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form | {"pledge_signed": True}, ensure_ascii=False), encoding="utf-8")
    assert cli("self-report", "submit", WANG, "--campaign", "1", "--from-file", path, "--at", "2024-05-10",
               "--actor", "cadre1").exit_code == 0
