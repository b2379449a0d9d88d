"""导入名册: upload an orgs, members or contacts file, see its dry run (counts, every bad row, the problems
as a file of their own), then 确认导入. The same all-or-nothing importer as `lostcontact import`
(importing.import_file), run as the logged-in user, so every row is limited to the user's subtrees and a
real import is written to the audit log. The uploaded file waits on the server (import_uploads) so the
confirmation imports exactly the file that was checked."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from statemachines.errors import BadInput, LostContactError, Refused, UsageError

from ...importing import import_file
from ...importing.columns import CONTACT_COLUMNS, MEMBER_COLUMNS, ORG_COLUMNS
from ...importing.person_columns import PERSON_COLUMNS
from ...importing.scope import kinds_for_roles
from ...reports.import_problems import column_label, problems_csv, problems_xlsx
from ...services.audit import Origin
from ...services.auth import Account
from .. import forms
from ..deps import CsrfRejected, checked_form, page_user, same_token, web_config
from ..errors import classify
from ..import_outcomes import CHECKED, DONE, FAILED, REFUSED, outcome_of_error, outcome_of_summary, problem_rows
from ..import_uploads import UPLOAD_LIMIT_BYTES, NOT_FOUND, UploadStore, too_big, uploads_folder
from ..render import page
from ..upload_cap import capped

router = APIRouter(include_in_schema=False)

KIND_CHOICES = {"orgs": "组织", "members": "党员", "contacts": "联系记录", "persons": "人员（证件管理）"}
REQUIRED_COLUMNS = {kind: "、".join(c.zh for c in columns if c.required)
                    for kind, columns in (("orgs", ORG_COLUMNS), ("members", MEMBER_COLUMNS),
                                          ("contacts", CONTACT_COLUMNS), ("persons", PERSON_COLUMNS))}
ENCODINGS = {"": "自动识别", "utf-8": "UTF-8", "gb18030": "GB18030 / GBK"}
FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart envelope and the small fields around the file
TOKEN = Path(min_length=32, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def uploads(request: Request) -> UploadStore:
    state = request.app.state
    if getattr(state, "import_uploads", None) is None:
        config = web_config(request)
        state.import_uploads = UploadStore(uploads_folder(config.db.url), config.now)
    return state.import_uploads


def kinds_of(account: Account) -> tuple[str, ...]:
    # the police records are imported on the command line only (police import) for now
    kinds = tuple(kind for kind in kinds_for_roles(account.roles) if kind in KIND_CHOICES)
    if not kinds:
        raise Refused("导入名册须由系统管理员执行（联系记录也可由党支部书记/组织委员导入）",
                      "importing needs an admin grant (contacts: also a branch officer)")
    return kinds


def _form_page(request: Request, account: Account, *, error: LostContactError | None = None,
               chosen: dict | None = None) -> Response:
    kinds = kinds_of(account)
    return page(request, "pages/import.html",
                {"kinds": {k: KIND_CHOICES[k] for k in kinds}, "required": REQUIRED_COLUMNS, "encodings": ENCODINGS,
                 "limit_mib": UPLOAD_LIMIT_BYTES // (1024 * 1024), "error": error,
                 "chosen": {"kind": None, "encoding": "", "sheet": "", **(chosen or {})}},
                status_code=classify(error, request.method)[1] if error else 200)


@router.get("/admin/import")
def import_form(request: Request, account: Account = Depends(page_user)) -> Response:
    return _form_page(request, account)


@router.post("/admin/import")
async def upload(request: Request, account: Account = Depends(page_user)) -> Response:
    """Keep the file, dry-run it as this user, show the outcome (Post/Redirect/Get)."""
    kinds = kinds_of(account)
    chosen: dict = {}
    try:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > UPLOAD_LIMIT_BYTES + FORM_OVERHEAD_BYTES:
            raise too_big()  # (refused before the body is read)
        # a body with no length is cut off at the limit rather than spooled to its end
        form = await capped(request, UPLOAD_LIMIT_BYTES + FORM_OVERHEAD_BYTES, too_big).form(max_files=1, max_fields=8)
        try:
            if not same_token(form.get("csrf_token"), request.state.csrf):
                raise CsrfRejected()
            chosen = {"kind": form.get("kind"), "encoding": form.get("encoding"), "sheet": form.get("sheet")}
            kind, encoding, sheet, file = _upload_fields(form, kinds)
            token = await run_in_threadpool(_keep_and_check, request, account, file, kind, encoding, sheet)
        finally:
            await form.close()  # the multipart parser's spooled copy goes now, not when collected
    except LostContactError as error:
        return _form_page(request, account, error=error, chosen=chosen)
    return RedirectResponse(f"/admin/import/{token}", status_code=303)


def _upload_fields(form: FormData, kinds: tuple[str, ...]) -> tuple[str, str | None, str | None, UploadFile]:
    kind = form.get("kind")
    if kind not in kinds:
        raise UsageError("请选择要导入的数据类型（组织、党员或联系记录）", "choose what the file holds (orgs, members or contacts)")
    encoding = form.get("encoding") or ""
    if encoding not in ENCODINGS:
        raise UsageError("请从列表中选择文件编码", "choose the encoding from the list")
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise UsageError("请选择要导入的文件（CSV 或 XLSX）", "choose the file to import (CSV or XLSX)")
    return kind, encoding or None, forms.text(form, "sheet", max_length=31), file


def _keep_and_check(request: Request, account: Account, file: UploadFile, kind: str, encoding: str | None,
                    sheet: str | None) -> str:
    store = uploads(request)
    kept = store.save(file.file, file_name=file.filename, user_id=account.id, kind=kind, encoding=encoding,
                      sheet=sheet)
    result = _run(request, account, kept, dry_run=True)
    store.record(kept, result, keep_file=result["state"] == CHECKED)
    return kept.token


def _run(request: Request, account: Account, kept, *, dry_run: bool) -> dict:
    config = web_config(request)
    try:
        summary = import_file(config.db, kept.kind, kept.path, today=config.today(), dry_run=dry_run,
                              encoding=kept.meta.get("encoding"), sheet=kept.meta.get("sheet"), actor=account.login,
                              origin=Origin(request.client.host if request.client else None))
    except LostContactError as error:
        return outcome_of_error(error, REFUSED if dry_run else FAILED)
    return outcome_of_summary(summary, CHECKED if dry_run else DONE, config.settings.tz)


@router.get("/admin/import/{token}")
def review(request: Request, token: str = TOKEN, account: Account = Depends(page_user)) -> Response:
    kinds_of(account)
    kept = uploads(request).get(token, account.id)
    result = kept.result
    return page(request, "pages/import_review.html",
                {"kept": kept, "result": result, "kind_label": KIND_CHOICES[kept.kind],
                 "problems": problem_rows(result), "column_label": lambda name: column_label(kept.kind, name)})


@router.post("/admin/import/{token}/confirm")
def confirm(request: Request, token: str = TOKEN, form: FormData = Depends(checked_form),
            account: Account = Depends(page_user)) -> Response:
    kinds_of(account)
    store = uploads(request)
    with store.confirming(store.get(token, account.id)):
        kept = store.get(token, account.id)  # again under the lock: a click that waited sees the first one's result
        if kept.result.get("state") == CHECKED:
            if store.unchanged(kept):
                result = _run(request, account, kept, dry_run=False)
            else:
                result = outcome_of_error(BadInput("服务器上保存的文件与检查时的不一致，未导入任何数据；请重新上传",
                                                   "the kept file is not the one that was checked: nothing was "
                                                   "imported, upload it again"), FAILED)
            store.record(kept, result, keep_file=False)
    return RedirectResponse(f"/admin/import/{token}", status_code=303)


@router.get("/admin/import/{token}/problems.{fmt}")
def problems_file(request: Request, fmt: str, token: str = TOKEN, account: Account = Depends(page_user)) -> Response:
    kinds_of(account)
    kept = uploads(request).get(token, account.id)
    rows = problem_rows(kept.result)
    if fmt not in ("csv", "xlsx") or not rows:
        raise BadInput(*NOT_FOUND)
    unlisted = kept.result.get("unlisted", 0)
    stem = kept.meta["file_name"].rsplit(".", 1)[0]
    name = f"{stem}-问题清单.{fmt}"
    disposition = f"attachment; filename=\"import-problems.{fmt}\"; filename*=UTF-8''{quote(name)}"
    if fmt == "csv":
        return Response(problems_csv(kept.kind, rows, unlisted), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": disposition})
    return Response(problems_xlsx(kept.kind, rows, unlisted), media_type=XLSX,
                    headers={"Content-Disposition": disposition})
