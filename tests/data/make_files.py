"""The import files the tests use: one good roster in every supported encoding and format (good/) and a
corpus of bad files (bad/), each with the reason the import must give for refusing it.

    python -m tests.data.make_files      # rewrites tests/data/good and tests/data/bad

The files are committed; this script is how they were made (XLSX files carry timestamps, so a rerun
changes their bytes but not their content). The database the corpus is checked against is
tests/builders.py's world plus EXISTING_MEMBERS.
"""
from __future__ import annotations

import codecs
import csv
import io
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from bench.excel_writer import write_xlsx
from tests.builders import make_id_number

HERE = Path(__file__).resolve().parent
GOOD, BAD = HERE / "good", HERE / "bad"

# Members recorded before the import: (name, branch, serial); their ID numbers are make_id_number(serial).
EXISTING_MEMBERS = (("王五", "B2", 900), ("赵六", "B1", 901))
AT_B2, AT_B1 = make_id_number(900), make_id_number(901)

# --- the good roster -----------------------------------------------------------------------------------

EN = ("id_number", "name", "sex", "ethnicity", "birth_date", "join_date", "standing", "probation_start", "phone",
      "branch_code", "occupation", "mobile", "flow_direction", "away_since", "reported", "abroad")
ZH = ("身份证号", "姓名", "性别", "民族", "出生日期", "入党时间", "党员类别", "预备期开始日期", "联系电话",
      "所在党支部代码", "职业", "是否流动党员", "外出流向", "外出日期", "是否已报告", "是否出国（境）")
X_ID = "41040219850312007X"  # its check character is X; written lower-case below

# As people type them: 全角 digits, padded names, 2010年3月5日, slashes, a birth month, an Excel serial,
# 是/否 and Y/N, 1/2 for sex, a lower-case x. Row 4 is 赵六, already at B1: a new phone number.
GOOD_MEMBERS = (
    (make_id_number(11, date(1980, 1, 1)), "张三", "男", "汉族", "1980-01-01", "2005-07-01", "正式", "",
     "13800000001", "B1", "1", "否", "", "", "否", "否"),
    (X_ID.lower(), "李  四", "", "回族", "", "2016年1月10日", "预备", "2016/01/10", "", "B1", "高校毕业生", "N", "", "",
     "", "N"),
    (make_id_number(13, date(1975, 6, 18)), " 王小明 ", "1", "汉族", "1975.06", "2008/08/08", "full", "",
     "１３９０００００００２", " B2 ", "３", "是", "4", "2015-12-01", "N", "否"),
    (AT_B1, "赵六", "男", "", "", "2005-07-01", "正式党员", "", "13700000009", "B1", "", "", "", "", "", ""),
    (make_id_number(14, date(1990, 2, 28)), "欧阳娜娜", "女", "汉族", "1990-02-28", "38534", "正式", "",
     "13600000004", "B3", "8", "0", "", "", "0", "1"),
)
# What the database must hold after importing any of the good member files.
EXPECTED_MEMBERS = {
    make_id_number(11, date(1980, 1, 1)): ("张三", "M", date(1980, 1, 1), date(2005, 7, 1), "full", "B1"),
    X_ID: ("李四", "M", date(1985, 3, 12), date(2016, 1, 10), "probationary", "B1"),
    make_id_number(13, date(1975, 6, 18)): ("王小明", "M", date(1975, 6, 1), date(2008, 8, 8), "full", "B2"),
    AT_B1: ("赵六", "M", date(1980, 1, 1), date(2005, 7, 1), "full", "B1"),
    make_id_number(14, date(1990, 2, 28)): ("欧阳娜娜", "F", date(1990, 2, 28), date(2005, 7, 1), "full", "B3"),
}
XLSX_DATE_CELLS = {"2005-07-01": date(2005, 7, 1), "2008/08/08": date(2008, 8, 8), "1990-02-28": date(1990, 2, 28)}

