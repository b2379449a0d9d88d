"""The columns of each import file (INTERFACE.md "Import files"): English and Chinese headers, which
are required, and how each cell is read. Matching a header row to them is also here."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Callable

from openpyxl.utils import get_column_letter

from statemachines.codes import CONTACT_KINDS, FLOW_DIRECTIONS, OCCUPATIONS, ORG_LEVELS, ORG_TYPES, STANDINGS
from statemachines.member_codes import ABROAD_CONTACTS, LIFE_RESUMPTIONS, MARITAL_STATUSES, MEMBERSHIP_HANDLINGS

from . import values
from .family import family
from .problems import Problems, shown


@dataclass(frozen=True)
class Column:
    name: str                       # the English header, the field name and the staging column
    zh: str                         # the Chinese header of INTERFACE.md
    parse: Callable[[values.Cell], object]
    required: bool = False
    aliases: tuple[str, ...] = ()   # other Chinese headers seen on real rosters
    is_id: bool = False             # an ID number: masked in every message
    blank_ok: bool = False          # a required column whose cell may be empty (a root org's parent)


def _words(table: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """Each id of a code table, its Chinese label and a few common variants, all folded to lower case."""
    words = {key: key for key in table}
    words.update({label: key for key, label in table.items()})
    words.update(extra)
    return {unicodedata.normalize("NFKC", word).lower(): key for word, key in words.items()}


LEVEL_WORDS = _words(ORG_LEVELS, {"省": "province", "省委": "province", "市": "city", "市委": "city", "县": "county",
                                  "区": "county", "县委": "county", "区委": "county", "县(区)": "county",
                                  "党委": "committee", "机关党委": "committee", "总支": "general_branch",
                                  "支部": "branch"})
STANDING_WORDS = _words(STANDINGS, {"正式": "full", "预备": "probationary"})
KIND_WORDS = _words(CONTACT_KINDS, {"参加组织生活": "org_life", "交纳党费": "dues", "缴纳党费": "dues",
                                    "交党费": "dues"})

level = values.choice(LEVEL_WORDS, "层级", "level", "|".join(ORG_LEVELS) + " 或 省/市/县/基层党委/党总支/党支部")
standing = values.choice(STANDING_WORDS, "党员类别", "standing", "正式/预备, full/probationary")
contact_kind = values.choice(KIND_WORDS, "联系类型", "contact kind", "org_life/dues/other, 组织生活/党费/其他")
occupation = values.labelled_code(OCCUPATIONS, "职业", "occupation")
flow_direction = values.labelled_code(FLOW_DIRECTIONS, "外出流向", "flow direction")
org_type = values.labelled_code(ORG_TYPES, "党组织类别", "org type")


def _seed_list(table: dict[str, str], zh_what: str, en_what: str, extra: dict[str, str] | None = None):
    """A value of one of seed 003 附件1's lists (statemachines/member_codes.py): its words or its English id."""
    return values.choice(_words(table, extra or {}), zh_what, en_what,
                         "、".join(table.values()) + "（或 " + "/".join(table) + "）")


_RETAIN = {"三个月": "retain_3m", "六个月": "retain_6m", "一年": "retain_1y", "二年": "retain_2y", "两年": "retain_2y",
           "三年": "retain_3y", "三年以上": "retain_over_3y"}
marital_status = _seed_list(MARITAL_STATUSES, "婚姻状况", "marital status")
abroad_contact = _seed_list(ABROAD_CONTACTS, "出国后与组织联系情况", "contact while abroad")
membership_handling = _seed_list(MEMBERSHIP_HANDLINGS, "党籍处理方式", "membership handling",
                                 {**_RETAIN, **{"保留党籍" + k: v for k, v in _RETAIN.items()}})
life_resumption = _seed_list(LIFE_RESUMPTIONS, "恢复组织生活情况", "resumption of organisational life")

ORG_COLUMNS = (
    Column("code", "组织代码", values.code_text, required=True),
    Column("name", "组织名称", values.text, required=True, aliases=("名称",)),
    Column("parent_code", "上级组织代码", values.code_text, required=True, aliases=("上级代码",), blank_ok=True),
    Column("level", "层级", level, required=True, aliases=("组织层级",)),
    Column("org_type", "党组织类别", org_type, aliases=("组织类别",)),
)

