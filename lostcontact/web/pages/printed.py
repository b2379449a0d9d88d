"""The printed forms, as the CLI renders them (lostcontact.reports.render): the 纪实表 of a case and the
registers of an org as of a date — HTML to print from the browser, or XLSX to download."""
from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from ...reports.render import REGISTERS, register_kind, render_record, render_register
from ...services.auth import Account
from ..api.schemas import Day
from ..deps import home_org, page_user, web_config
from ..security import printed_form

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Added to a printed form only when the web serves it (a file rendered by the CLI stays as it is): a 打印
# button (static/app.js handles [data-print]) and a way back, neither printed; on a phone the wide form
# tables scroll inside their own box instead of the page scrolling sideways.
_PRINT_STYLE = Markup(
    "<style>.print-toolbar{display:flex;gap:1em;align-items:center;margin:0 0 1em;font-family:sans-serif}"
    ".print-toolbar button{font:inherit;padding:.4em 1.2em;cursor:pointer}"
    "@media print{.no-print{display:none!important}}"
    "@media screen and (max-width:760px){body{padding:.5em}h1{letter-spacing:0}"
    "table.form{display:block;overflow-x:auto;max-width:100%}}</style>"
    '<script src="/static/app.js" defer></script>')
_BODY_TAG = re.compile(r"<body[^>]*>")


def with_print_button(html: str, back_href: str, back_label: str) -> str:
    toolbar = str(Markup('<div class="print-toolbar no-print"><button type="button" data-print data-testid="print">'
                     '打印</button><a href="{}">{}</a></div>').format(back_href, back_label))
    html = html.replace("</head>", str(_PRINT_STYLE) + "</head>", 1)
    body = _BODY_TAG.search(html)
    return html[:body.end()] + toolbar + html[body.end():] if body else toolbar + html


@router.get("/cases/{case_id}/record")
def case_record(request: Request, case_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                account: Account = Depends(page_user)) -> Response:
    """失联党员查找处置全程纪实表, ready to print (ID masked unless the user's role allows it)."""
    config = web_config(request)
    out = io.StringIO()
    render_record(config.db, case_id, today=config.today(), actor_login=account.login, stdout=out)
    return printed_form(with_print_button(out.getvalue(), f"/cases/{case_id}", "返回案件"))


@router.get("/registers/{kind}")
def register(request: Request, kind: Annotated[str, Path(max_length=32)],
             fmt: Literal["html", "xlsx"] = Query("html", alias="format"),
             org: str | None = Query(None, max_length=64), as_of: Day | None = None,
             account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    register_kind(kind)  # an unknown register is a usage error before any work
    code = org or home_org(config, account.login)
    args = dict(today=config.today(), org_code=code, as_of=as_of, actor_login=account.login)
    if fmt == "html":
        out = io.StringIO()
        render_register(config.db, kind, stdout=out, **args)
        back = "/tally?" + urlencode({"org": code, "as_of": (as_of or config.today()).isoformat()})
        return printed_form(with_print_button(out.getvalue(), back, "返回统计"))
    with tempfile.TemporaryDirectory() as folder:  # the writer streams to a file, written whole or not at all
        path = FilePath(folder) / f"{kind}.xlsx"
        render_register(config.db, kind, path=path, **args)
        body = path.read_bytes()
    name = f"{kind}-{code}-{(as_of or config.today()).isoformat()}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def register_links(org_code: str, as_of: date) -> list[tuple[str, str]]:
    """(href, label) of each register of `org_code` as of `as_of`, for the tally page."""
    query = urlencode({"org": org_code, "as_of": as_of.isoformat()})
    return [(f"/registers/{kind}?{query}", spec.title) for kind, spec in REGISTERS.items()]
