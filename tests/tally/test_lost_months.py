"""与党组织失去联系时间 in whole calendar months, to the end of the search or to the date."""
from datetime import date

from statemachines.registers import lost_months


def test_months_run_to_the_end_of_the_search():
    assert lost_months(date(2015, 8, 31), date(2016, 3, 4), date(2016, 6, 20)) == 6


def test_months_run_to_the_date_while_the_search_goes_on():
    assert lost_months(date(2015, 8, 31), None, date(2016, 6, 20)) == 9
    assert lost_months(date(2015, 8, 31), None, date(2016, 2, 28)) == 5
    assert lost_months(date(2015, 8, 31), None, date(2016, 2, 29)) == 6  # a missing 31st clamps to the 29th


def test_a_search_ended_after_the_date_counts_to_the_date():
    assert lost_months(date(2016, 1, 10), date(2016, 9, 1), date(2016, 6, 20)) == 5
