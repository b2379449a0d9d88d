"""Reading one cell: the forms people type (全角 digits, stray spaces, 是/否, 男/女, 2016年6月20日, Excel date
serials, …) normalised to one value, or a BadValue saying why not. Cells come as text from a CSV and as
str/int/float/datetime/bool from an XLSX sheet.

These run once per cell of a million-row file, so each has a fast path for the common, already clean
form and only falls back to Unicode normalisation and regular expressions when it has to."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Callable

from stdnum.cn import ric

from .problems import BadValue

Cell = str | int | float | datetime | date | bool | None


def _small_number(text: str) -> bool:
    """ASCII digits few enough to convert: str.isdigit() also takes "²" and other scripts' digits, which
    int() refuses, and int() refuses more than 4,300 digits — both were internal errors on a bad cell."""
    return 0 < len(text) <= 20 and text.isascii() and text.isdigit()


def clean_text(raw: Cell) -> str:
    """The cell as text: 全角 forms folded to ASCII (NFKC), surrounding spaces removed."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = raw if isinstance(raw, str) else str(raw)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


_SPACES = re.compile(r"\s+")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·•．.\s]+$")


def text(raw: Cell) -> str:
    """Free text (ethnicity, units, reasons): surrounding spaces removed, inner runs collapsed."""
    value = raw if isinstance(raw, str) else clean_text(raw)
    value = value.strip()
    if "  " in value or "\u3000" in value or "\t" in value or "\n" in value:
        value = _SPACES.sub(" ", value)
    return value


def person_name(raw: Cell) -> str:
    """A name. Two-character Chinese names are often padded to three with spaces (“张  三”): spaces
    between Chinese characters are dropped, other space runs collapsed."""
    value = text(raw)
    if " " in value and _CJK_NAME.match(value):
        value = value.replace(" ", "")
    return value


def code_text(raw: Cell) -> str:
    """An organisation code or card number: 全角 folded, all spaces removed."""
    value = clean_text(raw)
    if " " in value:
        value = value.replace(" ", "")
    return value


def phone(raw: Cell) -> str:
    return code_text(raw)


# --- resident ID numbers (GB 11643) -------------------------------------------------------------------

def id_number_text(raw: Cell) -> str:
    """The ID number as typed, normalised (全角, spaces, a leading apostrophe Excel users type to keep it as
    text, a lower-case check character x) but not yet validated."""
    if type(raw) is str and len(raw) == 18 and raw.isascii() and raw.isalnum():  # the usual, clean number
        return raw if raw[17] != "x" else raw.upper()
    if isinstance(raw, (int, float)):
        raise BadValue("身份证号被 Excel 存成了数字（后几位已丢失），请把该列设为文本后重新录入",
                       "the ID number was stored by Excel as a number (its last digits are lost): "
                       "format the column as text and enter it again")
    value = code_text(raw).lstrip("'").upper()
    return value


def id_number_shape(raw: Cell) -> str:
    """An ID number of 18 characters, checked no further: contacts refer to members whose numbers the
    members import validated; a number matching no member gets the full check for its message."""
    if type(raw) is str and len(raw) == 18 and raw.isascii() and raw.isalnum() and raw[17] != "x":
        return raw  # (five million of these: the usual case without a second call)
    value = id_number_text(raw)
    if len(value) != 18:
        raise BadValue(*id_number_problem(value))
    return value


def id_number(raw: Cell) -> str:
    """A valid 18-character resident ID number: length, digits, the GB 11643 check digit (python-stdnum's
    cn.ric) and the embedded birth date. Not the birth place: stdnum's table of area codes lacks codes
    in use (410402 among them)."""
    value = id_number_text(raw)
    why = id_number_problem(value)
    if why:
        raise BadValue(*why)
    return value


def with_check_digit(body: str) -> str:
    """The 18-character ID number whose first 17 digits are `body` (GB 11643 check digit appended).
    python-stdnum's calc_check_digit reads all but the last character it is given, hence the pad."""
    return body + ric.calc_check_digit(body + "0")


def id_number_problem(value: str) -> tuple[str, str] | None:
    """Why `value` (normalised) is not a valid resident ID number, or None."""
    if len(value) == 15 and value.isdigit():
        return ("15位旧身份证号，请换成18位号码", "a 15-digit (first-generation) ID number: use the 18-digit number")
    if len(value) != 18:
        return (f"身份证号应为18位（此处{len(value)}位）", f"an ID number has 18 characters ({len(value)} given)")
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return ("身份证号含非法字符", "the ID number has characters other than digits and a final X")
    if value[17] != ric.calc_check_digit(value):
        return ("身份证号校验位错误", "the ID number's check digit is wrong")
    try:
        id_birth_date(value)
    except ValueError:
        return ("身份证号中的出生日期不存在", "the birth date inside the ID number does not exist")
    return None


def id_birth_date(value: str) -> date:
    """The birth date inside a normalised ID number, read as stdnum's cn.ric.get_birth_date reads it
    (digits 7-14), without its clean() of the whole number: ten microseconds a call is most of the
    per-row budget of a million-row roster."""
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


