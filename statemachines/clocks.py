"""Date rules (DOMAIN.md §4 "Date arithmetic"): calendar months and statutory working days.

Every function takes the dates it reasons about; none reads the wall clock.
"""
from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; a day missing in the target month clamps to its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def crossing_day(since: date, months: int) -> date:
    """The first day on which "more than `months` months since `since`" holds."""
    return add_months(since, months) + timedelta(days=1)


def more_than_months(since: date, months: int, as_of: date) -> bool:
    return as_of >= crossing_day(since, months)


def latest_since_crossing_on_or_before(as_of: date, months: int) -> date:
    """The latest `since` date for which "more than `months` months" holds on `as_of`.

    Used to turn a month rule into a range scan: every `since` ≤ the returned date has crossed.
    """
    # crossing_day is monotone in `since`; start from the naive bound and step back at most a few days.
    candidate = add_months(as_of - timedelta(days=1), -months)
    while crossing_day(candidate + timedelta(days=1), months) <= as_of:
        candidate += timedelta(days=1)
    while crossing_day(candidate, months) > as_of:
        candidate -= timedelta(days=1)
    return candidate


@lru_cache(maxsize=None)
def statutory_year_known(year: int) -> bool:
    """Whether the installed holiday data covers `year` (a year without data is missing, never guessed)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date) -> bool:
    """Statutory working day, including make-up working days (调休); Monday–Friday for a missing year."""
    if statutory_year_known(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


@dataclass(frozen=True)
class DueDate:
    on: date
    provisional: bool  # counted over a year whose holiday data is not published (Monday–Friday assumed)


def add_working_days(start: date, days: int) -> DueDate:
    """The `days`-th working day after `start` (negative: before it)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    provisional = not statutory_year_known(start.year)
    while remaining:
        day += timedelta(days=step)
        provisional = provisional or not statutory_year_known(day.year)
        if is_working_day(day):
            remaining -= 1
    return DueDate(day, provisional)


def missing_calendar_years(first: date, last: date) -> list[int]:
    return [year for year in range(first.year, last.year + 1) if not statutory_year_known(year)]


@lru_cache(maxsize=4096)
def last_due_reminded(day: date, lead: int) -> date:
    """The latest due date whose reminder has started on `day` (its lead-th working day before is ≤ day)."""
    due = day
    while add_working_days(due + timedelta(days=1), -lead).on <= day:
        due += timedelta(days=1)
    return due


@lru_cache(maxsize=4096)
def last_due_escalated(day: date, lag: int) -> date:
    """The latest due date escalated on `day` (`day` is after its lag-th working day after due)."""
    due = day - timedelta(days=1)
    while add_working_days(due, lag).on >= day:
        due -= timedelta(days=1)
    return due


def levels_due(due: date, day: date, lead: int, lag: int) -> list[str]:
    """The alert levels (R5) a step due on `due` has reached on `day`: reminder from the lead-th working day
    before due, overdue after due, escalated after the lag-th working day after due."""
    levels = []
    if due <= last_due_reminded(day, lead):
        levels.append("reminder")
    if day > due:
        levels.append("overdue")
    if due <= last_due_escalated(day, lag):
        levels.append("escalated")
    return levels
