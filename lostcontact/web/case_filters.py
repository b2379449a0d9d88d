"""The filters of the case lists from a query string: the same parameters for the page (/cases), its
export (/cases.xlsx) and the API (/api/case-lists). An empty field is no filter."""
from __future__ import annotations

from fastapi import Query

from statemachines.errors import UsageError

from ..queries.case_lists import ListFilters
from .forms import parse_day

Text = str | None


def list_filters(view: Text = Query(None, max_length=32), state: Text = Query(None, max_length=32),
                 disposition: Text = Query(None, max_length=32), light: Text = Query(None, max_length=32),
                 org: Text = Query(None, max_length=64), from_: Text = Query(None, alias="from", max_length=10),
                 to: Text = Query(None, max_length=10), sort: Text = Query(None, max_length=32),
                 dir: Text = Query(None, max_length=32), page: int = Query(1, ge=1, le=10_000)) -> ListFilters:
    """The list's filters from the query string (also the API's): an empty field is no filter."""
    if dir not in (None, "", "asc", "desc"):
        raise UsageError(f"未知排序方向：{dir}", f"unknown sort direction: {dir}")
    sort = sort or "activity"
    return ListFilters(view=view or "all", state=state or None, disposition=disposition or None, light=light or None,
                       org=org or None, opened_from=parse_day(from_, "立案起始日期"),
                       opened_to=parse_day(to, "立案截止日期"),
                       sort=sort, descending=dir == "desc" if dir else sort != "due", page=page).check()
