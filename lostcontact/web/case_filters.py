"""The filters of the case lists from a query string: the same parameters for the page (/cases), its
export (/cases.xlsx) and the API (/api/case-lists). An empty field is no filter."""
from __future__ import annotations

from datetime import date

from fastapi import Query

from statemachines.errors import UsageError

from ..queries.case_lists import ListFilters


def _day(value: str | None, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{label}日期格式应为 YYYY-MM-DD：{value}", f"{label} must be YYYY-MM-DD") from None


def list_filters(view: str | None = Query(None, max_length=32), state: str | None = Query(None, max_length=32), disposition: str | None = Query(None, max_length=32),
                 light: str | None = Query(None, max_length=32), org: str | None = Query(None, max_length=64),
                 from_: str | None = Query(None, alias="from", max_length=10),
                 to: str | None = Query(None, max_length=10), sort: str | None = Query(None, max_length=32), dir: str | None = Query(None, max_length=32),
                 page: int = Query(1, ge=1, le=10_000)) -> ListFilters:
    """The list's filters from the query string (also the API's): an empty field is no filter."""
    if dir not in (None, "", "asc", "desc"):
        raise UsageError(f"未知排序方向：{dir}", f"unknown sort direction: {dir}")
    sort = sort or "activity"
    return ListFilters(view=view or "all", state=state or None, disposition=disposition or None, light=light or None,
                       org=org or None, opened_from=_day(from_, "立案起始"), opened_to=_day(to, "立案截止"),
                       sort=sort, descending=dir == "desc" if dir else sort != "due", page=page).check()
