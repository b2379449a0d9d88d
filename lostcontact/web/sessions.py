"""Signed cookies: the login session (the random id of its server-side row, CSRF token, issue time), a
one-shot flash message, the pre-login CSRF token, and the bearer tokens of the JSON API.

Everything is signed with itsdangerous and expires (the signature carries its time); the session id also
names a row (lostcontact.services.sessions) that logging out ends, so a copied cookie stops working then.
Nothing personal is stored. Cookies are HttpOnly and SameSite=Lax (and Secure behind HTTPS).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from .config import WebConfig

SESSION_COOKIE = "lc_session"
FLASH_COOKIE = "lc_flash"
LOGIN_CSRF_COOKIE = "lc_login_csrf"
FLASH_SECONDS = 120
LOGIN_FORM_SECONDS = 3600


@dataclass(frozen=True)
class SessionData:
    token: str        # the random id of the server-side session row (services.sessions)
    csrf: str         # the token every form of this session carries


def _signer_on(clock) -> type[TimestampSigner]:
    """A signer whose timestamps come from the app's clock (so expiry is testable without waiting)."""
    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock().timestamp())
    return ClockSigner


class Cookies:
    def __init__(self, config: WebConfig):
        self.config = config
        signer = _signer_on(config.now)

        def serializer(purpose: str) -> URLSafeTimedSerializer:
            return URLSafeTimedSerializer(config.secret_key, salt=f"lostcontact.{purpose}", signer=signer)

        self._session = serializer("session")
        self._flash = serializer("flash")
        self._login = serializer("login-csrf")
        self._api = serializer("api-token")

    def _set(self, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", path="/",
                            secure=self.config.secure_cookies)

    # -- the login session
    def start_session(self, response: Response, token: str) -> SessionData:
        data = SessionData(token, secrets.token_urlsafe(24))
        self._set(response, SESSION_COOKIE, self._session.dumps([data.token, data.csrf]), self.config.session_seconds)
        return data

    def session(self, request: Request) -> SessionData | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            token, csrf = self._session.loads(raw, max_age=self.config.session_seconds)
        except (BadSignature, ValueError, TypeError):
            return None
        return SessionData(str(token), str(csrf))

    def end_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/")

    # -- a message shown once on the next page (after a redirect)
    def flash(self, response: Response, kind: str, message: str) -> None:
        self._set(response, FLASH_COOKIE, self._flash.dumps([kind, message]), FLASH_SECONDS)

    def take_flash(self, request: Request) -> tuple[str, str] | None:
        raw = request.cookies.get(FLASH_COOKIE)
        if not raw:
            return None
        try:
            kind, message = self._flash.loads(raw, max_age=FLASH_SECONDS)
        except (BadSignature, ValueError, TypeError):
            return None
        return str(kind), str(message)

    # -- the login form's CSRF token (there is no session yet to hold it: double-submit cookie)
    def login_csrf(self, request: Request) -> str | None:
        raw = request.cookies.get(LOGIN_CSRF_COOKIE)
        if not raw:
            return None
        try:
            return str(self._login.loads(raw, max_age=LOGIN_FORM_SECONDS))
        except (BadSignature, ValueError, TypeError):
            return None

    def issue_login_csrf(self, response: Response, token: str) -> None:
        self._set(response, LOGIN_CSRF_COOKIE, self._login.dumps(token), LOGIN_FORM_SECONDS)

    # -- API bearer tokens
    def api_token(self, token: str) -> str:
        """The bearer token: the signed random id of a server-side session row of kind api."""
        return self._api.dumps(token)

    def read_api_token(self, bearer: str) -> str | None:
        try:
            token = self._api.loads(bearer, max_age=self.config.session_seconds)
        except (BadSignature, ValueError, TypeError):
            return None
        return token if isinstance(token, str) else None
