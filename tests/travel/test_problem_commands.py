"""The command line of police records, checks and problems: the contract's JSON, Chinese tables, masked
numbers in every format, exit codes; the exit-entry liaison sees no other personal data."""
from __future__ import annotations

import pytest

from lostcontact.masking import mask_document, mask_id

from ..builders import make_id_number
from .police_files import HOLDINGS_EN, holding, write

NUMBER = make_id_number(11)
OTHER = make_id_number(12)
PASSPORT = "E87654321"
JSON_KEYS = {"id", "kind", "person_id_number_masked", "person_name", "org", "found_on", "status", "measures",
             "evidence", "self_corrected"}


@pytest.fixture
def cli(cli, tmp_path):
    """王五 on file at B1 since 2024-01-10 keeps his passport; the administration also holds one under another ID
    number in his name: checks run as of 2024-03-01 find P2 and M1."""
    for args in (("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
                  "county_level_serving", "--at", "2024-01-02"),
                 ("person", "register", NUMBER, "--at", "2024-01-10"),
                 ("document", "add", NUMBER, "--kind", "passport_private", "--number", PASSPORT, "--issued",
                  "2020-01-01", "--expires", "2030-01-01", "--at", "2024-01-10")):
        assert cli(*args, "--actor", "cadre1").exit_code == 0
    path = write(tmp_path, "holdings.csv", HOLDINGS_EN, holding(OTHER, "王五", "E11112222", issued="2020-01-01"))
    assert cli("police", "import", path, "--kind", "holdings", "--actor", "liaison1").exit_code == 0
    result = cli("checks", "run", "--as-of", "2024-03-01", "--actor", "cadre1")
    assert result.exit_code == 0, result.output
    assert "M1 一人多证：新发现 1 个" in result.stdout and "P2 违规持有因私出国（境）证件：新发现 1 个" in result.stdout
    return cli


def test_the_json_is_the_contract_s_list_with_masked_numbers(cli):
    rows = cli.json("problems", "--actor", "cadre1")
    assert [r["kind"] for r in rows] == ["M1", "P2"]
    assert all(set(r) == JSON_KEYS for r in rows)
    p2 = rows[1]
    assert (p2["person_id_number_masked"], p2["person_name"], p2["org"], p2["found_on"], p2["status"],
            p2["measures"]) == (mask_id(NUMBER), "王五", "B1", "2024-03-01", "found", [])
    assert mask_document(PASSPORT) in p2["evidence"]


def test_running_again_finds_nothing_twice(cli):
    assert "新发现 0 个" in cli("checks", "run", "--as-of", "2024-04-01", "--actor", "cadre1").stdout
    assert len(cli.json("problems", "--actor", "cadre1")) == 2
    assert cli("checks", "run", "--kind", "P9", "--actor", "cadre1").exit_code == 2


def test_tables_speak_chinese_and_no_format_shows_a_full_number(cli):
    table = cli("problems", "--actor", "cadre1").stdout
    assert "已发现" in table and "共 2 个" in table and "问题情况" in table
    csv = cli("problems", "--actor", "cadre1", "--format", "csv").stdout
    assert csv.startswith("编号,类别,问题,姓名,身份证号,管理单位,发现日期,状态,处理方式,问题情况")
    assert ",P2,违规持有因私出国（境）证件,王五," in csv and ",M1,一人多证,王五," in csv
    for fmt in ("table", "csv", "json"):
        out = cli("problems", "--actor", "cadre1", "--format", fmt).stdout
        assert NUMBER not in out and OTHER not in out and PASSPORT not in out, fmt


def test_a_problem_is_taken_through_its_lifecycle_on_the_command_line(cli):
    p2 = cli.json("problems", "--kind", "P2", "--actor", "cadre1")[0]["id"]
    assert cli("problem", "handle", p2, "--measure", "criticism", "--actor", "cadre1").exit_code == 3
    assert cli("problem", "verify", p2, "--self-corrected", "--at", "2024-03-05", "--actor", "cadre1").exit_code == 0
    assert cli.json("problem", "show", p2, "--actor", "cadre1")["self_corrected"] is True
    assert cli("problem", "handle", p2, "--actor", "cadre1").exit_code == 2
    result = cli("problem", "handle", p2, "--measure", "批评教育", "--measure", "transfer", "--version", "2",
                 "--at", "2024-03-20", "--actor", "cadre1")
    assert result.exit_code == 0 and "核查中 → 已处理" in result.stdout, result.output
    shown = cli.json("problem", "show", p2, "--actor", "cadre1")
    assert shown["measures"] == ["criticism", "transfer"] and len(shown["history"]) == 3
    page = cli("problem", "show", p2, "--actor", "cadre1").stdout
    assert "批评教育、调离岗位" in page and "核查处理经过" in page and "自查纠正" in page
    assert cli.json("problems", "--status", "handled", "--actor", "cadre1")[0]["id"] == p2
    m1 = cli.json("problems", "--kind", "M1", "--actor", "cadre1")[0]["id"]
    assert cli("problem", "verify", m1, "--actor", "cadre1").exit_code == 0
    assert cli("problem", "dismiss", m1, "--actor", "cadre1").exit_code == 2
    assert cli("problem", "dismiss", m1, "--reason", "同名同生日的另一人", "--actor", "cadre1").exit_code == 0


def test_the_exit_entry_liaison_records_q_problems_and_sees_no_other_personal_data(cli):
    assert cli.json("problems", "--actor", "liaison1") == []
    p2 = cli.json("problems", "--kind", "P2", "--actor", "cadre1")[0]["id"]
    assert cli("problem", "show", p2, "--actor", "liaison1").exit_code == 4
    result = cli("problem", "record", NUMBER, "--kind", "Q3", "--evidence", "未按干部管理权限出具出国证明",
                 "--at", "2024-04-01", "--actor", "liaison1")
    assert result.exit_code == 0, result.output
    [mine] = cli.json("problems", "--actor", "liaison1")
    assert mine["kind"] == "Q3" and mine["person_id_number_masked"] == mask_id(NUMBER)
    assert cli("problem", "record", NUMBER, "--kind", "Q3", "--evidence", "x", "--actor", "cadre1").exit_code == 3
    assert cli("problem", "record", NUMBER, "--kind", "P1", "--evidence", "x", "--actor", "liaison1").exit_code == 2


def test_outside_the_subtree_nothing_is_listed_and_a_problem_is_unknown(cli):
    assert cli.json("problems", "--actor", "cadre2") == []
    outside = cli("problem", "show", "1", "--actor", "cadre2")
    unknown = cli("problem", "show", "99", "--actor", "cadre2")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1", " N") == unknown.stderr.replace(" 99", " N")
    assert "新发现 0 个" in cli("checks", "run", "--actor", "cadre2").stdout
    assert cli("checks", "run", "--actor", "liaison1").exit_code == 3
