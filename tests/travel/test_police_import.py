"""Importing the exit-entry administration's records (police import --kind holdings|crossings): English or
Chinese headers, CSV or XLSX; all or nothing, every bad row named by file, row, column and reason in Chinese and
English (exit 4); the same file imported again adds nothing twice; only an exit-entry liaison or an admin."""
from __future__ import annotations

from openpyxl import Workbook
from sqlalchemy import func, select

from lostcontact.masking import mask_document, mask_id
from models import PoliceCrossing, PoliceHolding
from models.db import open_database

from ..builders import make_id_number
from ..importing.conftest import table_counts
from .police_files import CROSSINGS_EN, CROSSINGS_ZH, HOLDINGS_EN, HOLDINGS_ZH, holding, write

WANG, LI = make_id_number(1), make_id_number(2)


def rows_of(cli, table) -> int:
    database = open_database(cli.url)
    with database.engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(table))
    database.dispose()
    return count


def lines_about(stderr: str, row: int) -> list[str]:
    return [line for line in stderr.splitlines() if f"第{row}行 列" in line or f"row {row}, column" in line]


def test_holdings_with_chinese_headers_are_imported_and_a_second_import_adds_nothing_twice(cli, tmp_path):
    path = write(tmp_path, "持证.csv", HOLDINGS_ZH, f"{WANG},王五,因私护照（普通护照）,E1234567,2020-01-01,2030-01-01,有效",
                 f"{LI},李四,往来港澳通行证,C7654321,2021/03/04,2031年3月3日,挂失")
    result = cli("police", "import", path, "--kind", "holdings", "--actor", "liaison1")
    assert result.exit_code == 0, result.output
    assert "新增 2" in result.stdout
    again = cli("police", "import", path, "--kind", "holdings", "--actor", "liaison1")
    assert "新增 0" in again.stdout and "未变 2" in again.stdout
    assert rows_of(cli, PoliceHolding.__table__) == 2


def test_a_holding_whose_status_changed_is_updated_not_added(cli, tmp_path):
    first = write(tmp_path, "a.csv", HOLDINGS_EN, holding(WANG, "王五", "E1234567"))
    assert cli("police", "import", first, "--kind", "holdings", "--actor", "liaison1").exit_code == 0
    revoked = write(tmp_path, "b.csv", HOLDINGS_EN, holding(WANG, "王五", "E1234567", status="revoked"))
    result = cli("police", "import", revoked, "--kind", "holdings", "--actor", "liaison1")
    assert "新增 0" in result.stdout and "更新 1" in result.stdout
    assert rows_of(cli, PoliceHolding.__table__) == 1