GOOD_ORGS = (("code", "name", "parent_code", "level", "org_type"),
             ("B4", "新建第四党支部", "GB4", "党支部", "4"),      # its parent comes later in the file
             ("GB4", "新建党总支", "C2", "党总支", ""),
             ("C1", "区直机关党委（更名）", "410402", "基层党委", "4"))  # already recorded: renamed
GOOD_CONTACTS = (("身份证号", "日期", "类型"),
                 (AT_B1, "2016-03-05", "组织生活"),
                 (AT_B1, "2016年4月1日", "党费"),
                 (AT_B2, "2016/02/01", "dues"),
                 (AT_B2, "2016/02/01", "dues"))                 # the same event twice: recorded once


def _csv_bytes(rows, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + text.getvalue().encode(encoding)


def _xlsx(path: Path, sheets: dict[str, list]) -> None:
    from openpyxl import Workbook
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)


def _as_cells(row) -> list:
    """A roster row as an Excel user would have it: dates as date cells, empty cells empty."""
    return [XLSX_DATE_CELLS.get(value, value if value != "" else None) for value in row]


GOOD_FILES: dict[str, Callable[[Path], None]] = {
    "members_utf8.csv": lambda p: p.write_bytes(_csv_bytes([EN, *GOOD_MEMBERS])),
    "members_utf8_bom.csv": lambda p: p.write_bytes(_csv_bytes([ZH, *GOOD_MEMBERS], bom=True)),
    "members_gbk.csv": lambda p: p.write_bytes(_csv_bytes([ZH, *GOOD_MEMBERS], "gbk")),
    "members_gb18030.csv": lambda p: p.write_bytes(_csv_bytes([EN, *GOOD_MEMBERS], "gb18030")),
    # As Excel saves it (text in the shared-strings table) ...
    "members.xlsx": lambda p: write_xlsx(p, [ZH, *map(_as_cells, GOOD_MEMBERS)], sheet="党员名册"),
    # ... and as openpyxl does (inline strings), the roster on a second sheet, imported with --sheet 名册.
    "members_second_sheet.xlsx": lambda p: _xlsx(p, {"说明": [["填表说明：日期格式为 YYYY-MM-DD"]],
                                                     "名册": [EN, *map(_as_cells, GOOD_MEMBERS)]}),
    "orgs.csv": lambda p: p.write_bytes(_csv_bytes(GOOD_ORGS)),
    "contacts.csv": lambda p: p.write_bytes(_csv_bytes(GOOD_CONTACTS)),
}
GOOD_MEMBER_FILES = tuple((name, "名册" if "second_sheet" in name else None)
                          for name in GOOD_FILES if name.startswith("members"))

# --- the bad corpus ------------------------------------------------------------------------------------

MEMBER_HEADER = ("id_number", "name", "branch_code", "standing", "join_date", "birth_date", "probation_start",
                 "occupation", "mobile", "flow_direction", "sex")
OK_ID = make_id_number(21)
OK2_ID = make_id_number(22)
NEW_ID = make_id_number(23)


def member(**change) -> tuple:
    """A good member row (make_id_number(21) at B1) with some cells changed."""
    row = dict(id_number=OK_ID, name="孙七", branch_code="B1", standing="正式", join_date="2005-07-01",
               birth_date="1980-01-01", probation_start="", occupation="1", mobile="否", flow_direction="", sex="男")
    row.update(change)
    return tuple(row[c] for c in MEMBER_HEADER)


SECOND = member(id_number=OK2_ID, name="周八", sex="女")
CONTACT_HEADER = ("身份证号", "日期", "类型")
ORG_HEADER = ("code", "name", "parent_code", "level")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format


def csv_file(*rows, header=MEMBER_HEADER, encoding="utf-8", bom=False) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(_csv_bytes([header, *rows], encoding, bom))


