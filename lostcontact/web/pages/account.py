"""我的登录会话: the signed-in user's open sessions and API tokens (when, where from, which browser), each of
which they may end; ending the current one logs this browser out."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from ...services import sessions
from ...services.auth import Account
from ..deps import checked_form, cookies, page_user, web_config
from ..render import page

router = APIRouter(include_in_schema=False)


@router.get("/account/sessions")
def my_sessions(request: Request, account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    return page(request, "pages/sessions.html", {
        "sessions": sessions.my_sessions(config.db, account.id, now=config.now()),
        "current": request.state.session_id, "tz_info": ZoneInfo(config.settings.tz)})


@router.post("/account/sessions/{session_id}/end")
def end_session(request: Request, session_id: int = Path(ge=1, le=2**31 - 1), _form: FormData = Depends(checked_form),
                account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    sessions.end_own(config.db, account.id, session_id, now=config.now())
    if session_id == request.state.session_id:
        response = RedirectResponse("/login", status_code=303)
        cookies(request).end_session(response)
        return response
    response = RedirectResponse("/account/sessions", status_code=303)
    cookies(request).flash(response, "ok", "已结束该会话")
    return response
