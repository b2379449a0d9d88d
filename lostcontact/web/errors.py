"""A user's mistake becomes a page (or, under /api, JSON) in Chinese and English with the status it
deserves; never a traceback. The statuses follow the CLI's exit codes: usage 400, refused 403,
conflict 409, bad input 400 (404 when a GET names something that does not exist), an upload over the
policy's cap 413."""
from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, Refused, UsageError

from ..services.attachment_files import TooLarge
from .deps import CsrfRejected, LoginRequired
from .render import page
from .sessions import SESSION_COOKIE

log = logging.getLogger("lostcontact.web")

KINDS = ((Conflict, "conflict", 409), (Refused, "refused", 403), (UsageError, "usage", 400),
         (TooLarge, "too_large", 413), (BadInput, "bad_input", 400))


def classify(error: LostContactError, method: str = "POST") -> tuple[str, int]:
    for cls, kind, status in KINDS:
        if isinstance(error, cls):
            if kind == "bad_input" and method == "GET":
                return kind, 404
            return kind, status
    return "internal", 500


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_json(kind: str, zh: str, en: str, status: int, details: list | None = None,
               headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"kind": kind, "zh": zh, "en": en, "details": [list(d) for d in details or []]}},
                        status_code=status, headers=headers)


def error_page(request: Request, kind: str, zh: str, en: str, status: int, details: list | None = None) -> Response:
    return page(request, "pages/error.html", {"kind": kind, "zh": zh, "en": en, "details": details or []},
                status_code=status)


def _respond(request: Request, kind: str, zh: str, en: str, status: int, details: list | None = None) -> Response:
    if is_api(request):
        return error_json(kind, zh, en, status, details)
    return error_page(request, kind, zh, en, status, details)


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if is_api(request):
            return error_json("unauthenticated", "请先登录", "log in first", 401, headers={"WWW-Authenticate": "Bearer"})
        target = request.url.path if request.method == "GET" else page_of_post(request.url.path)
        # a session cookie that no longer opens a session: it expired (or the account's password changed)
        expired = SESSION_COOKIE in request.cookies and request.url.path != "/logout"
        return RedirectResponse(f"/login?next={quote(target, safe='/')}{'&expired=1' if expired else ''}",
                                status_code=303)

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, _exc: CsrfRejected) -> Response:
        return _respond(request, "csrf", "页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试",
                        "the request lacks this session's CSRF token: reload the page and retry", 403)

    @app.exception_handler(LostContactError)
    async def domain_error(request: Request, exc: LostContactError) -> Response:
        kind, status = classify(exc, request.method)
        return _respond(request, kind, exc.zh, exc.en, status, exc.details)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return JSONResponse({"detail": _safe_errors(exc)}, status_code=422)
        return error_page(request, "usage", "请求参数有误", "invalid request parameters", 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        zh = {404: "页面不存在", 405: "不支持该请求方法"}.get(exc.status_code, "请求无法处理")
        if is_api(request):
            return error_json("http", zh, str(exc.detail), exc.status_code, headers=exc.headers)
        return error_page(request, "http", zh, str(exc.detail), exc.status_code)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s %s: %s", request.method, request.url.path, type(exc).__name__)
        return _respond(request, "internal", "内部错误，请联系系统管理员", "internal error", 500)


POST_PAGES = {"/cases/open": "/queue"}


def page_of_post(path: str) -> str:
    """The page a form posted to `path` lives on (…/cases/7/fire → /cases/7), to return to after logging in
    again; its draft (static/app.js) is filled back in there."""
    if path in POST_PAGES:
        return POST_PAGES[path]
    parent = path.rstrip("/").rsplit("/", 1)[0]
    return parent or "/"


def _safe_errors(exc: RequestValidationError) -> list[dict]:
    """Validation errors without the offending input echoed back (it may be a name or an ID number)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