# --- dates --------------------------------------------------------------------------------------------

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FULL_DATE = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?" + _TIME + "$")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$")
_EARLIEST_YEAR = 1900
_LAST_EXCEL_SERIAL = 2958465  # 9999-12-31


def _make(year: int, month: int, day: int) -> date:
    if year < _EARLIEST_YEAR:
        raise BadValue(f"年份 {year} 不合理", f"the year {year} is implausible")
    try:
        return date(year, month, day)
    except ValueError:
        raise BadValue("日期不存在", "no such date") from None


def _from_number(number: float) -> date:
    """A bare number in a date column: YYYYMMDD, or an Excel date serial; a year alone is refused."""
    if number.is_integer() and 19000101 <= number <= 21001231:
        n = int(number)
        return _make(n // 10000, n // 100 % 100, n % 100)
    if number.is_integer() and _EARLIEST_YEAR <= number <= 2100:
        raise BadValue("只有年份，缺少月日", "a year alone is not a date")
    if 1 <= number <= _LAST_EXCEL_SERIAL:
        from openpyxl.utils.datetime import from_excel  # here only: the services read ID numbers without openpyxl

        return from_excel(number).date()
    raise BadValue("不是日期", "not a date")


def _date(raw: Cell, *, month_ok: bool) -> date:
    if type(raw) is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":  # the common, clean case
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            pass
        else:
            if day.year < _EARLIEST_YEAR:
                raise BadValue(f"年份 {day.year} 不合理", f"the year {day.year} is implausible")
            return day
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, bool):
        raise BadValue("不是日期", "not a date")
    if isinstance(raw, (int, float)):
        return _from_number(float(raw))
    value = clean_text(raw)
    match = _FULL_DATE.match(value)
    if match:
        return _make(*(int(part) for part in match.groups()))
    match = _MONTH.match(value)
    if match:
        if not month_ok:
            raise BadValue("缺少日（此列须为 YYYY-MM-DD）", "the day is missing (this column needs YYYY-MM-DD)")
        return _make(int(match[1]), int(match[2]), 1)
    if _small_number(value.replace(".", "", 1)):
        return _from_number(float(value))
    raise BadValue("不是可识别的日期（YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日）",
                   "not a date in a known form (YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日)")


def a_date(raw: Cell) -> date:
    if type(raw) is str and len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw[:2] in ("19", "20"):
        try:  # the usual, clean case, without a second call
            return date.fromisoformat(raw)
        except ValueError:
            pass
    return _date(raw, month_ok=False)


def birth_date(raw: Cell) -> date:
    """Birth dates may give the month only (YYYY-MM, YYYY.MM): the first of that month."""
    return _date(raw, month_ok=True)


# --- words from a fixed list ----------------------------------------------------------------------------

def _key(raw: Cell) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return clean_text(raw).replace(" ", "").lower()


def choice(table: dict[str, object], zh_what: str, en_what: str, allowed: str) -> Callable[[Cell], object]:
    """A parser mapping each accepted spelling (already folded to lower case) to its value."""
    plain = {**table, **{word.upper(): value for word, value in table.items()}}  # the forms usually typed

    def parse(raw: Cell) -> object:
        if type(raw) is str and raw in plain:
            return plain[raw]
        try:
            return table[_key(raw)]
        except KeyError:
            raise BadValue(f"不是有效的{zh_what}（可填 {allowed}）", f"not a valid {en_what} ({allowed})") from None
    return parse


def labelled_code(codes: dict[int, str], zh_what: str, en_what: str) -> Callable[[Cell], int]:
    """A code of a table in statemachines/codes.py, given as its number or its Chinese label."""
    by_label = {unicodedata.normalize("NFKC", label).replace(" ", "").lower(): code for code, label in codes.items()}
    low, high = min(codes), max(codes)

    by_digits = {str(code): code for code in codes}

    def parse(raw: Cell) -> int:
        if type(raw) is str and raw in by_digits:  # the usual, clean cell
            return by_digits[raw]
        if isinstance(raw, int) and not isinstance(raw, bool) and raw in codes:
            return raw
        key = _key(raw)
        if key.endswith(".0"):
            key = key[:-2]
        if _small_number(key) and int(key) in codes:
            return int(key)
        if key in by_label:
            return by_label[key]
        raise BadValue(f"未知{zh_what}代码（应为 {low}–{high}）", f"unknown {en_what} code (expected {low}-{high})")
    return parse


YES_NO = {**dict.fromkeys(("是", "y", "yes", "true", "1", "t"), True),
          **dict.fromkeys(("否", "n", "no", "false", "0", "f"), False)}
yes_no = choice(YES_NO, "是/否", "yes/no value", "是/否, Y/N, yes/no, true/false, 1/0")

SEXES = {**dict.fromkeys(("男", "男性", "m", "male", "1"), "M"), **dict.fromkeys(("女", "女性", "f", "female", "2"), "F")}
sex = choice(SEXES, "性别", "sex", "男/女, M/F, 1/2")

FREE_TEXT = frozenset((text, person_name, code_text, phone))  # parsers whose values need a length check
