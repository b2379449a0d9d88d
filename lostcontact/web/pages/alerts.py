"""超期预警: counts by org of my subtree with drill-down, the overdue and escalated cases (sortable), a small
chart of overdue counts by org, and the list of open alerts (filtered by rule, level, org and raised date,
paged, exported to XLSX) — all as of a chosen day (`?as_of=YYYY-MM-DD`, default today)."""
from __future__ import annotations

import io
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from statemachines.errors import UsageError
from statemachines.isodate import parse_iso_date

from ...queries.alerts import AlertFilter, iter_alerts
from ...queries.overdue import SORTS, overview_with_alerts
from ...reports.alert_list import write_alert_list
from ...services.auth import Account
from ..charts import stacked_bars
from ..deps import page_user, web_config
from ..render import page

router = APIRouter(include_in_schema=False)
ALERTS_PER_PAGE = 50


def parse_day(value: str | None, what: str, today: date) -> date | None:
    """A date typed or picked by the user: empty is none; malformed or after today is a usage error (400)."""
    if value is None or not value.strip():
        return None
    try:
        day = parse_iso_date(value.strip())
    except ValueError:
        raise UsageError(f"{what}“{value[:20]}”不是有效日期，请按“年-月-日”填写，例如 {today.isoformat()}",
                         f"{what}: {value[:20]!r} is not a date (YYYY-MM-DD)") from None
    if day > today:
        raise UsageError(f"{what} {day} 晚于今天（{today}），只能查看今天及以前",
                         f"{what} {day} is after today ({today})")
    return day


def read_filters(request: Request, today: date) -> tuple[date, AlertFilter, dict]:
    """The as-of day, the alert filter and the query parameters to keep in every link."""
    q = request.query_params
    as_of = parse_day(q.get("as_of"), "查看日期", today) or today
    rule, level = q.get("rule") or None, q.get("level") or None
    filters = AlertFilter(rule=rule, level=level, org_code=q.get("org") or None,
                          raised_from=parse_day(q.get("raised_from"), "发出日期（起）", today),
                          raised_to=parse_day(q.get("raised_to"), "发出日期（止）", today)).check()
    kept = {"org": filters.org_code, "as_of": as_of.isoformat() if as_of != today else None,
            "rule": rule, "level": level, "raised_from": filters.raised_from and filters.raised_from.isoformat(),
            "raised_to": filters.raised_to and filters.raised_to.isoformat()}
    return as_of, filters, kept


def link_maker(kept: dict):
    def link(path: str = "/alerts", **changes) -> str:
        params = {k: v for k, v in {**kept, **changes}.items() if v not in (None, "")}
        return path + ("?" + urlencode(params) if params else "")
    return link


@router.get("/alerts")
def dashboard(request: Request, sort: str = Query("due", max_length=16),
              dir: str = Query("asc", pattern="^(asc|desc)$"), page_no: int = Query(1, alias="page", ge=1, le=10**6),
              account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    today = config.today()
    as_of, filters, kept = read_filters(request, today)
    sort = sort if sort in SORTS else "due"
    view, listing = overview_with_alerts(config.db, actor_login=account.login, today=today, filters=filters,
                                         sort=sort, descending=dir == "desc", as_of=as_of, page=page_no,
                                         per_page=ALERTS_PER_PAGE)
    link = link_maker({**kept, "org": view.org.code, "sort": sort if sort != "due" else None,
                       "dir": dir if dir != "asc" else None})
    chart = stacked_bars([(f"{c.code} {c.name}", {"red": c.lights["red"], "escalated": c.lights["escalated"]},
                           link(org=c.code) if c.has_children or c.open else None)
                          for c in view.children], ("red", "escalated"))

    def sort_link(key: str) -> str:
        return link(sort=key, dir="desc" if key == sort and dir == "asc" else "asc")

    return page(request, "pages/alerts.html", {
        "view": view, "chart": chart, "listing": listing, "filters": filters, "sort": sort, "dir": dir,
        "sort_link": sort_link, "link": link, "today": today, "as_of": as_of, "kept": kept})


@router.get("/alerts/export.xlsx")
def export(request: Request, account: Account = Depends(page_user)) -> Response:
    """The filtered alert list (every page) as XLSX."""
    config = web_config(request)
    today = config.today()
    as_of, filters, _kept = read_filters(request, today)
    rows = iter_alerts(config.db, today=today, actor_login=account.login, as_of=as_of, filters=filters)
    out = io.BytesIO()
    write_alert_list(rows, out, title="预警与督办信息", as_of=as_of)
    return Response(out.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="alerts-{as_of.isoformat()}.xlsx"'})