MEMBER_COLUMNS = (
    Column("id_number", "身份证号", values.id_number, required=True, is_id=True,
           aliases=("身份证号码", "公民身份号码", "公民身份证号码")),
    Column("name", "姓名", values.person_name, required=True),
    Column("sex", "性别", values.sex),
    Column("ethnicity", "民族", values.text),
    Column("birth_date", "出生日期", values.birth_date, aliases=("出生年月",)),
    Column("join_date", "入党时间", values.a_date, required=True, aliases=("入党日期",)),
    Column("standing", "党员类别", standing, required=True, aliases=("人员类别",)),
    Column("probation_start", "预备期开始日期", values.a_date),
    Column("phone", "联系电话", values.phone, aliases=("电话", "手机", "手机号", "手机号码")),
    Column("branch_code", "所在党支部代码", values.code_text, required=True, aliases=("党支部代码", "支部代码")),
    Column("occupation", "职业", occupation),
    Column("mobile", "是否流动党员", values.yes_no),
    Column("flow_direction", "外出流向", flow_direction),
    Column("flow_reason", "外出原因", values.text),
    Column("flow_card_no", "流动党员活动证编号", values.code_text),
    Column("receiving_unit", "流入单位", values.text),
    Column("away_since", "外出日期", values.a_date, aliases=("外出时间",)),
    Column("reported", "是否已报告", values.yes_no),
    Column("abroad", "是否出国（境）", values.yes_no),
    Column("abroad_reason", "出国（境）原因", values.text, aliases=("出国原因",)),
    Column("abroad_date", "出国（境）日期", values.a_date, aliases=("出国日期",)),
    Column("transfer_out_date", "组织关系转出日期", values.a_date),
    Column("receipt_returned", "是否收到回执", values.yes_no),
    Column("receiving_org", "接收党组织", values.text),
    # seed 003 附件1 党员基本信息表; the lists are its notes 2 and 7
    Column("marital_status", "婚姻状况", marital_status),
    Column("work_start_date", "参加工作时间", values.a_date, aliases=("参加工作日期",)),
    Column("education", "学历", values.text),
    Column("degree", "学位", values.text),
    Column("school", "毕业院校", values.text),
    Column("party_post", "现任党内职务", values.text, aliases=("党内职务",)),
    Column("abroad_contact", "出国后与组织联系情况", abroad_contact),
    Column("membership_handling", "党籍处理方式", membership_handling),
    Column("return_date", "回国日期", values.a_date),
    Column("life_resumption", "恢复组织生活情况", life_resumption),
    Column("family", "家庭主要成员及重要社会关系", family, aliases=("家庭主要成员",)),
)

CONTACT_COLUMNS = (
    # Only its length is checked row by row; a number matching no member gets the full check for its
    # message (contacts.py): five million rows need not pay for checksums the roster import checked.
    Column("id_number", "身份证号", values.id_number_shape, required=True, is_id=True,
           aliases=("身份证号码", "公民身份号码", "公民身份证号码")),
    Column("date", "日期", values.a_date, required=True, aliases=("联系日期",)),
    Column("kind", "类型", contact_kind, required=True, aliases=("联系类型",)),
)

# Optional columns required on some rows (e.g. probation_start for probationary members) are checked
# row by row by the kind.


def _header_key(raw: object) -> str:
    text = unicodedata.normalize("NFKC", "" if raw is None else str(raw))
    return "".join(text.split()).lower().lstrip("\ufeff")


@dataclass(frozen=True)
class HeaderMap:
    """Which cell of a data row holds which column."""
    positions: tuple[tuple[int, Column], ...]
    width: int                                # cells with a header; a value beyond them is misplaced

    @property
    def names(self) -> frozenset[str]:
        return frozenset(column.name for _, column in self.positions)


def map_header(row: int, header: list[object], columns: tuple[Column, ...], problems: Problems,
               warnings: list[tuple[str, str]]) -> HeaderMap:
    """Match the header row to the kind's columns: extra columns are ignored with a warning, a missing
    required column, a column given twice or an empty header cell between named ones is a problem."""
    lookup: dict[str, Column] = {}
    for column in columns:
        for title in (column.name, column.zh, *column.aliases):
            lookup[_header_key(title)] = column
    cells = list(header)
    while cells and _header_key(cells[-1]) == "":
        cells.pop()
    found: dict[str, int] = {}
    positions: list[tuple[int, Column]] = []
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        letter = get_column_letter(index + 1)
        if key == "":
            problems.add(row, letter, None, f"表头第{index + 1}列（{letter}）为空（合并单元格？）",
                         f"header cell {index + 1} ({letter}) is empty (merged cells?)")
            continue
        column = lookup.get(key)
        if column is None:
            ignored.append(str(cell).strip())
        elif column.name in found:
            problems.add(row, column.name, str(cell).strip(),
                         f"列重复（第{found[column.name] + 1}列与第{index + 1}列都是 {column.name}）",
                         f"the column is given twice (cells {found[column.name] + 1} and {index + 1} are both "
                         f"{column.name})")
        else:
            found[column.name] = index
            positions.append((index, column))
    missing = [c for c in columns if c.required and c.name not in found]
    if missing:
        names_zh = "、".join(f"{c.name}（{c.zh}）" for c in missing)
        names_en = ", ".join(f"{c.name} ({c.zh})" for c in missing)
        seen = shown_headers(cells)
        problems.add(row, None, None, f"缺少必需的列：{names_zh}；文件表头为：{seen}",
                     f"required column(s) missing: {names_en}; the file's header is: {seen}")
    if ignored:
        warnings.append((f"已忽略无法识别的列：{'、'.join(ignored)}", f"ignored unknown column(s): {', '.join(ignored)}"))
    return HeaderMap(tuple(positions), len(cells))


def shown_headers(cells: list[object]) -> str:
    """The header row as found (a file without one shows its first data row: ID numbers masked)."""
    text = " | ".join("" if c is None else shown(str(c).strip()) for c in cells)
    return text if len(text) <= 200 else text[:200] + "…"

