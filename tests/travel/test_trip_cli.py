"""Private trips on the command line: the whole way from the application to the closing, typed as a user would,
the JSON shapes, Chinese tables, masked numbers in every format, the exit codes of a refusal (3), of a trip
nobody may see (4) and of a bad command line (2)."""
from __future__ import annotations

import pytest

from lostcontact.masking import mask_id

from ..builders import make_id_number

NUMBER = make_id_number(21)
PASSPORT = "E11223344"
TRIP_KEYS = {"id", "person_name", "person_id_number_masked", "org", "document_id", "document_kind",
             "document_number_masked", "destinations", "reason", "planned_departure", "planned_return", "state",
             "state_since", "strict_review", "applied_on", "consulted_on", "consultation_opinion", "approved_on",
             "approved_by", "actual_exit_on", "actual_entry_on", "actual_places", "deviations"}


@pytest.fixture
def cli(cli):
    """王五 (county rank, B1) registered, his private passport (document 1) in custody, trip 1 applied for."""
    for args in (("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
                  "county_level_serving", "--at", "2024-01-02"),
                 ("person", "register", NUMBER, "--at", "2024-01-10"),
                 ("document", "add", NUMBER, "--kind", "passport_private", "--number", PASSPORT, "--issued",
                  "2020-01-01", "--expires", "2030-01-01", "--at", "2024-01-10"),
                 ("document", "receive", "1", "--at", "2024-01-15"),
                 ("trip", "apply", NUMBER, "--document", "1", "--destinations", "泰国、老挝", "--reason", "探亲",
                  "--departure", "2024-03-10", "--return", "2024-03-20", "--at", "2024-03-01")):
        result = cli(*args, "--actor", "cadre1")
        assert result.exit_code == 0, result.output
    return cli


def ok(cli, *args):
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_trip_from_application_to_closing_with_its_json_shapes(cli):
    ok(cli, "trip", "submit", "1", "--at", "2024-03-01", "--actor", "cadre1")
    refused = cli("trip", "approve", "1", "--at", "2024-03-01", "--actor", "cadre_city")
    assert refused.exit_code == 3 and "纪检监察" in refused.stderr and "discipline organ" in refused.stderr
    ok(cli, "trip", "consult", "1", "--note", "无不同意见", "--at", "2024-03-02", "--actor", "discipline1")
    assert "已批准" in ok(cli, "trip", "approve", "1", "--note", "同意", "--version", "3", "--at", "2024-03-02",
                        "--actor", "cadre_city")
    ok(cli, "document", "check-out", "1", "--trip", "1", "--at", "2024-03-06", "--actor", "cadre1")
    ok(cli, "trip", "depart", "1", "--exit", "2024-03-09", "--at", "2024-03-10", "--actor", "cadre1")
    back = ok(cli, "trip", "return", "1", "--entry", "2024-03-22", "--places", "泰国，越南", "--at", "2024-03-23",
              "--actor", "cadre1")
    assert "晚于批准日期回国（境）" in back and "returned_late" in back
    ok(cli, "document", "return", "1", "--at", "2024-03-25", "--actor", "cadre1")
    ok(cli, "trip", "close", "1", "--at", "2024-03-25", "--actor", "cadre1")
    [row] = cli.json("trips", "--actor", "cadre1")
    assert set(row) == TRIP_KEYS
    assert (row["state"], row["destinations"], row["actual_places"], row["deviations"]) == (
        "closed", ["泰国", "老挝"], ["泰国", "越南"], ["left_early", "returned_late", "other_destination"])
    page = cli.json("trip", "show", "1", "--actor", "cadre1")
    assert set(page) == TRIP_KEYS | {"as_of", "version", "decision_note", "history", "person_id_number",
                                     "document_number"}
    assert [h["trigger"] for h in page["history"]] == ["apply", "submit", "consult", "approve", "hand_out", "depart",
                                                       "return", "close"]
    assert set(page["history"][0]) == {"seq", "on", "trigger", "from_state", "to_state", "note", "exit_on",
                                       "entry_on", "places", "changes", "actor", "role"}
    assert cli.json("document", "show", "1", "--actor", "cadre1")["history"][3]["trigger"] == "trip_end"
    assert [r["id"] for r in cli.json("trips", "--deviations", "--actor", "cadre1")] == [1]


