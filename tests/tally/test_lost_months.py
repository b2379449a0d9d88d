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


def test_the_unreached_forms_list_a_member_once_the_search_has_ended_without_contact():
    """附件6/附件7 (seed 003): “排查工作结束时……经多方努力确实无法取得联系” — not one still being searched."""
    from statemachines.lifecycle import STATES
    from statemachines.registers import SEARCHING_STATES, ended_unreached

    for state in STATES:
        assert ended_unreached(("A", "O", "W"), state) == (state not in SEARCHING_STATES)
        assert not ended_unreached(("A", "B", "N"), state)  # reached: never on the unreached forms
    assert ended_unreached(("A", "O", "S", "T"), "closed") and not ended_unreached(("A", "X"), "deceased")
