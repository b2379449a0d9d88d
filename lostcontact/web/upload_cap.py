"""Uploads of 佐证材料 are held to the policy's cap while the request body streams in, not after the
framework has spooled all of it to disk: a declared Content-Length over the cap is refused before a byte is
read, and a body without one (chunked) is cut off as soon as it passes the cap. Either way the answer is
413 with the bilingual reason (attachment_files.too_large), and nothing is stored.

The cap on the body is the file's cap plus FORM_OVERHEAD for the multipart framing and the other fields."""
from __future__ import annotations

from typing import Callable

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from statemachines.errors import LostContactError

from ..queries.attachments import attachment_cap
from ..services.attachment_files import TooLarge, too_large
from .deps import web_config

FORM_OVERHEAD = 256 * 1024  # the other fields and the multipart framing around the file


def refuse_declared_over(request: Request, max_bytes: int) -> None:
    """Refuse an attachment whose declared body is over the cap, before reading any of it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + FORM_OVERHEAD:
        raise too_large(max_bytes)


def capped(request: Request, limit: int, refusal: Callable[[], LostContactError]) -> Request:
    """The same request, whose body raises `refusal()` once more than `limit` bytes have come in: whatever
    reads it (the form parser, which spools files to disk) never holds more than that."""
    seen = 0
    receive: Receive = request.receive

    async def capped_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise refusal()
        return message

    return Request(request.scope, capped_receive)


def capped_attachment(request: Request, max_bytes: int) -> Request:
    """The request of an attachment upload, cut off with TooLarge past the file's cap and the form's framing."""
    return capped(request, max_bytes + FORM_OVERHEAD, lambda: too_large(max_bytes))


class CappedUploadRoute(APIRoute):
    """An API route taking an attachment: FastAPI reads a form body before the endpoint (and its
    dependencies) run, so the cap is applied here, around the whole handler."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def capped_handler(request: Request):
            max_bytes = await run_in_threadpool(attachment_cap, web_config(request).db,
                                                today=web_config(request).today())
            refuse_declared_over(request, max_bytes)
            try:
                return await handler(capped_attachment(request, max_bytes))
            except HTTPException as error:  # FastAPI reports any failure reading the body as "cannot parse"
                if isinstance(error.__cause__, TooLarge):
                    raise error.__cause__ from None
                raise

        return capped_handler
