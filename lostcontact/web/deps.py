"""Who is asking: the logged-in account of a page (session cookie) or of an API call (bearer token, or the
session cookie plus an X-CSRF-Token header), and the CSRF check of every form post."""
from __future__ import annotations

import secrets

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import FormData

from ..permissions import load_actor
from ..queries.overdue import default_org
from ..services import auth
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


def _account(request: Request, login: str, stamp: str) -> Account:
    account = auth.account_for_session(web_config(request).db, login, stamp)
    if account is None:
        raise LoginRequired()
    request.state.account = account
    return account


def page_user(request: Request) -> Account:
    session = cookies(request).session(request)
    if session is None:
        raise LoginRequired()
    request.state.csrf = session.csrf
    return _account(request, session.login, session.stamp)


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
        found = cookies(request).read_api_token(credentials.credentials)
        if found is None:
            raise LoginRequired()
        return _account(request, *found)
    session = cookies(request).session(request)
    if session is None:
        raise LoginRequired()
    if request.method not in SAFE_METHODS and not same_token(request.headers.get("x-csrf-token"), session.csrf):
        raise CsrfRejected()
    request.state.csrf = session.csrf
    return _account(request, session.login, session.stamp)


def home_org(config: WebConfig, login: str) -> str:
    """The org a page opens on when none is chosen: the highest of the user's grants."""
    with UnitOfWork(config.db, write=False) as uow:
        return default_org(uow.session, load_actor(uow.session, login)).code
