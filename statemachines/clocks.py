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


# ---- the statutory calendar --------------------------------------------------------------------------
#
# Working days come from the years an operator stored (`lostcontact calendar load`, kept in the database)
# and, for the other years, from the installed chinesecalendar package. The service layer reads the stored
# years and installs them here as one immutable `StatutoryCalendar` (lostcontact/calendars.py); the rules
# below only consult what they were given and never do I/O.


@dataclass(frozen=True)
class StatutoryYear:
    """One year's published schedule: its holidays and its make-up working days (调休)."""
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


@lru_cache(maxsize=None)
def package_year_known(year: int) -> bool:
    """Whether the installed chinesecalendar package covers `year` (a year without data is never guessed)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def package_year(year: int) -> StatutoryYear | None:
    """The package's schedule of `year`, or None when the package does not cover it."""
    if not package_year_known(year):
        return None
    from chinese_calendar.constants import holidays, workdays
    return StatutoryYear(year, frozenset(d for d in holidays if d.year == year),
                         frozenset(d for d in workdays if d.year == year))


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: a cache key for the counts made with it
class StatutoryCalendar:
    """The stored years (each wins over the package for its year); the package for every other year."""
    stored: tuple[StatutoryYear, ...] = ()
    key: object = None  # what the service layer recognises the stored versions by (None: nothing stored)

    def __post_init__(self):
        object.__setattr__(self, "_years", {y.year: y for y in self.stored})

    def stored_year(self, year: int) -> StatutoryYear | None:
        return self._years.get(year)

    def year_known(self, year: int) -> bool:
        return year in self._years or package_year_known(year)

    def is_working_day(self, day: date) -> bool:
        stored = self._years.get(day.year)
        if stored is not None:
            return day in stored.workdays or (day.weekday() < 5 and day not in stored.holidays)
        if package_year_known(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5


PACKAGE_ONLY = StatutoryCalendar()
_installed: StatutoryCalendar = PACKAGE_ONLY


def install_calendar(calendar: StatutoryCalendar) -> None:
    """Make `calendar` the one the functions below count with (one assignment: safe across threads)."""
    global _installed
    _installed = calendar


def installed_calendar() -> StatutoryCalendar:
    return _installed


def statutory_year_known(year: int) -> bool:
    """Whether holiday data for `year` is stored or installed (a year without data is missing, never guessed)."""
    return _installed.year_known(year)


def is_working_day(day: date) -> bool:
    """Statutory working day, including make-up working days (调休); Monday–Friday for a missing year."""
    return _installed.is_working_day(day)


@dataclass(frozen=True)
class DueDate:
    on: date
    provisional: bool  # counted over a year whose holiday data is not published (Monday–Friday assumed)


def add_working_days(start: date, days: int) -> DueDate:
    """The `days`-th working day after `start` (negative: before it)."""
    return _count_working_days(_installed, start, days)


@lru_cache(maxsize=8192)
def _count_working_days(calendar: StatutoryCalendar, start: date, days: int) -> DueDate:
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    day = start
    provisional = not calendar.year_known(start.year)
    while remaining:
        day += timedelta(days=step)
        provisional = provisional or not calendar.year_known(day.year)
        if calendar.is_working_day(day):
            remaining -= 1
    return DueDate(day, provisional)


def missing_calendar_years(first: date, last: date) -> list[int]:
    return [year for year in range(first.year, last.year + 1) if not statutory_year_known(year)]


def last_due_reminded(day: date, lead: int) -> date:
    """The latest due date whose reminder has started on `day` (its lead-th working day before is ≤ day)."""
    return _last_due_reminded(_installed, day, lead)


@lru_cache(maxsize=4096)
def _last_due_reminded(calendar: StatutoryCalendar, day: date, lead: int) -> date:
    due = day
    while _count_working_days(calendar, due + timedelta(days=1), -lead).on <= day:
        due += timedelta(days=1)
    return due


def last_due_escalated(day: date, lag: int) -> date:
    """The latest due date escalated on `day` (`day` is after its lag-th working day after due)."""
    return _last_due_escalated(_installed, day, lag)


@lru_cache(maxsize=4096)
def _last_due_escalated(calendar: StatutoryCalendar, day: date, lag: int) -> date:
    due = day - timedelta(days=1)
    while _count_working_days(calendar, due, lag).on >= day:
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
