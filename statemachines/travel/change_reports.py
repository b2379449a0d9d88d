"""Reporting registration changes to the exit-entry administration (PROGRAMMES.md §1): every change of a
person's registration status — filed (备案, or re-filed after a change), changed (变更备案: unit, post or
authority changed) or revoked (撤销备案) — reaches the administration by the policy's day of each month, and
the administration records each report within the policy's working days. Pure rules: no database, no clock."""
from __future__ import annotations

from datetime import date

# the statuses a reported change ends in (a person's first record, `unregistered`, is nothing to report)
REPORTED_STATUSES = ("registered", "changed", "revoked")
CHANGE_KINDS = {"registered": "备案", "changed": "变更备案", "revoked": "撤销备案"}


def is_reportable(from_status: str | None, to_status: str) -> bool:
    """A history record is a registration change to report when it moved the status to one of those."""
    return to_status in REPORTED_STATUSES and from_status != to_status


def report_due_on(changed_on: date, report_day: int) -> date:
    """The day a change must have reached the administration: the month's report day, or the next month's
    when the change came after it (a change on the report day itself is due that day)."""
    if changed_on.day <= report_day:
        return changed_on.replace(day=report_day)
    year, month = (changed_on.year + 1, 1) if changed_on.month == 12 else (changed_on.year, changed_on.month + 1)
    return date(year, month, report_day)
