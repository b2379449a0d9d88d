"""全部案件 / 已办 / 已办结 (one page, a tab each, beside 我的待办), their XLSX export, and the search box.

Filters and sort travel in the query string (codes and dates only). A search term may be a name or an ID
number, so it travels in a POSTed form and the result page is rendered at /cases/search: it never
appears in a URL, a Referer or an access log.
"""
from __future__ import annotations

import io
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.dispositions import DISPOSITIONS
from statemachines.errors import LostContactError
from statemachines.lifecycle import STATES

from ...queries.case_lists import EXPORT_MAX, PAGE_SIZE, SORTS, VIEWS, ListFilters, case_list, export_rows
from ...queries.case_search import MAX_TERM, search_cases
from ...queries.lights import LABELS as LIGHT_LABELS, ORDER as LIGHT_ORDER
from ...reports.case_list_xlsx import write_case_list
from ...services.auth import Account
from ..case_filters import list_filters
from ..deps import checked_form, page_user, web_config
from ..errors import classify
from ..render import page

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choices() -> dict:
    return {"views": VIEWS, "sorts": SORTS, "states": STATES, "lights": LIGHT_ORDER, "light_labels": LIGHT_LABELS,
            "dispositions": {d.id: d.label for d in DISPOSITIONS.values()}, "page_size": PAGE_SIZE}


def _link(filters: ListFilters, **changes) -> str:
    return "/cases?" + urlencode(filters.query(**changes))


@router.get("/cases")
def case_lists(request: Request, account: Account = Depends(page_user),
               filters: ListFilters = Depends(list_filters)) -> Response:
    config = web_config(request)
    listing = case_list(config.db, actor_login=account.login, today=config.today(), filters=filters)

    def sort_link(key: str) -> str:
        descending = not filters.descending if key == filters.sort else key in ("activity", "opened", "case")
        return _link(filters, sort=key, descending=descending, page=1)

    return page(request, "pages/cases.html", {
        **_choices(), "listing": listing, "f": filters, "tab": filters.view, "today": config.today(),
        "link": lambda **changes: _link(filters, **changes), "sort_link": sort_link,
        "export": "/cases.xlsx?" + urlencode(filters.query(page=1))})


@router.get("/cases.xlsx")
def export(request: Request, account: Account = Depends(page_user),
           filters: ListFilters = Depends(list_filters)) -> Response:
    """The list with the same filters and order, every matching case up to EXPORT_MAX."""
    config = web_config(request)
    today = config.today()
    rows = export_rows(config.db, actor_login=account.login, today=today, filters=filters, limit=EXPORT_MAX + 1)
    out = io.BytesIO()
    write_case_list(rows, out, title=f"{VIEWS[filters.view]}（截至 {today.isoformat()}）",
                    light_labels=LIGHT_LABELS, notes=_described(filters), limit=EXPORT_MAX)
    name = f"cases-{filters.view}-{today.isoformat()}.xlsx"
    return Response(out.getvalue(), media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _described(f: ListFilters) -> list[str]:
    """The filters in words, for the export's second line."""
    parts = [f"{label}：{value}" for label, value in (
        ("状态", STATES.get(f.state or "")), ("处置", DISPOSITIONS[f.disposition].label if f.disposition else None),
        ("信号灯", LIGHT_LABELS.get(f.light or "")), ("党组织代码", f.org),
        ("立案日期自", f.opened_from and f.opened_from.isoformat()), ("立案日期至", f.opened_to and f.opened_to.isoformat()))
        if value]
    return ["筛选：" + "；".join(parts)] if parts else []


@router.post("/cases/search")
def search(request: Request, form: FormData = Depends(checked_form),
           account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    typed = form.get("q")
    term = typed[:MAX_TERM * 5] if isinstance(typed, str) else ""  # shown again in the box, as typed
    error: LostContactError | None = None
    result = None
    try:
        result = search_cases(config.db, actor_login=account.login, today=config.today(), term=term)
    except LostContactError as refused:
        error = refused
    return page(request, "pages/cases.html", {
        **_choices(), "tab": "search", "search": result, "term": term, "search_error": error,
        "today": config.today(), "f": None, "sort_link": None}, status_code=classify(error)[1] if error else 200)


@router.get("/cases/search")
def search_again(_account: Account = Depends(page_user)) -> Response:
    """A reloaded or bookmarked result page: the term was never in the URL, so back to the lists."""
    return RedirectResponse("/cases", status_code=303)
