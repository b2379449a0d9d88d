"""Security headers on every response: nothing is loaded from elsewhere (the app works offline), no page
can be framed, nothing personal is cached or leaked through the Referer; and every cookie set over HTTPS
(directly, or behind a reverse proxy that says `X-Forwarded-Proto: https`) is marked Secure, so the browser
never sends it back over plain HTTP. LOSTCONTACT_SECURE_COOKIES=1 marks them Secure always."""
from __future__ import annotations

from starlette.responses import HTMLResponse

CSP = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
))

# The printed forms (templates/base.html) carry their stylesheet inline so that a saved file stands alone;
# served by the web they gain a 打印 button, whose click handler is the app's own script file
# (pages/printed.py with_print_button), so everything but inline style and that script stays shut.
PRINTED_FORM_CSP = "; ".join((
    "default-src 'none'", "style-src 'unsafe-inline'", "script-src 'self'", "img-src data:", "form-action 'none'",
    "frame-ancestors 'none'", "base-uri 'none'",
))

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
NO_STORE = (b"cache-control", b"no-store")  # pages and API answers carry personal data


def printed_form(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"Content-Security-Policy": PRINTED_FORM_CSP})


def _served_over_https(scope) -> bool:
    """Trusting the header is safe here: a client that lies about it only makes its own cookies Secure."""
    if scope.get("scheme") == "https":
        return True
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-proto":
            return value.split(b",")[0].strip().lower() == b"https"
    return False


def _secure(header: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    name, value = header
    if name.lower() == b"set-cookie" and b"; secure" not in value.lower():
        return name, value + b"; Secure"
    return header


class HttpMiddleware:
    """Pure ASGI middleware (no buffering of bodies) acting on HTTP requests (`http`); anything else passes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope, receive, send):
        raise NotImplementedError


class SecurityHeaders(HttpMiddleware):
    """Adds HEADERS, and no-store except on static files."""

    async def http(self, scope, receive, send):
        static = scope.get("path", "").startswith("/static/")
        https = _served_over_https(scope)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in HEADERS if n not in present]
                if not static and b"cache-control" not in present:
                    headers.append(NO_STORE)
                if https:
                    headers = [_secure(header) for header in headers]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