def test_crossings_from_an_xlsx_sheet_are_imported_once(cli, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(CROSSINGS_ZH.split(","))
    sheet.append([WANG, "因私护照", "E1234567", "出境", "2024-05-03", "罗湖", "香港"])
    sheet.append([WANG, "passport_private", "E1234567", "entry", "2024-05-09", "罗湖", None])
    path = tmp_path / "出入境.xlsx"
    workbook.save(path)
    for _ in range(2):
        result = cli("police", "import", path, "--kind", "crossings", "--actor", "liaison1")
        assert result.exit_code == 0, result.output
    assert "新增 0" in result.stdout and "未变 2" in result.stdout
    assert rows_of(cli, PoliceCrossing.__table__) == 2


def test_a_holdings_file_with_bad_rows_is_refused_whole_naming_every_one(cli, tmp_path):
    on_file = write(tmp_path, "before.csv", HOLDINGS_EN, holding(LI, "李四", "E9999999"))
    assert cli("police", "import", on_file, "--kind", "holdings", "--actor", "liaison1").exit_code == 0
    database = open_database(cli.url)
    before = table_counts(database)
    bad_check = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    path = write(tmp_path, "bad.csv", HOLDINGS_EN,
                 holding(WANG, "王五", "E1234567"),                                  # 2 good
                 holding(bad_check, "王五", "E1234568"),                             # 3 check digit
                 holding(WANG, "王五", "E1234569", kind="护照本"),                    # 4 kind
                 holding(WANG, "王五", "E1"),                                        # 5 number
                 holding(WANG, "王五", "E1234570", issued="2024-13-01"),             # 6 date
                 holding(WANG, "王五", "E1234571", issued="2030-01-01", expires="2020-01-01"),  # 7 order
                 holding(WANG, "王五", "E1234572", issued="2099-01-01", expires="2109-01-01"),  # 8 future
                 holding(WANG, "王五", "E1234573", status="作废"),                    # 9 status
                 holding(WANG, "王五", "E1234567"),                                  # 10 duplicate of 2
                 holding(WANG, "王五", "E9999999"),                                  # 11 on file under LI
                 f"{WANG},,passport_private,E1234574,2020-01-01,2030-01-01,valid")  # 12 empty name
    result = cli("police", "import", path, "--kind", "holdings", "--actor", "liaison1")
    assert result.exit_code == 4
    expected = {3: ("id_number", "校验位", "check digit"), 4: ("kind", "不是有效的证件类别", "not a valid document kind"),
                5: ("number", "5 到 40 位", "5 to 40 letters"), 6: ("issued_on", "日期", "date"),
                7: ("expires_on", "不晚于签发日期", "not after the issue date"), 8: ("issued_on", "未来", "future"),
                9: ("status", "不是有效的证件状态", "not a valid document status"),
                10: ("number", "与第2行的证件重复", "the same document as row 2"),
                11: ("number", "另一身份证号", "another ID number"), 12: ("name", "必填项为空", "required value is empty")}
    for row, (column, zh, en) in expected.items():
        lines = lines_about(result.stderr, row)
        assert any(column in line and zh in line for line in lines), (row, lines)
        assert any(en in line for line in lines), (row, lines)
    assert "bad.csv" in result.stderr and bad_check not in result.stderr and mask_id(bad_check) in result.stderr
    assert lines_about(result.stderr, 2) == []
    assert "E9999999" not in result.stderr and mask_document("E9999999") in result.stderr  # document numbers masked too
    assert table_counts(database) == before
    database.dispose()


def test_a_crossings_file_with_bad_rows_is_refused_whole_naming_every_one(cli, tmp_path):
    database = open_database(cli.url)
    before = table_counts(database)
    good = f"{WANG},passport_private,E1234567,exit,2024-05-03,罗湖,香港"
    path = write(tmp_path, "bad.csv", CROSSINGS_EN, good,
                 f"{WANG},passport_private,E1234567,away,2024-05-04,罗湖,",        # 3 direction
                 f"{WANG},resident_id,{WANG},exit,2024-05-05,罗湖,",                # 4 not a travel document
                 f"{WANG},passport_private,E1234567,entry,2099-05-05,罗湖,",        # 5 future
                 f"{WANG},passport_private,E1234567,entry,2024-05-09,,",            # 6 no port
                 good)                                                              # 7 duplicate of 2
    result = cli("police", "import", path, "--kind", "crossings", "--actor", "liaison1")
    assert result.exit_code == 4
    expected = {3: ("direction", "出入境方向", "direction"), 4: ("document_kind", "不是出入境证件", "not a travel document"),
                5: ("crossed_on", "未来", "future"), 6: ("port", "必填项为空", "required value is empty"),
                7: ("crossed_on", "与第2行的出入境记录重复", "the same crossing as row 2")}
    for row, (column, zh, en) in expected.items():
        lines = lines_about(result.stderr, row)
        assert any(column in line and zh in line for line in lines), (row, lines)
        assert any(en in line for line in lines), (row, lines)
    assert WANG not in result.stderr
    assert table_counts(database) == before
    database.dispose()


def test_a_file_without_the_required_columns_is_refused_once(cli, tmp_path):
    path = write(tmp_path, "wrong.csv", "身份证号,姓名", f"{WANG},王五")
    result = cli("police", "import", path, "--kind", "holdings", "--actor", "liaison1")
    assert result.exit_code == 4 and "缺少必需的列" in result.stderr and "required column(s) missing" in result.stderr


def test_only_an_exit_entry_liaison_or_an_admin_imports_police_records(cli, tmp_path):
    path = write(tmp_path, "p.csv", HOLDINGS_EN, holding(WANG, "王五", "E1234567"))
    for actor in ("cadre1", "discipline1", "officer1"):
        result = cli("police", "import", path, "--kind", "holdings", "--actor", actor)
        assert result.exit_code == 3 and "公安出入境管理部门联络员" in result.stderr, actor
    assert cli("police", "import", path, "--kind", "holdings", "--actor", "admin1").exit_code == 0
    assert cli("police", "import", path, "--kind", "passports").exit_code == 2