def members_xlsx(*rows, header=MEMBER_HEADER, sheet="Sheet1", merge: str | None = None, above=()):
    def build(path: Path) -> None:
        from openpyxl import Workbook
        workbook = Workbook()
        ws = workbook.active
        ws.title = sheet
        for row in (*above, header, *rows):
            ws.append(list(row))
        if merge:
            ws.merge_cells(merge)
        workbook.save(path)
    return build


@dataclass(frozen=True)
class BadFile:
    name: str
    kind: str
    build: Callable[[Path], None]
    reason_en: str              # a part of the English reason the refusal must give
    reason_zh: str              # and of the Chinese one
    row: int | None = None      # the row it must name, when the problem is in a row
    encoding: str | None = None
    sheet: str | None = None
    options: dict = field(default_factory=dict)


def bad_member(file_name: str, reason_en: str, reason_zh: str, /, **change) -> BadFile:
    """A roster of one member (row 2) with one thing wrong."""
    return BadFile(file_name, "members", csv_file(member(**change)), reason_en, reason_zh, row=2)


def bad_contact(name: str, reason_en: str, reason_zh: str, *row: str) -> BadFile:
    return BadFile(name, "contacts", csv_file(row, header=CONTACT_HEADER), reason_en, reason_zh, row=2)


def bad_orgs(name: str, reason_en: str, reason_zh: str, *rows: tuple, row: int = 2, header=None) -> BadFile:
    return BadFile(name, "orgs", csv_file(*rows, header=header or ORG_HEADER), reason_en, reason_zh, row=row)


def wrong_check(id_number: str) -> str:
    """The ID number with another check character."""
    return id_number[:17] + ("1" if id_number[17] != "1" else "2")


def _utf16(path: Path) -> None:
    text = "\r\n".join(",".join(row) for row in (MEMBER_HEADER, member()))
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


def _unquoted_comma(path: Path) -> None:
    good = _csv_bytes([MEMBER_HEADER, member()])
    path.write_bytes(good + ",".join(member(id_number=OK2_ID, name="周八,周九")).encode() + b"\r\n")


def _mixed(path: Path) -> None:
    good = _csv_bytes([MEMBER_HEADER, member()])
    path.write_bytes(good + _csv_bytes([SECOND], "gbk"))


