from __future__ import annotations

from datetime import date

from statemachines.errors import Refused


def effective_on(at: date | None, today: date, not_before: date | None = None) -> date:
    """The effective date of an action: today, or `at` (补录) — never in the future, never before
    the case's latest recorded event."""
    day = at or today
    if day > today:
        raise Refused(f"办理日期 {day} 晚于今天（{today}），不能预先登记",
                      f"the day {day} is in the future (today is {today})", "--at")
    if not_before is not None and day < not_before:
        raise Refused(f"办理日期 {day} 早于该案件最近一次记录的日期 {not_before}，不能补录在其之前",
                      f"the day {day} is before the case's latest recorded event ({not_before})", "--at")
    return day


def check_as_of(as_of: date | None, today: date) -> date:
    day = as_of or today
    if day > today:
        raise Refused(f"截至日期 {day} 晚于今天（{today}）", f"the as-of day {day} is in the future (today is {today})",
                      "--as-of")
    return day
