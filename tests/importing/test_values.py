"""Cells as people type them read back as one value (properties over all dates, ID numbers and spellings)."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given, strategies as st
from openpyxl.utils.datetime import to_excel
from stdnum.cn import ric

from lostcontact.importing import values
from lostcontact.importing.columns import LEVEL_WORDS, level, occupation, standing
from lostcontact.importing.problems import BadValue

# From 1906: the serials of 1905-03-14 … 1905-10-01 are 1900 … 2100, which a date column reads as a year
# typed alone (refused) rather than as a day nobody alive was born on.
days = st.dates(min_value=date(1906, 1, 1), max_value=date(2099, 12, 31))
FULL_WIDTH = str.maketrans("0123456789-/.", "０１２３４５６７８９－／．")


def written(day: date) -> st.SearchStrategy[str]:
    return st.sampled_from([day.isoformat(), f"{day:%Y/%m/%d}", f"{day.year}/{day.month}/{day.day}",
                            f"{day.year}年{day.month}月{day.day}日", f"{day:%Y.%m.%d}", f"{day:%Y%m%d}",
                            f"{day.isoformat()} 00:00:00", f" {day.isoformat()}\u3000",
                            day.isoformat().translate(FULL_WIDTH), str(int(to_excel(day)))])


@given(days.flatmap(lambda day: st.tuples(st.just(day), written(day))))
def test_a_date_in_any_accepted_form_reads_as_that_date(case):
    day, text = case
    assert values.a_date(text) == day


@given(days)
def test_excel_date_cells_and_serial_numbers_read_as_their_date(day):
    assert values.a_date(datetime(day.year, day.month, day.day)) == day
    assert values.a_date(to_excel(day)) == day


@given(days)
def test_a_birth_date_may_give_the_month_only(day):
    assert values.birth_date(f"{day.year}-{day.month:02d}") == day.replace(day=1)
    assert values.birth_date(f"{day.year}.{day.month:02d}") == day.replace(day=1)
    with pytest.raises(BadValue):
        values.a_date(f"{day.year}-{day.month:02d}")


@pytest.mark.parametrize("text", ["2010年2月30日", "2015-02-29", "2016-13-01", "2016-00-10", "2016/4/31"])
def test_a_day_that_does_not_exist_is_refused(text):
    with pytest.raises(BadValue, match="no such date"):
        values.a_date(text)


ids = st.builds(lambda area, birth, serial: (lambda body: body + ric.calc_check_digit(body + "0"))(
                    f"{area}{birth:%Y%m%d}{serial:03d}"),
                st.sampled_from(["410402", "110101", "440305", "650102"]),
                st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)), st.integers(0, 999))


@given(ids)
def test_a_valid_id_number_reads_back_however_it_was_typed(number):
    typed = [number, number.lower(), f" {number} ", number.translate(FULL_WIDTH).replace("X", "Ｘ"),
             f"{number[:6]} {number[6:14]} {number[14:]}", "'" + number]
    assert {values.id_number(t) for t in typed} == {number}
    assert values.id_birth_date(number) == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


@given(ids, st.integers(0, 16), st.integers(1, 9))
def test_any_single_wrong_digit_of_an_id_number_is_caught(number, position, shift):
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    with pytest.raises(BadValue):
        values.id_number(wrong)


@given(st.sampled_from(sorted(values.YES_NO)), st.sampled_from([str.upper, str.lower, str.title]),
       st.text(" \u3000", max_size=2))
def test_yes_and_no_in_any_listed_spelling(word, case, padding):
    assert values.yes_no(padding + case(word) + padding) is values.YES_NO[word]


@pytest.mark.parametrize("typed, sex", [("男", "M"), ("女", "F"), ("m", "M"), ("F", "F"), ("1", "M"), ("2", "F"),
                                        ("１", "M"), (" 女性 ", "F")])
def test_sex_forms(typed, sex):
    assert values.sex(typed) == sex


@pytest.mark.parametrize("typed, expected", [("省", "province"), ("市", "city"), ("县", "county"),
                                             ("基层党委", "committee"), ("党总支", "general_branch"),
                                             ("党支部", "branch"), ("Branch", "branch"),
                                             ("general_branch", "general_branch")])
def test_level_words(typed, expected):
    assert level(typed) == expected
    assert set(LEVEL_WORDS.values()) == {"province", "city", "county", "committee", "general_branch", "branch"}


def test_codes_are_read_as_numbers_or_their_labels_and_checked_against_the_table():
    assert occupation("5") == occupation("５") == occupation(5.0) == occupation("高校毕业生") == 5
    with pytest.raises(BadValue, match="unknown occupation code"):
        occupation("9")
    assert standing("预备党员") == standing("probationary") == "probationary"


def test_names_lose_the_spaces_that_pad_them_but_not_those_between_words():
    assert values.person_name("张  三") == "张三"
    assert values.person_name("\u3000王　五 ") == "王五"
    assert values.person_name("Anna  Li") == "Anna Li"
    assert values.person_name("阿依古丽·买买提") == "阿依古丽·买买提"


def test_a_number_in_a_date_column_that_is_only_a_year_is_refused():
    with pytest.raises(BadValue, match="a year alone"):
        values.a_date("2005")
    with pytest.raises(BadValue, match="a year alone"):
        values.a_date(2005)


def test_full_width_text_is_folded_only_where_it_is_a_code():
    assert values.code_text("Ｂ１ ") == "B1"
    assert unicodedata.normalize("NFKC", "（") == "("
    assert values.text("出国（境）") == "出国（境）"
