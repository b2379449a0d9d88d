"""佐证材料 on the case page: the upload (a form post with a file, from a computer or a phone's camera) and
the download of one file — served only as a download, with the type sniffed when it came in.

Both check the case's scope first: a case outside the user's subtrees is answered exactly as an unknown one.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse

from statemachines.errors import LostContactError, UsageError

from ...queries.attachments import Download, open_attachment, upload_limit
from ...services.attachment_files import TooLarge
from ...services.attachments import attach
from ...services.auth import Account
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify
from ..upload_cap import capped_attachment, refuse_declared_over
from .case import case_page

router = APIRouter(include_in_schema=False)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AttachmentId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def content_disposition(file_name: str, attachment_id: int) -> str:
    """attachment; an ASCII name for old clients and the real one as RFC 5987 `filename*` (UTF-8)."""
    plain = file_name.isascii() and all(c.isprintable() and c not in '"\\;' for c in file_name)
    fallback = file_name if plain else f"attachment-{attachment_id}{file_name[file_name.rfind('.'):]}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def download_response(download: Download, attachment_id: int) -> StreamingResponse:
    """The bytes as a download of their own sniffed type; the browser must not guess another or show it inline."""
    return StreamingResponse(download.chunks(), media_type=download.content_type, headers={
        "Content-Disposition": content_disposition(download.file_name, attachment_id),
        "Content-Length": str(download.size), "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def _page_with_error(request: Request, account: Account, case_id: int, error: LostContactError,
                     typed: dict | None = None) -> Response:
    """The case page drawn again with the reason (and what was typed) in the 佐证材料 panel. The panel reads
    them from the request, so the case page's own forms and their error handling stay as they are."""
    request.state.attach_error, request.state.attach_typed = error, typed or {}
    response = case_page(request, account, case_id)
    response.status_code = classify(error, request.method)[1]
    return response


def _chosen_file(form) -> UploadFile:
    """The one file posted: the form has a file picker and a camera button, both named `file`."""
    files = [f for f in form.getlist("file") if isinstance(f, UploadFile) and f.filename]
    if not files:
        raise UsageError("请选择要上传的文件或拍照", "choose a file or take a photo")
    if len(files) > 1:
        raise UsageError("一次只能上传一个文件", "upload one file at a time")
    return files[0]


def _documents(form) -> tuple[int | None, int | None]:
    """The form's one choice of what the file documents: `entry:ID`, `step:SEQ` or the case itself."""
    value = forms.text(form, "documents", max_length=24) or ""
    kind, _, number = value.partition(":")
    if not value:
        return None, None
    if kind not in ("entry", "step") or not number.isdigit() or len(number) > 10:
        raise UsageError("请从列表中选择材料对应的事项", "choose what the file documents from the list")
    return (int(number), None) if kind == "entry" else (None, int(number))


@router.post("/cases/{case_id}/attachments")
async def upload(request: Request, case_id: CaseId, account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    # the scope first (outside = unknown, before anything else is said), then the size
    max_bytes = await run_in_threadpool(upload_limit, config.db, case_id, actor_login=account.login,
                                        today=config.today())
    try:  # a declared length over the cap is refused unread; a body with no length is cut off at the cap
        refuse_declared_over(request, max_bytes)
        form = await checked_form(capped_attachment(request, max_bytes), account)
    except TooLarge as error:
        return await run_in_threadpool(_page_with_error, request, account, case_id, error)
    typed = {k: v for k, v in form.items() if k in ("note", "documents", "replaces", "at") and isinstance(v, str)}
    try:
        upload_file = _chosen_file(form)
        entry, step = _documents(form)
        attachment_id = await run_in_threadpool(
            attach, config.db, case_id, upload_file.file, upload_file.filename, actor_login=account.login,
            today=config.today(), note=forms.text(form, "note"), search_entry_id=entry, step_seq=step,
            replaces=forms.integer(form, "replaces", "替换的材料"), at=forms.day(form, "at", "材料日期"),
            claimed_type=upload_file.content_type)
    except LostContactError as error:
        return await run_in_threadpool(_page_with_error, request, account, case_id, error, typed)
    finally:
        await form.close()
    response = RedirectResponse(f"/cases/{case_id}#attachments-h", status_code=303)
    cookies(request).flash(response, "ok", f"已上传佐证材料：{upload_file.filename}（编号 {attachment_id}）")
    return response


@router.get("/cases/{case_id}/attachments/{attachment_id}")
def download(request: Request, case_id: CaseId, attachment_id: AttachmentId,
             account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    return download_response(open_attachment(config.db, case_id, attachment_id, actor_login=account.login),
                             attachment_id)
