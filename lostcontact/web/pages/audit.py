"""审计日志 (admins): every admin change filed under an org of my subtrees, newest first, filtered by who,
what and when, paged."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response


from ...queries.audit import ACTIONS, audit_page
from ...services.auth import Account
from ..deps import page_user, web_config
from ..forms import parse_day
from ..render import page

router = APIRouter(include_in_schema=False)


@router.get("/admin/audit")
def audit(request: Request, who: str | None = Query(None, max_length=64),
          action: str | None = Query(None, max_length=32), since: str | None = Query(None, max_length=10),
          until: str | None = Query(None, max_length=10),
          page_no: int = Query(1, alias="page", ge=1, le=100_000), account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    since_day, until_day = parse_day(since, "起始日期"), parse_day(until, "截止日期")
    found = audit_page(config.db, account.login, tz=config.settings.tz, who=who, action=action or None,
                       since=since_day, until=until_day, page=page_no)
    filters = {k: v for k, v in (("who", who), ("action", action), ("since", since_day), ("until", until_day)) if v}

    def page_link(number: int) -> str:
        return "/admin/audit?" + urlencode({**filters, "page": number})
    return page(request, "pages/audit.html", {
        "found": found, "actions": ACTIONS, "who": who or "", "action": action or "", "since": since_day or "",
        "until": until_day or "", "page_link": page_link})

