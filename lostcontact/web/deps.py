"""Who is asking: the logged-in account of a page (session cookie) or of an API call (bearer token, or the
session cookie plus an X-CSRF-Token header), each checked against its server-side session row; the CSRF
check of every form post; and the client's address and browser for the session list and the audit log."""
from __future__ import annotations

import secrets

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import FormData

from ..permissions import load_actor, top_grant
from ..services import sessions
from ..services.audit import Origin
from ..services.auth import Account
from ..uow import UnitOfWork
from .config import WebConfig
from .sessions import Cookies

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class LoginRequired(Exception):
    """No valid session: a page redirects to the login form, the API answers 401."""


class CsrfRejected(Exception):
    """A form or API call that changes something came without the session's CSRF token."""


def web_config(request: Request) -> WebConfig:
    return request.app.state.config


def cookies(request: Request) -> Cookies:
    return request.app.state.cookies


def _account(request: Request, token: str, kind: str) -> Account:
    """The account of the server-side session `token` names (ended, expired or disabled: not logged in)."""
    config = web_config(request)
    found = sessions.resume(config.db, token, kind=kind, now=config.now())
    if found is None:
        raise LoginRequired()
    request.state.account, request.state.session_id, request.state.session_token = found.account, found.session_id, token
    return found.account


def page_user(request: Request) -> Account:
    session = cookies(request).session(request)
    if session is None:
        raise LoginRequired()
    request.state.csrf = session.csrf
    return _account(request, session.token, sessions.PAGE)


def same_token(given: object, expected: str | None) -> bool:
    return isinstance(given, str) and bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


async def checked_form(request: Request, account: Account = Depends(page_user)) -> FormData:
    """The posted form once its csrf_token matches the session's."""
    form = await request.form()
    if not same_token(form.get("csrf_token"), request.state.csrf):
        raise CsrfRejected()
    return form


bearer = HTTPBearer(auto_error=False, description="POST /api/session 取得的令牌 / the token from POST /api/session")


def api_user(request: Request, credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> Account:
    """A bearer token (scripts), or the browser's session cookie; with the cookie a change needs the
    session's CSRF token in X-CSRF-Token (a bearer token is never sent by a browser on its own)."""
    if credentials is not None:
        token = cookies(request).read_api_token(credentials.credentials)
        if token is None:
            raise LoginRequired()
        return _account(request, token, sessions.API)
    session = cookies(request).session(request)
    if session is None:
        raise LoginRequired()
    if request.method not in SAFE_METHODS and not same_token(request.headers.get("x-csrf-token"), session.csrf):
        raise CsrfRejected()
    request.state.csrf = session.csrf
    return _account(request, session.token, sessions.PAGE)


def home_org(config: WebConfig, login: str) -> str:
    """The org a page opens on when none is chosen: the highest of the user's grants."""
    with UnitOfWork(config.db, write=False) as uow:
        return top_grant(load_actor(uow.session, login)).org_code


def client_address(request: Request) -> str | None:
    """The client's address as the server sees it (behind a reverse proxy, run uvicorn with
    --proxy-headers/--forwarded-allow-ips so this is the real client)."""
    return request.client.host if request.client else None


def origin(request: Request) -> Origin:
    return Origin(client_address(request))


def user_agent(request: Request) -> str | None:
    return request.headers.get("user-agent")
