"""The domain's statutory calendar: stored years over the package, counted with whatever is installed."""
from __future__ import annotations

from datetime import date

from hypothesis import given, strategies as st

from statemachines.clocks import (PACKAGE_ONLY, DueDate, StatutoryCalendar, StatutoryYear, add_working_days,
                                  install_calendar, is_working_day, last_due_reminded, statutory_year_known)

NEW_YEAR_2027 = StatutoryYear(2027, frozenset({date(2027, 1, 1)}), frozenset({date(2027, 1, 2)}))


def test_a_stored_year_is_known_and_counts_its_holidays_and_make_up_days():
    calendar = StatutoryCalendar((NEW_YEAR_2027,))
    assert not PACKAGE_ONLY.year_known(2027) and calendar.year_known(2027)
    assert not calendar.is_working_day(date(2027, 1, 1))   # a Friday off
    assert calendar.is_working_day(date(2027, 1, 2))       # a Saturday worked
    assert not calendar.is_working_day(date(2027, 1, 3))   # an ordinary Sunday


def test_what_is_installed_is_what_the_rules_count_with_and_nothing_counted_before_is_reused():
    before = (add_working_days(date(2026, 12, 31), 1), last_due_reminded(date(2026, 12, 29), 3))
    assert before[0] == DueDate(date(2027, 1, 1), provisional=True)
    install_calendar(StatutoryCalendar((NEW_YEAR_2027,)))
    assert statutory_year_known(2027) and not is_working_day(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 31), 1) == DueDate(date(2027, 1, 2), provisional=False)
    assert last_due_reminded(date(2026, 12, 29), 3) != before[1]
    install_calendar(PACKAGE_ONLY)
    assert (add_working_days(date(2026, 12, 31), 1), last_due_reminded(date(2026, 12, 29), 3)) == before


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)))
def test_a_stored_copy_of_the_package_year_counts_exactly_as_the_package(day):
    from statemachines.clocks import package_year

    copy = StatutoryCalendar((package_year(2026),))
    assert copy.is_working_day(day) == PACKAGE_ONLY.is_working_day(day)
