"""Totals counted only up to a cap: a list of a province's rows says "1000+" instead of counting every
row on each page (a count is a scan of everything that matches; the page itself reads 50 rows)."""
from __future__ import annotations

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

COUNT_CAP = 1000


class CappedTotal(int):
    """A count made up to a cap: the number (for the pages) that reads "1000+" when there were more."""
    capped: bool = False

    def __new__(cls, counted: int, cap: int):
        total = int.__new__(cls, min(counted, cap))
        total.capped = counted > cap
        return total

    def __str__(self) -> str:
        return f"{int(self)}+" if self.capped else str(int(self))

    __html__ = __str__  # how Jinja prints it


def capped_count(session: Session, matching: Select, cap: int = COUNT_CAP) -> CappedTotal:
    """How many rows `matching` (a SELECT of one column) returns, counted up to `cap`."""
    return CappedTotal(session.scalar(count_up_to(matching), count_limit(cap)), cap)


def count_up_to(matching: Select) -> Select:
    """The statement capped_count runs, with the cap as a parameter (`count_limit(cap)`), for a caller that
    builds its statements once: read its number as CappedTotal(number, cap)."""
    return select(func.count()).select_from(matching.limit(bindparam("count_limit", type_=Integer)).subquery())


def count_limit(cap: int) -> dict[str, int]:
    return {"count_limit": cap + 1}
