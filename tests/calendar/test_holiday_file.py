"""The holiday calendar file: a year, its holidays and its make-up working days; refused whole, with every
problem named by line or key in Chinese and English."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from statemachines.errors import BadInput
from statemachines.holiday_file import parse_holiday_file

GOOD = '''year = 2027
notice = "国办发明电〔2026〕1号"
holidays = ["2027-01-01", "2027-02-05..2027-02-11", 2027-10-01]
workdays = ["2027-02-20"]
'''


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(BadInput) as refused:
        parse_holiday_file(text, "h.toml")
    assert refused.value.exit_code == 4
    assert "未载入任何内容" in refused.value.zh and "nothing was loaded" in refused.value.en
    return refused.value.details


def test_a_good_file_gives_its_days_with_ranges_spelled_out():
    parsed = parse_holiday_file(GOOD, "h.toml")
    assert parsed.schedule.year == 2027 and parsed.notice == "国办发明电〔2026〕1号"
    assert parsed.schedule.holidays == {date(2027, 1, 1), date(2027, 10, 1)} | {
        date(2027, 2, 5) + timedelta(days=n) for n in range(7)}
    assert parsed.schedule.workdays == {date(2027, 2, 20)}


def test_a_date_outside_the_year_is_named_with_its_line():
    found = problems(GOOD.replace('"2027-02-20"', '"2028-02-20"'))
    assert found == [("h.toml：第 4 行，workdays[1]：“2028-02-20”不在 2027 年内",
                      "h.toml: line 4, workdays[1]: '2028-02-20' is not in the year 2027")]


def test_a_range_running_into_the_next_year_is_refused():
    found = problems(GOOD.replace('"2027-01-01"', '"2027-12-31..2028-01-02"'))
    assert [en for _zh, en in found] == ["h.toml: line 3, holidays[1]: '2027-12-31..2028-01-02' is not in the year 2027"]


def test_a_day_both_a_holiday_and_a_make_up_day_is_refused():
    found = problems(GOOD.replace('"2027-02-20"', '"2027-02-07"'))
    assert found == [("h.toml：第 4 行，holidays/workdays：2027-02-07 既列为节假日又列为调休上班日",
                      "h.toml: line 4, holidays/workdays: 2027-02-07 is both a holiday and a make-up working day")]


@pytest.mark.parametrize("bad", ["2027/01/01", "2027-1-1", "20270101", "2027-02-30", "2027-01-01..", "明年元旦",
                                 "2027-01-03..2027-01-01"])
def test_a_date_not_written_yyyy_mm_dd_or_a_backward_range_is_refused(bad):
    found = problems(GOOD.replace('"2027-01-01"', f'"{bad}"'))
    assert len(found) == 1 and found[0][1].startswith("h.toml: line 3, holidays[1]: ")
    assert bad in found[0][0] and bad in found[0][1]


def test_missing_and_unknown_keys_are_all_listed():
    found = problems('year = 2027\nholiday = ["2027-01-01"]\n')
    assert [en for _zh, en in found] == [
        "h.toml: holidays: missing key `holidays`", "h.toml: workdays: missing key `workdays`",
        "h.toml: line 2, holiday: unknown key `holiday` (known keys: year, notice, holidays, workdays)"]
    assert all(zh.startswith("h.toml：") for zh, _en in found)


@pytest.mark.parametrize("text, expected", [
    ('year = "2027"\nholidays = ["2027-01-01"]\nworkdays = []\n', "h.toml: line 1, year: must be a four-digit year, not '2027'"),
    ('year = 2027\nholidays = "2027-01-01"\nworkdays = []\n', "h.toml: line 2, holidays: must be a list of dates"),
    ('year = 2027\nholidays = []\nworkdays = []\n', "h.toml: line 2, holidays: must not be empty"),
    ('year = 2027\nholidays = [20270101]\nworkdays = []\n', "h.toml: line 2, holidays[1]: 20270101 is not a YYYY-MM-DD date"),
])
def test_values_of_the_wrong_kind_are_refused(text, expected):
    assert problems(text)[0][1].startswith(expected)


def test_a_file_that_is_not_toml_is_refused_with_its_line():
    with pytest.raises(BadInput) as refused:
        parse_holiday_file('year = 2027\nholidays = ["2027-01-01",,]\nworkdays = []\n', "h.toml")
    assert "line 2" in refused.value.en and "不是有效的 TOML" in refused.value.zh


days_of_2027 = st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31))


@given(st.sets(days_of_2027, min_size=1, max_size=30), st.sets(days_of_2027, max_size=10))
def test_any_disjoint_schedule_written_out_reads_back_the_same(holidays, workdays):
    workdays -= holidays
    text = (f"year = 2027\nholidays = [{', '.join(repr(d.isoformat()) for d in sorted(holidays))}]\n"
            f"workdays = [{', '.join(repr(d.isoformat()) for d in sorted(workdays))}]\n").replace("'", '"')
    parsed = parse_holiday_file(text, "h.toml").schedule
    assert (parsed.holidays, parsed.workdays) == (holidays, workdays)
