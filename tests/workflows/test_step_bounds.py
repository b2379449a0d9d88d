"""The R5 boundaries the sweep range-scans are the rule itself, whatever the day and the holidays."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st

from statemachines.clocks import add_working_days, last_due_escalated, last_due_reminded, levels_due

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 10, 31))
offsets = st.integers(min_value=-40, max_value=40)
lengths = st.integers(min_value=0, max_value=8)


@settings(max_examples=300, deadline=None)
@given(day=days, offset=offsets, lead=lengths, lag=lengths)
def test_each_level_is_due_exactly_when_the_rule_says(day, offset, lead, lag):
    due = day + timedelta(days=offset)
    levels = levels_due(due, day, lead, lag)
    assert ("reminder" in levels) == (add_working_days(due, -lead).on <= day)
    assert ("overdue" in levels) == (day > due)
    assert ("escalated" in levels) == (day > add_working_days(due, lag).on)


@settings(max_examples=200, deadline=None)
@given(day=days, step=st.integers(min_value=1, max_value=40), lead=lengths, lag=lengths)
def test_the_boundaries_never_move_back_so_a_window_between_two_sweeps_misses_nothing(day, step, lead, lag):
    later = day + timedelta(days=step)
    assert last_due_reminded(day, lead) <= last_due_reminded(later, lead)
    assert last_due_escalated(day, lag) <= last_due_escalated(later, lag)