def test_the_list_is_in_chinese_and_masks_every_number_in_every_format(cli):
    for fmt in ("table", "csv", "json"):
        out = ok(cli, "trips", "--actor", "cadre1", "--format", fmt)
        assert NUMBER not in out and PASSPORT not in out, fmt
    table = ok(cli, "trips", "--actor", "cadre1", "--format", "csv")
    assert "前往国家（地区）" in table and "草稿" in table and "泰国、老挝" in table
    assert mask_id(NUMBER) in ok(cli, "trips", "--actor", "cadre1", "--format", "csv")
    assert "王五" in ok(cli, "trip", "show", "1", "--actor", "discipline1")
    assert NUMBER not in ok(cli, "trip", "show", "1", "--actor", "discipline1", "--format", "json")
    assert cli.json("trips", "--state", "approved", "--actor", "cadre1") == []
    assert cli.json("trips", "--as-of", "2024-02-29", "--actor", "cadre1") == []


def test_a_document_is_not_checked_out_without_an_approved_trip(cli):
    draft = cli("document", "check-out", "1", "--trip", "1", "--at", "2024-03-06", "--actor", "cadre1")
    assert draft.exit_code == 3 and "已批准" in draft.stderr
    missing = cli("document", "check-out", "1", "--at", "2024-03-06", "--actor", "cadre1")
    assert missing.exit_code == 2
    assert cli.json("document", "show", "1", "--actor", "cadre1")["state"] == "in_custody"


def test_a_trip_outside_the_subtree_is_answered_as_an_unknown_one_and_bad_input_is_a_usage_error(cli):
    outside = cli("trip", "withdraw", "1", "--actor", "cadre2")
    unknown = cli("trip", "withdraw", "77", "--actor", "cadre2")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1", " N") == unknown.stderr.replace(" 77", " N")
    assert cli("trip", "show", "1", "--actor", "liaison1").exit_code == 4
    assert cli("trips", "--state", "flying", "--actor", "cadre1").exit_code == 2
    assert cli("trip", "show", "0", "--actor", "cadre1").exit_code == 2
    assert cli("trip", "consult", "1", "--actor", "discipline1").exit_code == 3  # not submitted yet
    stale = cli("trip", "submit", "1", "--version", "7", "--actor", "cadre1")
    assert stale.exit_code == 3 and "刷新" in stale.stderr


def test_trip_edit_changes_an_application_awaiting_approval_at_the_version_read(cli):
    edited = cli("trip", "edit", "1", "--destinations", "泰国", "--return", "2024-03-22", "--version", "1",
                 "--at", "2024-03-01", "--actor", "cadre1")
    assert edited.exit_code == 0, edited.output
    assert "草稿" in edited.stdout and "version 2" in edited.stdout
    page = cli.json("trip", "show", "1", "--actor", "cadre1")
    assert (page["destinations"], page["planned_return"]) == (["泰国"], "2024-03-22")
    assert page["history"][-1]["changes"] == {"destinations": [["泰国", "老挝"], ["泰国"]],
                                              "planned_return": ["2024-03-20", "2024-03-22"]}
    assert "前往国家（地区）：泰国、老挝 → 泰国" in ok(cli, "trip", "show", "1", "--actor", "cadre1")
    stale = cli("trip", "edit", "1", "--reason", "旅游", "--version", "1", "--at", "2024-03-01", "--actor", "cadre1")
    assert stale.exit_code == 3 and "已被他人办理" in stale.stderr
    nothing = cli("trip", "edit", "1", "--actor", "cadre1")
    assert nothing.exit_code == 2 and "没有要修改的内容" in nothing.stderr
