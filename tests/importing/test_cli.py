"""`lostcontact import orgs|members|contacts FILE`: a summary and exit 0, or exit 4 with every bad row in
Chinese and English on stderr and nothing written."""
from __future__ import annotations

from lostcontact.masking import mask_id

from ..data.make_files import BAD, GOOD, OK_ID


def test_an_import_prints_what_it_did_in_both_languages(cli):
    result = cli("import", "orgs", GOOD / "orgs.csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["orgs.csv：共 3 行，新增 2，更新 1，未变 0",
                                          "orgs.csv: 3 rows, 2 inserted, 1 updated, 0 unchanged"]


def test_a_bad_file_exits_4_naming_each_bad_row_and_writes_nothing(cli):
    result = cli("import", "members", BAD / "members_duplicate_id_in_file.csv")
    assert result.exit_code == 4
    lines = result.stderr.splitlines()
    assert lines[0].startswith("错误：导入文件 members_duplicate_id_in_file.csv") and lines[1].startswith("error: import file")
    masked = mask_id(OK_ID)
    assert f"  members_duplicate_id_in_file.csv 第4行 列 id_number 值「{masked}」：与第2行的身份证号重复" in lines
    assert (f"  members_duplicate_id_in_file.csv, row 4, column id_number, value '{masked}': "
            "the same ID number as row 2") in lines
    assert "Traceback" not in result.output
    after = cli("import", "members", GOOD / "members_utf8.csv", "--dry-run")
    assert "5 rows, 5 inserted, 0 updated, 0 unchanged (dry run: nothing written)" in after.stdout


def test_options_select_the_encoding_and_the_sheet(cli):
    assert cli("import", "members", GOOD / "members_gbk.csv", "--encoding", "gbk", "--dry-run").exit_code == 0
    assert cli("import", "members", GOOD / "members_second_sheet.xlsx", "--sheet", "名册", "--dry-run").exit_code == 0
    unknown = cli("import", "members", GOOD / "members_gbk.csv", "--encoding", "klingon")
    assert unknown.exit_code == 2 and "unknown encoding klingon" in unknown.stderr


def test_a_missing_file_is_bad_input_not_a_traceback(cli, tmp_path):
    result = cli("import", "contacts", tmp_path / "nowhere.csv")
    assert result.exit_code == 4 and "cannot read the file" in result.stderr
