"""The holiday calendar file an operator loads (`lostcontact calendar load`, docs/holiday-calendar.md): one
year's statutory holidays and make-up working days (调休), as the State Council publishes them.

    year = 2027
    notice = "国务院办公厅关于2027年部分节假日安排的通知"   # optional: where the dates come from
    holidays = ["2027-01-01", "2027-02-06..2027-02-13"]     # dates or inclusive ranges A..B
    workdays = ["2027-02-20"]                               # make-up working days; may be empty

Validated whole: every problem is listed (with the line where it can be found) and a file with any
problem is refused (BadInput), so nothing of it is stored.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .clocks import StatutoryYear
from .errors import BadInput

KEYS = {"year": "年份", "notice": "通知文号", "holidays": "节假日", "workdays": "调休上班日"}
REQUIRED = ("year", "holidays", "workdays")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RANGE = ".."


@dataclass(frozen=True)
class HolidayFile:
    schedule: StatutoryYear
    notice: str | None


class _Problems:
    def __init__(self, text: str, file_name: str):
        self.text, self.file_name, self.found = text, file_name, []

    def add(self, where: str, zh: str, en: str, needle: str | None = None) -> None:
        line = self._line_of(needle, where.split("[")[0].split("/")[-1])
        at_zh = f"第 {line} 行，" if line else ""
        at_en = f"line {line}, " if line else ""
        self.found.append((f"{self.file_name}：{at_zh}{where}：{zh}", f"{self.file_name}: {at_en}{where}: {en}"))

    def _line_of(self, needle: str | None, key: str) -> int | None:
        """The first line holding `needle`, looked for from where `key` is set (then anywhere)."""
        if not needle:
            return None
        lines = [line.split("#", 1)[0] for line in self.text.splitlines()]
        start = next((n for n, line in enumerate(lines) if line.strip().startswith(key)), 0)
        for number in [*range(start, len(lines)), *range(start)]:
            if needle in lines[number]:
                return number + 1
        return None


def parse_holiday_file(text: str, file_name: str) -> HolidayFile:
    """The schedule a file describes, or BadInput listing every problem in it (Chinese and English)."""
    problems = _Problems(text, file_name)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"节假日文件 {file_name} 不是有效的 TOML：{exc}",
                       f"holiday file {file_name} is not valid TOML: {exc}") from None
    for key in REQUIRED:
        if key not in document:
            problems.add(key, f"缺少键 {key}（{KEYS[key]}）", f"missing key `{key}`")
    for key in document:
        if key not in KEYS:
            problems.add(key, f"未知键 {key}（可用的键：{'、'.join(KEYS)}）",
                         f"unknown key `{key}` (known keys: {', '.join(KEYS)})", needle=key)
    year = _year(document.get("year"), problems)
    notice = document.get("notice")
    if notice is not None and not (isinstance(notice, str) and len(notice) <= 400):
        problems.add("notice", "应为不超过 400 字的文字", "must be text of at most 400 characters", needle="notice")
    holidays = _days(document, "holidays", year, problems)
    workdays = _days(document, "workdays", year, problems)
    if "holidays" in document and not holidays and not problems.found:
        problems.add("holidays", "不能为空：每年都有法定节假日", "must not be empty: every year has statutory holidays",
                     needle="holidays")
    for day in sorted(holidays & workdays):
        problems.add("holidays/workdays", f"{day} 既列为节假日又列为调休上班日",
                     f"{day} is both a holiday and a make-up working day", needle=day.isoformat())
    if problems.found:
        raise BadInput(f"节假日文件 {file_name} 有 {len(problems.found)} 处错误，未载入任何内容",
                       f"holiday file {file_name} has {len(problems.found)} problem(s); nothing was loaded",
                       details=problems.found)
    return HolidayFile(StatutoryYear(year, frozenset(holidays), frozenset(workdays)), notice)


def _year(value, problems: _Problems) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        problems.add("year", f"应为四位数的年份，而不是 {value!r}", f"must be a four-digit year, not {value!r}",
                     needle="year")
        return None
    return value


def _days(document: dict, key: str, year: int | None, problems: _Problems) -> set[date]:
    items = document.get(key)
    if items is None:
        return set()
    if not isinstance(items, list):
        problems.add(key, "应为日期列表，如 [\"2027-01-01\", \"2027-02-06..2027-02-13\"]",
                     'must be a list of dates, e.g. ["2027-01-01", "2027-02-06..2027-02-13"]', needle=key)
        return set()
    days: set[date] = set()
    for number, item in enumerate(items, 1):
        where = f"{key}[{number}]"
        days |= _item_days(item, where, year, problems)
    return days


def _item_days(item, where: str, year: int | None, problems: _Problems) -> set[date]:
    needle = item if isinstance(item, str) else None
    if isinstance(item, date) and not isinstance(item, datetime):
        first = last = item
        needle = item.isoformat()
    elif isinstance(item, str):
        ends = item.split(RANGE)
        parsed = [_iso_date(end.strip()) for end in ends]
        if len(ends) > 2 or None in parsed:
            problems.add(where, f"“{item}”不是 YYYY-MM-DD 格式的日期或日期范围（起..止）",
                         f"{item!r} is not a YYYY-MM-DD date or a range FIRST..LAST", needle=needle)
            return set()
        first, last = parsed[0], parsed[-1]
        if first > last:
            problems.add(where, f"范围“{item}”的起始日期晚于结束日期", f"range {item!r} ends before it starts",
                         needle=needle)
            return set()
    else:
        problems.add(where, f"{item!r} 不是 YYYY-MM-DD 格式的日期", f"{item!r} is not a YYYY-MM-DD date",
                     needle=str(item))
        return set()
    if year is not None and (first.year != year or last.year != year):
        problems.add(where, f"“{needle}”不在 {year} 年内", f"{needle!r} is not in the year {year}", needle=needle)
        return set()
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _iso_date(text: str) -> date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
