"""The traffic light of an open step (DOMAIN.md §4 R5): green, yellow from the policy's reminder lead, red
once overdue, escalated past the escalation lag. The thresholds are the sweep's own (clocks.levels_due), so a
page shows exactly the level the alerts were raised at."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, bindparam, case, func, literal

from statemachines.clocks import last_due_escalated, last_due_reminded, levels_due
from statemachines.policy import Policy

from .alerts import LIGHTS

ORDER = ("green", "yellow", "red", "escalated")
LABELS = {"green": "正常", "yellow": "即将到期", "red": "已超期", "escalated": "升级督办"}


_THRESHOLDS = ("light_escalated_by", "light_today", "light_reminded_by")


def _light(due_column, escalated_by, today, reminded_by):
    return case((due_column <= escalated_by, literal("escalated")), (due_column < today, literal("red")),
                (due_column <= reminded_by, literal("yellow")), else_=literal("green"))


def _tallies(due_column, escalated_by, today, reminded_by) -> tuple:
    return (func.count(), func.count().filter(due_column <= escalated_by), func.count().filter(due_column < today),
            func.count().filter(due_column <= reminded_by))


@dataclass(frozen=True)
class Lights:
    today: date
    lead: int
    lag: int

    @classmethod
    def of_policy(cls, today: date, policy: Policy) -> "Lights":
        return cls(today, policy.reminder_lead_working_days, policy.escalation_lag_working_days)

    def light(self, due_on: date | None) -> str | None:
        if due_on is None:
            return None
        levels = levels_due(due_on, self.today, self.lead, self.lag)
        return LIGHTS[levels[-1]] if levels else "green"

    def sql(self, due_column):
        """The same light as a SQL expression over a due-date column (for counting and sorting in the database)."""
        return _light(due_column, last_due_escalated(self.today, self.lag), self.today,
                      last_due_reminded(self.today, self.lead))

    @staticmethod
    def sql_bound(due_column):
        """`sql` with the day and its thresholds as parameters, for a statement built once; their values are
        `parameters()`."""
        return _light(due_column, *(bindparam(name, type_=Date) for name in _THRESHOLDS))

    def parameters(self) -> dict[str, date]:
        return dict(zip(_THRESHOLDS, (last_due_escalated(self.today, self.lag), self.today,
                                      last_due_reminded(self.today, self.lead))))

    def tallies(self, due_column) -> tuple:
        """Aggregates counting the rows of a GROUP BY by light, as running totals along the due date: every
        row, those escalated, those overdue (escalated or red), those due by the reminder day. Each row
        is compared with three days and counted, never labelled and sorted: the per-row work of counting
        a province's open cases (split them with `split`)."""
        return _tallies(due_column, last_due_escalated(self.today, self.lag), self.today,
                        last_due_reminded(self.today, self.lead))

    @staticmethod
    def tallies_bound(due_column) -> tuple:
        """`tallies` with the day and its thresholds as parameters (`parameters()`), for a statement built once."""
        return _tallies(due_column, *(bindparam(name, type_=Date) for name in _THRESHOLDS))

    @staticmethod
    def split(total: int, escalated: int, overdue: int, reminded: int) -> dict[str, int]:
        """The counts by light of a row of `tallies` (a case without a due date counts as green, as in `sql`)."""
        return {"green": total - reminded, "yellow": reminded - overdue, "red": overdue - escalated,
                "escalated": escalated}

    def days_left(self, due_on: date | None) -> int | None:
        """Calendar days until the due date; negative once overdue."""
        return None if due_on is None else (due_on - self.today).days
