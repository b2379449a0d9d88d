"""The case commands as INTERFACE.md specifies them: output, JSON shapes, exit codes, two-language errors."""
import json

import pytest

from ..builders import make_id_number


def opened_case(cli, zhang_san) -> int:
    result = cli("case", "open", zhang_san, "--cause", "1", "--at", "2016-03-01", "--actor", "officer1")
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip().rsplit(" ", 1)[-1])


def test_a_branch_officer_opens_searches_and_reaches_a_member(cli, zhang_san):
    case_id = opened_case(cli, zhang_san)
    assert cli("case", "fire", case_id, "start_search", "--at", "2016-03-02", "--actor", "officer1").exit_code == 0
    logged = cli("case", "log", case_id, "--channel", "relatives", "--outcome", "reached", "--at", "2016-03-05",
                 "--note", "经其姐姐联系上本人", "--witness", "张丽", "--actor", "officer1")
    assert logged.exit_code == 0, logged.output
    fired = cli("case", "fire", case_id, "reach", "--at", "2016-03-05", "--actor", "officer1")
    assert fired.exit_code == 0 and "searching → verifying" in fired.stdout

    shown = cli.json("case", "show", case_id)
    assert shown["state"] == "verifying" and shown["reached"] is True
    assert [h["trigger"] for h in shown["history"]] == ["open", "start_search", "reach"]
    assert shown["history"][0]["actor"] == "officer1"
    assert set(shown["history"][0]) >= {"at", "recorded_at", "actor", "role", "trigger", "from", "to", "opinion"}
    assert shown["search_log"] == [{"at": "2016-03-05", "channel": "relatives", "outcome": "reached",
                                    "note": "经其姐姐联系上本人", "witness": "张丽", "actor": "officer1"}]


def test_cases_json_has_the_contracted_shape(cli, zhang_san):
    case_id = opened_case(cli, zhang_san)
    [row] = cli.json("cases", "--as-of", "2016-03-03")
    assert row == {"id": case_id, "member_id_number_masked": zhang_san[:6] + "********" + zhang_san[-4:],
                   "member_name": "张三", "branch_code": "B1", "state": "lost_contact", "disposition": None,
                   "opened_on": "2016-03-01", "last_contact_on": "2015-08-31", "due_on": "2016-03-08",
                   "overdue_days": 0}
    [late] = cli.json("cases", "--overdue", "--as-of", "2016-03-10")
    assert late["overdue_days"] == 2
    assert cli.json("cases", "--as-of", "2016-02-29") == []  # not yet opened on that day
    assert cli.json("cases", "--state", "closed") == []


def test_a_past_as_of_shows_the_case_as_it_stood_that_day(cli, zhang_san):
    case_id = opened_case(cli, zhang_san)
    cli("case", "fire", case_id, "start_search", "--at", "2016-03-04", "--actor", "officer1")
    [then] = cli.json("cases", "--as-of", "2016-03-03")
    [now] = cli.json("cases")
    assert (then["state"], then["due_on"]) == ("lost_contact", "2016-03-08")
    assert now["state"] == "searching" and now["due_on"] == "2016-04-18"


def test_a_meeting_file_is_read_and_checked(cli, zhang_san, tmp_path):
    case_id = opened_case(cli, zhang_san)
    for args in (("start_search",), ):
        cli("case", "fire", case_id, *args, "--at", "2016-03-02", "--actor", "officer1")
    bad = tmp_path / "meeting.json"
    bad.write_text(json.dumps({"date": "2016-04-12", "entitled": 23, "present": 25, "for": 17, "against": 1,
                               "abstain": 1}))
    result = cli("case", "fire", case_id, "resolve", "--meeting", str(bad), "--actor", "officer1")
    assert result.exit_code == 4
    assert "present 25 exceeds entitled 23" in result.stderr and "实到人数 25 超过应到人数 23" in result.stderr
    bad.write_text("{not json")
    assert cli("case", "fire", case_id, "resolve", "--meeting", str(bad), "--actor", "officer1").exit_code == 4


@pytest.mark.parametrize("args, code, english", [
    (("case", "fire", "{case}", "fly", "--actor", "officer1"), 2, "unknown trigger fly"),
    (("case", "fire", "{case}", "submit", "--actor", "officer1"), 2, "requires --disposition"),
    (("case", "fire", "{case}", "start_search", "--cause", "1", "--actor", "officer1"), 2, "does not take --cause"),
    (("case", "fire", "{case}", "start_search", "--at", "2016-13-01", "--actor", "officer1"), 2, "YYYY-MM-DD"),
    (("case", "log", "{case}", "--channel", "pigeon", "--outcome", "lead", "--actor", "officer1"), 2, "unknown channel"),
    (("case", "fire", "{case}", "start_search", "--actor", "officer3"), 3, "case 1 is outside officer3"),
    (("case", "fire", "{case}", "start_search", "--actor", "reviewer1"), 3, "needs role branch_officer"),
    (("case", "fire", "{case}", "start_search", "--actor", "nobody"), 3, "unknown actor nobody"),
    (("case", "fire", "{case}", "approve", "--actor", "reviewer1"), 3, "cannot approve"),
    (("case", "fire", "{case}", "start_search", "--at", "2016-02-01", "--actor", "officer1"), 3, "before the case"),
    (("case", "fire", "9999", "start_search", "--actor", "officer1"), 4, "unknown case id 9999"),
    (("cases", "--org", "NOPE"), 4, "unknown org code NOPE"),
    (("cases", "--as-of", "2999-01-01"), 3, "in the future"),
    (("case", "show", "{case}", "--actor", "officer3"), 3, "outside officer3"),
])
def test_mistakes_get_their_exit_code_and_a_line_in_each_language(cli, zhang_san, args, code, english):
    case_id = opened_case(cli, zhang_san)
    result = cli(*(a.replace("{case}", str(case_id)) for a in args))
    assert result.exit_code == code, result.output
    assert english in result.stderr
    if code != 2 or "YYYY" in english or "unknown" in english or "requires" in english or "take" in english:
        assert "错误：" in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_id_numbers_are_masked_in_errors(cli, zhang_san):
    unknown = make_id_number(999)  # a well-formed number that matches no member
    result = cli("case", "open", unknown, "--actor", "officer1")
    assert result.exit_code == 4
    assert f"410402********{unknown[-4:]}" in result.stderr and unknown not in result.stderr


def test_commands_on_an_uninitialised_database_say_what_to_do(tmp_path, monkeypatch):
    from tests.cli.conftest import Cli
    result = Cli(f"sqlite:///{tmp_path / 'empty.db'}", monkeypatch)("cases")
    assert result.exit_code == 1 and "lostcontact init" in result.stderr
