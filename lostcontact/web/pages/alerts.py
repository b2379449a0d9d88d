"""超期预警: counts by org of my subtree with drill-down, the overdue and escalated cases (sortable), a
small chart of overdue counts by org, and the open alerts the sweep raised for the org's subtree."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from ...queries.alerts import count_by_light, open_alerts
from ...queries.overdue import SORTS, overdue_overview
from ...services.auth import Account
from ..charts import stacked_bars
from ..deps import page_user, web_config
from ..render import page

router = APIRouter(include_in_schema=False)
ALERTS_SHOWN = 100


@router.get("/alerts")
def dashboard(request: Request, org: str | None = Query(None, max_length=64), sort: str = Query("due", max_length=16),
              dir: str = Query("asc", pattern="^(asc|desc)$"), account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    today = config.today()
    view = overdue_overview(config.db, actor_login=account.login, today=today, org_code=org or None,
                            sort=sort if sort in SORTS else "due", descending=dir == "desc")
    alerts = open_alerts(config.db, today=today, actor_login=account.login, org_code=view.org.code)
    chart = stacked_bars([(f"{c.code} {c.name}", {"red": c.lights["red"], "escalated": c.lights["escalated"]},
                           "/alerts?" + urlencode({"org": c.code}) if c.has_children or c.open else None)
                          for c in view.children], ("red", "escalated"))

    def sort_link(key: str) -> str:
        direction = "desc" if key == sort and dir == "asc" else "asc"
        return "/alerts?" + urlencode({"org": view.org.code, "sort": key, "dir": direction})

    return page(request, "pages/alerts.html", {
        "view": view, "chart": chart, "alerts": alerts[:ALERTS_SHOWN], "alert_total": len(alerts),
        "alert_lights": count_by_light(alerts), "sort": sort, "dir": dir, "sort_link": sort_link, "today": today})
