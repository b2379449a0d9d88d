"""The printed forms, as the CLI renders them (lostcontact.reports.render): the 纪实表 of a case and the
registers of an org as of a date — HTML to print from the browser, or XLSX to download."""
from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from ...reports.render import REGISTERS, register_kind, render_record, render_register
from ...services.auth import Account
from ..deps import home_org, page_user, web_config
from ..security import printed_form

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/cases/{case_id}/record")
def case_record(request: Request, case_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                account: Account = Depends(page_user)) -> Response:
    """失联党员查找处置全程纪实表, ready to print (ID masked unless the user's role allows it)."""
    config = web_config(request)
    out = io.StringIO()
    render_record(config.db, case_id, today=config.today(), actor_login=account.login, stdout=out)
    return printed_form(out.getvalue())


@router.get("/registers/{kind}")
def register(request: Request, kind: Annotated[str, Path(max_length=32)],
             fmt: Literal["html", "xlsx"] = Query("html", alias="format"),
             org: str | None = Query(None, max_length=64), as_of: date | None = None,
             account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    register_kind(kind)  # an unknown register is a usage error before any work
    code = org or home_org(config, account.login)
    args = dict(today=config.today(), org_code=code, as_of=as_of, actor_login=account.login)
    if fmt == "html":
        out = io.StringIO()
        render_register(config.db, kind, stdout=out, **args)
        return printed_form(out.getvalue())
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
