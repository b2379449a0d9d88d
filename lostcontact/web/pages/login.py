"""登录 / 退出: the login form (CSRF-protected by a double-submit cookie), lockout after repeated failures;
logging in starts a server-side session, logging out ends it."""
from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import Refused

from ...services import auth, sessions
from .. import forms
from ..deps import CsrfRejected, checked_form, client_address, cookies, same_token, user_agent, web_config
from ..render import page

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only a local path (never another site, never '//host')."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_form(request: Request, *, error: str | None = None, login: str = "", status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(request, "pages/login.html", {"login_csrf": token, "error": error, "login_value": login,
                                                  "next": safe_next(request.query_params.get("next")),
                                                  "expired": request.query_params.get("expired") == "1"},
                    status_code=status_code)
    cookies(request).issue_login_csrf(response, token)
    return response


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_form(request)


@router.post("/login")
async def login(request: Request) -> Response:
    form: FormData = await request.form()
    if not same_token(form.get("csrf_token"), cookies(request).login_csrf(request)):
        raise CsrfRejected()
    login_name = forms.text(form, "login", max_length=64) or ""
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    config = web_config(request)
    try:
        account = auth.authenticate(config.db, login_name, password[:auth.MAX_PASSWORD_LENGTH], now=config.now())
    except Refused as refused:
        return _login_form(request, error=refused.zh, login=login_name, status_code=401)
    token = sessions.start(config.db, account.id, kind=sessions.PAGE, now=config.now(),
                           lifetime=timedelta(seconds=config.session_seconds), user_agent=user_agent(request),
                           remote_addr=client_address(request))
    response = RedirectResponse(safe_next(forms.text(form, "next", max_length=300)), status_code=303)
    cookies(request).start_session(response, token)
    response.delete_cookie("lc_login_csrf", path="/")
    return response


@router.post("/logout")
def logout(request: Request, _form: FormData = Depends(checked_form)) -> Response:
    """Ends the session on the server too: the cookie, even copied elsewhere, no longer logs anyone in."""
    config = web_config(request)
    sessions.end_token(config.db, request.state.session_token, now=config.now())
    response = RedirectResponse("/login", status_code=303)
    cookies(request).end_session(response)
    return response
