"""The change reports on the command line: a cadre supervisor sends, the liaison records, both read the
listings in Chinese (JSON in English ids); refusals exit 3, a report outside the subtree exits 4 like an
unknown one."""
from __future__ import annotations

from ..builders import make_id_number

NUMBER = make_id_number(601)


def test_send_record_and_read_the_reports(cli):
    assert cli("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
               "county_level_serving", "--at", "2024-03-01", "--actor", "cadre1").exit_code == 0
    assert cli("person", "register", NUMBER, "--at", "2024-03-10", "--actor", "cadre1").exit_code == 0

    pending = cli("registry-changes", "--unreported", "--actor", "cadre1", "--as-of", "2024-03-20")
    assert pending.exit_code == 0 and "王五" in pending.stdout and "备案" in pending.stdout
    assert "未报送" in pending.stdout and NUMBER not in pending.stdout

    sent = cli("change-report", "submit", "--org", "C1", "--at", "2024-03-20", "--actor", "cadre1")
    assert sent.exit_code == 0 and "1 项变更" in sent.stdout
    again = cli("change-report", "submit", "--org", "C1", "--at", "2024-03-21", "--actor", "cadre1")
    assert again.exit_code == 3 and "没有待报送的备案变更" in again.stderr

    [report] = cli.json("change-reports", "--actor", "liaison1")
    assert (report["org"], report["reported_on"], report["changes"], report["recorded_on"]) == ("C1", "2024-03-20", 1,
                                                                                               None)
    not_liaison = cli("change-report", "record", str(report["id"]), "--actor", "cadre1")
    assert not_liaison.exit_code == 3 and "公安出入境管理部门联络员" in not_liaison.stderr
    recorded = cli("change-report", "record", str(report["id"]), "--at", "2024-03-21", "--actor", "liaison1")
    assert recorded.exit_code == 0, recorded.output
    table = cli("change-reports", "--actor", "cadre1").stdout
    assert "2024-03-21" in table and "区直机关党委" in table
    [change] = cli.json("registry-changes", "--actor", "cadre1")
    assert (change["change"], change["report_id"], change["overdue"]) == ("registered", report["id"], False)


def test_a_report_outside_the_subtree_is_answered_as_an_unknown_one(cli):
    assert cli("person", "add", NUMBER, "--name", "李四", "--org", "B3", "--rank", "county", "--type",
               "county_level_serving", "--at", "2024-03-01", "--actor", "cadre2").exit_code == 0
    assert cli("person", "register", NUMBER, "--at", "2024-03-10", "--actor", "cadre2").exit_code == 0
    assert cli("change-report", "submit", "--org", "C2", "--at", "2024-03-20", "--actor", "cadre2").exit_code == 0
    outside = cli("change-report", "record", "1", "--actor", "cadre1")
    unknown = cli("change-report", "record", "99", "--actor", "cadre1")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1 ", " N ") == unknown.stderr.replace(" 99 ", " N ")
    assert cli("change-report", "record", "0", "--actor", "liaison1").exit_code == 2


def test_the_alert_list_names_an_unreported_change_in_words(cli):
    assert cli("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
               "county_level_serving", "--at", "2024-03-01", "--actor", "cadre1").exit_code == 0
    assert cli("person", "register", NUMBER, "--at", "2024-03-10", "--actor", "cadre1").exit_code == 0
    assert cli("sweep", "--as-of", "2024-03-26").exit_code == 0
    listed = cli("alerts", "--actor", "cadre1", "--as-of", "2024-03-26", "--format", "csv").stdout
    assert "变更备案逾期未报送" in listed and "备案变更 " in listed and "regchg" not in listed and "T3" not in listed


def test_person_edit_clear_empties_an_optional_field_and_a_filed_person_awaits_re_filing(cli):
    assert cli("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
               "county_level_serving", "--post", "局长", "--at", "2024-03-01", "--actor", "cadre1").exit_code == 0
    assert cli("person", "register", NUMBER, "--at", "2024-03-10", "--actor", "cadre1").exit_code == 0
    cleared = cli("person", "edit", NUMBER, "--clear", "post", "--actor", "cadre1")
    assert cleared.exit_code == 0, cleared.output
    assert "变更备案" in cleared.stdout
    person = cli.json("person", "show", NUMBER, "--actor", "cadre1")
    assert person["post"] is None and person["history"][-1]["changes"] == {"post": ["局长", None]}
    required = cli("person", "edit", NUMBER, "--clear", "name", "--actor", "cadre1")
    assert required.exit_code == 2 and "“姓名”是必填项，不能清空" in required.stderr and "--clear" in required.stderr
    filed = cli("person", "edit", NUMBER, "--clear", "type", "--actor", "cadre1")
    assert filed.exit_code == 3 and "请先撤销备案" in filed.stderr
