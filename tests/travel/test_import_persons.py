"""Importing persons through the importer: all or nothing, every bad row named (file, row, column, reason in
Chinese and English) with exit 4, English or Chinese headers, a user's import limited to their subtrees."""
from __future__ import annotations

from lostcontact.masking import mask_id
from models.db import open_database

from ..builders import make_id_number
from ..importing.conftest import table_counts

HEADER_ZH = "身份证号,姓名,管理单位代码,职级,工作单位,职务,登记备案人员类别,备案日期"
HEADER_EN = "id_number,name,org_code,rank,work_unit,post,person_type,registered_on"


def write(tmp_path, name, *lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_good_file_records_every_person_and_files_those_with_a_registration_date(cli, tmp_path):
    path = write(tmp_path, "persons.csv", HEADER_ZH,
                 f"{make_id_number(1)},甲,B1,县处级,区财政局,局长,县处级以上在职干部,2024-01-05",
                 f"{make_id_number(2)},乙,B2,township,区某局,科长,,")
    result = cli("import", "persons", path, "--actor", "cadre1")
    assert result.exit_code == 0, result.output
    assert "新增 2" in result.stdout
    persons = {p["name"]: p for p in cli.json("persons", "--actor", "cadre1")}
    assert (persons["甲"]["registration_status"], persons["乙"]["registration_status"]) == ("registered", "unregistered")
    assert cli.json("persons", "--actor", "cadre1", "--as-of", "2024-01-04") == []
    assert [p["name"] for p in cli.json("persons", "--actor", "cadre1", "--as-of", "2024-01-05")] == ["甲"]


def test_english_headers_are_read_and_a_re_import_updates_and_asks_for_re_filing(cli, tmp_path):
    number = make_id_number(1)
    first = write(tmp_path, "a.csv", HEADER_EN, f"{number},甲,B1,county,区财政局,局长,county_level_serving,2024-01-05")
    assert cli("import", "persons", first, "--actor", "cadre1").exit_code == 0
    again = write(tmp_path, "b.csv", HEADER_EN, f"{number},甲,B1,county,区财政局,副局长,county_level_serving,2024-01-05")
    result = cli("import", "persons", again, "--actor", "cadre1")
    assert "更新 1" in result.stdout
    shown = cli.json("person", "show", number, "--actor", "cadre1")
    assert (shown["post"], shown["registration_status"]) == ("副局长", "changed")
    assert shown["history"][-1]["note"] == "导入 b.csv：职务"
    assert "未变 1" in cli("import", "persons", again, "--actor", "cadre1").stdout


def test_a_file_with_bad_rows_is_refused_whole_naming_every_one_in_both_languages(cli, tmp_path):
    database = open_database(cli.url)
    before = table_counts(database)
    good, bad_check = make_id_number(1), make_id_number(2)[:-1] + "0"
    if bad_check == make_id_number(2):
        bad_check = make_id_number(2)[:-1] + "1"
    path = write(tmp_path, "bad.csv", HEADER_ZH,
                 f"{good},甲,B1,县处级,,,,",
                 f"{bad_check},乙,B1,县处级,,,,",
                 f"{make_id_number(3)},丙,NOPE,县处级,,,,",
                 f"{make_id_number(4)},丁,B3,县处级,,,,",
                 f"{make_id_number(5)},戊,B1,大官,,,,",
                 f"{make_id_number(6)},己,B1,县处级,,,,2024-01-05",
                 f"{good},庚,B1,县处级,,,,")
    result = cli("import", "persons", path, "--actor", "cadre1")
    assert result.exit_code == 4
    err = result.stderr
    for row, column, zh, en in ((3, "id_number", "校验位", "check digit"), (4, "org_code", "不在您的管理范围内或不存在",
                                                                            "outside your subtrees"),
                                (5, "org_code", "不在您的管理范围内或不存在", "outside your subtrees"),
                                (6, "rank", "不是有效的职级", "not a valid rank"),
                                (7, "registered_on", "未填写登记备案人员类别", "without a registered-person type"),
                                (8, "id_number", "与第2行的身份证号重复", "the same ID number as row 2")):
        lines = [line for line in err.splitlines() if f"第{row}行" in line or f"row {row}" in line]
        assert any(column in line and zh in line for line in lines), (row, lines)
        assert any(en in line for line in lines), (row, lines)
    assert "bad.csv" in err and good not in err and mask_id(good) in err
    assert table_counts(database) == before
    database.dispose()


def test_a_person_recorded_in_another_subtree_is_refused_in_words_that_say_neither_where_nor_whether(cli, tmp_path):
    number = make_id_number(9)
    assert cli("person", "add", number, "--name", "甲", "--org", "B3", "--rank", "county", "--actor",
               "cadre2").exit_code == 0
    result = cli("import", "persons", write(tmp_path, "p.csv", HEADER_ZH, f"{number},甲,B1,县处级,,,,"),
                 "--actor", "cadre1")
    assert result.exit_code == 4 and "不在您的管理范围内或不存在" in result.stderr and "B3" not in result.stderr


def test_only_a_cadre_supervisor_or_an_admin_imports_persons(cli, tmp_path):
    path = write(tmp_path, "p.csv", HEADER_ZH, f"{make_id_number(1)},甲,B1,县处级,,,,")
    assert cli("import", "persons", path, "--actor", "officer1").exit_code == 3
    assert cli("import", "persons", path, "--actor", "discipline1").exit_code == 3
    assert cli("import", "persons", path, "--actor", "admin1").exit_code == 0