def _truncated(path: Path) -> None:
    members_xlsx(member(), SECOND)(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _unclosed_quote(path: Path) -> None:
    path.write_bytes(_csv_bytes([MEMBER_HEADER, member()]) + f'{OK2_ID},"周八,B1,正式,2005-07-01\r\n'.encode())


BAD_FILES = (
    # --- the file as a whole
    BadFile("members_truncated.xlsx", "members", _truncated, "damaged or incomplete", "已损坏或不完整"),
    BadFile("members_old_format.xls", "members", lambda p: p.write_bytes(OLE_MAGIC + bytes(504)),
            "old Excel (.xls)", "旧版 Excel"),
    BadFile("members_empty.csv", "members", lambda p: p.write_bytes(b""), "the file is empty", "文件为空"),
    BadFile("members_utf16.csv", "members", _utf16, "UTF-16 or binary", "UTF-16"),
    BadFile("members_unknown_sheet.xlsx", "members", members_xlsx(member(), sheet="Sheet1"), "no sheet named '名册'",
            "没有名为“名册”的工作表", sheet="名册"),
    # --- encodings
    BadFile("members_declared_utf8_is_gbk.csv", "members",
            csv_file(member(), header=ZH[:1] + MEMBER_HEADER[1:], encoding="gbk"),
            "not in the declared encoding", "不是所指定的", row=1, encoding="utf-8"),
    BadFile("members_mixed_encodings.csv", "members", _mixed, "mixed encodings", "混用了多种编码", row=3),
    BadFile("members_bom_gbk.csv", "members", csv_file(member(), SECOND, encoding="gbk", bom=True),
            "starts with a UTF-8 byte order mark", "以 UTF-8 BOM 开头", row=2),
    # --- the header
    BadFile("members_missing_column.csv", "members",
            csv_file(member()[:2] + member()[3:], header=MEMBER_HEADER[:2] + MEMBER_HEADER[3:]),
            "required column(s) missing: branch_code", "缺少必需的列：branch_code", row=1),
    BadFile("members_duplicated_column.csv", "members", csv_file(member() + ("孙七",), header=MEMBER_HEADER + ("姓名",)),
            "the column is given twice", "列重复", row=1),
    BadFile("members_merged_header.xlsx", "members",
            members_xlsx(member(), header=("基本信息", None, None) + MEMBER_HEADER[3:], merge="A1:C1"),
            "is empty (merged cells?)", "合并单元格", row=1),
    BadFile("members_title_row.xlsx", "members", members_xlsx(member(), above=(("某某党委党员名册",),)),
            "required column(s) missing", "缺少必需的列", row=1),
    # --- rows and cells
    BadFile("members_blank_lines.csv", "members", csv_file(member(), (), SECOND), "a blank row in the middle",
            "数据中间有空行", row=3),
    BadFile("members_unquoted_comma.csv", "members", _unquoted_comma, "beyond the header", "表头以外", row=3),
    BadFile("members_unclosed_quote.csv", "members", _unclosed_quote, "malformed CSV", "CSV 格式错误", row=3),
    BadFile("members_formula.xlsx", "members", members_xlsx(member(name='=CONCAT("孙","七")')), "holds a formula",
            "公式", row=2),
    BadFile("members_excel_error.xlsx", "members", members_xlsx(member(branch_code="#N/A")), "Excel error value",
            "Excel 错误值", row=2),
    BadFile("members_id_as_number.xlsx", "members", members_xlsx(member(id_number=int(OK_ID[:15] + "000"))),
            "stored by Excel as a number", "存成了数字", row=2),
    bad_member("members_empty_required.csv", "a required value is empty", "必填项为空", name="  "),
    bad_member("members_name_too_long.csv", "too long (at most 100", "过长", name="孙" * 101),
    # --- ID numbers
    bad_member("members_bad_checksum.csv", "check digit is wrong", "校验位错误", id_number=wrong_check(OK_ID)),
    bad_member("members_17_digit_id.csv", "18 characters (17 given)", "应为18位", id_number=OK_ID[:17]),
    bad_member("members_15_digit_id.csv", "15-digit", "15位", id_number=OK_ID[:6] + OK_ID[8:17]),
    bad_member("members_id_letters.csv", "characters other than digits", "非法字符",
               id_number=OK_ID[:10] + "AB" + OK_ID[12:]),
    BadFile("members_duplicate_id_in_file.csv", "members", csv_file(member(), SECOND, member(name="孙七七")),
            "the same ID number as row 2", "与第2行的身份证号重复", row=4),
    bad_member("members_at_another_branch.csv", "recorded at another branch (B2)", "另一党支部（B2）",
               id_number=AT_B2, name="王五", sex=""),
    bad_member("members_birth_not_in_id.csv", "does not match the birth date in the ID number", "与身份证号中的出生日期",
               birth_date="1981-01-01"),
    bad_member("members_sex_not_in_id.csv", "does not match the sex encoded in the ID number", "与身份证号中的性别不符",
               sex="女"),
    # --- dates
    bad_member("members_future_date.csv", "in the future", "在未来", join_date="2016-07-01"),
    bad_member("members_feb_30.csv", "no such date", "日期不存在", join_date="2010年2月30日"),
    bad_member("members_month_13.csv", "no such date", "日期不存在", join_date="2010-13-01"),
    bad_member("members_year_only.csv", "a year alone", "只有年份", join_date="2005"),
    bad_member("members_not_a_date.csv", "not a date in a known form", "不是可识别的日期", join_date="七月一日"),
    bad_member("members_implausible_year.csv", "the year 1850 is implausible", "不合理", join_date="1850-07-01"),
    bad_member("members_birth_after_join.csv", "not after the birth date", "不晚于出生日期", join_date="1979-12-31"),
    bad_member("members_join_date_month_only.csv", "the day is missing", "缺少日", join_date="2005-07"),
    # --- codes and words
    bad_member("members_unknown_branch.csv", "unknown branch code", "未知党支部代码", branch_code="B9"),
    bad_member("members_not_a_branch.csv", "this org is not a branch", "不是党支部", branch_code="C1"),
    bad_member("members_unknown_occupation.csv", "unknown occupation code", "未知职业代码", occupation="9"),
    bad_member("members_unknown_flow_direction.csv", "unknown flow direction code", "未知外出流向代码",
               mobile="是", flow_direction="7"),
    bad_member("members_bad_sex.csv", "not a valid sex", "不是有效的性别", sex="未知"),
    bad_member("members_bad_yes_no.csv", "not a valid yes/no value", "不是有效的是/否", mobile="也许"),
    bad_member("members_bad_standing.csv", "not a valid standing", "不是有效的党员类别", standing="入党积极分子"),
    bad_member("members_probationary_without_start.csv", "needs a probation_start", "预备期开始日期", standing="预备"),
    # --- contacts
    bad_contact("contacts_unknown_member.csv", "no member has this ID number", "没有此身份证号的党员",
                NEW_ID, "2016-03-01", "党费"),
    bad_contact("contacts_bad_checksum.csv", "check digit is wrong", "校验位错误", wrong_check(AT_B1), "2016-03-01", "党费"),
    bad_contact("contacts_bad_kind.csv", "not a valid contact kind", "不是有效的联系类型", AT_B1, "2016-03-01", "开会"),
    bad_contact("contacts_before_join.csv", "before the member's join date (2005-07-01)", "早于该党员的入党时间",
                AT_B1, "2004-01-01", "org_life"),
    bad_contact("contacts_future.csv", "in the future", "在未来", AT_B1, "2016年7月1日", "dues"),
    # --- orgs
    bad_orgs("orgs_unknown_parent.csv", "neither in the database nor in this file", "都不存在",
             ("B5", "第五党支部", "C9", "党支部")),
    # X0 is good and is inserted before the cycle shows: the refusal must take it back too.
    bad_orgs("orgs_cycle.csv", "form a cycle", "成环",
             ("X0", "丙", "C1", "党支部"), ("X1", "甲", "X2", "基层党委"), ("X2", "乙", "X1", "党总支"), row=3),
    bad_orgs("orgs_own_parent.csv", "its own parent", "其自身", ("X1", "甲", "X1", "基层党委")),
    bad_orgs("orgs_duplicate_code.csv", "the same code as row 2", "与第2行的组织代码重复",
             ("X1", "甲", "C1", "党支部"), ("X1", "乙", "C2", "党支部"), row=3),
    bad_orgs("orgs_bad_level.csv", "not a valid level", "不是有效的层级", ("X1", "甲", "C1", "小组")),
    bad_orgs("orgs_bad_org_type.csv", "unknown org type code", "未知党组织类别代码", ("X1", "甲", "C1", "党支部", "10"),
             header=ORG_HEADER + ("org_type",)),
    bad_orgs("orgs_branch_as_parent.csv", "the parent is a branch", "上级组织是党支部", ("X1", "甲", "B1", "党支部")),
    bad_orgs("orgs_move_existing.csv", "an import cannot move an org", "导入不能移动组织", ("B1", "第一党支部", "C2", "党支部")),
    bad_orgs("orgs_branch_with_members_relevelled.csv", "this branch has members", "该党支部已有党员",
             ("B1", "第一党支部", "C1", "党总支")),
)


def main() -> None:
    for folder, builders in ((GOOD, GOOD_FILES), (BAD, {b.name: b.build for b in BAD_FILES})):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, build in builders.items():
            build(folder / name)
    print(f"{len(GOOD_FILES)} good files in {GOOD}, {len(BAD_FILES)} bad files in {BAD}")


if __name__ == "__main__":
    main()
