"""导入名册: upload an orgs, members or contacts file, see its dry run (counts, every bad row, the problems
as a file of their own), then 确认导入. The same all-or-nothing importer as `lostcontact import`
(importing.import_file), run as the logged-in user, so every row is limited to the user's subtrees and a
real import is written to the audit log. The uploaded file waits on the server (import_uploads) so the
confirmation imports exactly the file that was checked.

The same pages serve another desk (`Desk`, `add_desk`): 证件管理 · 公安记录 (pages/travel_police.py) uploads
the exit-entry administration's files through these very handlers, at its own address."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable
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


@dataclass(frozen=True)
class Desk:
    """A page that uploads import files: its address, the kinds it offers (kind → label), the columns each
    requires, the refusal of a user who may import none of them, and its two templates."""
    base: str
    choices: dict[str, str]
    required: dict[str, str]
    refusal: tuple[str, str]
    form_template: str = "pages/import.html"
    review_template: str = "pages/import_review.html"
    context: dict = field(default_factory=dict)   # more for both pages (a tab, a title)
    gate: Callable[[Account], None] | None = None  # who may know of the desk at all (else its own 404)

    def kinds_of(self, account: Account) -> tuple[str, ...]:
        if self.gate is not None:
            self.gate(account)
        kinds = tuple(kind for kind in kinds_for_roles(account.roles) if kind in self.choices)
        if not kinds:
            raise Refused(*self.refusal)
        return kinds


ROSTERS = Desk("/admin/import", KIND_CHOICES, REQUIRED_COLUMNS,
               ("导入名册须由系统管理员执行（联系记录也可由党支部书记/组织委员导入）",
                "importing needs an admin grant (contacts: also a branch officer)"))


def uploads(request: Request) -> UploadStore:
    state = request.app.state
    if getattr(state, "import_uploads", None) is None:
        config = web_config(request)
        state.import_uploads = UploadStore(uploads_folder(config.db.url), config.now)
    return state.import_uploads


def _form_page(request: Request, account: Account, desk: Desk, *, error: LostContactError | None = None,
               chosen: dict | None = None) -> Response:
    kinds = desk.kinds_of(account)
    return page(request, desk.form_template,
                {"kinds": {k: desk.choices[k] for k in kinds}, "required": desk.required, "encodings": ENCODINGS,
                 "limit_mib": UPLOAD_LIMIT_BYTES // (1024 * 1024), "error": error, "base": desk.base,
                 "chosen": {"kind": None, "encoding": "", "sheet": "", **(chosen or {})}, **desk.context},
                status_code=classify(error, request.method)[1] if error else 200)


async def _upload(request: Request, account: Account, desk: Desk) -> Response:
    """Keep the file, dry-run it as this user, show the outcome (Post/Redirect/Get)."""
    kinds = desk.kinds_of(account)
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
            kind, encoding, sheet, file = _upload_fields(form, kinds, desk)
            token = await run_in_threadpool(_keep_and_check, request, account, file, kind, encoding, sheet)
        finally:
            await form.close()  # the multipart parser's spooled copy goes now, not when collected
    except LostContactError as error:
        return _form_page(request, account, desk, error=error, chosen=chosen)
    return RedirectResponse(f"{desk.base}/{token}", status_code=303)


def _upload_fields(form: FormData, kinds: tuple[str, ...], desk: Desk
                   ) -> tuple[str, str | None, str | None, UploadFile]:
    kind = form.get("kind")
    if kind not in kinds:
        names = "、".join(desk.choices[k] for k in kinds)
        raise UsageError(f"请选择要导入的数据类型（{names}）", f"choose what the file holds ({', '.join(kinds)})")
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


def _kept(request: Request, account: Account, desk: Desk, token: str):
    """The user's upload made at this desk; another desk's is answered like one that never existed."""
    kept = uploads(request).get(token, account.id)
    if kept.kind not in desk.choices:
        raise BadInput(*NOT_FOUND)
    return kept


def _review(request: Request, account: Account, desk: Desk, token: str) -> Response:
    desk.kinds_of(account)
    kept = _kept(request, account, desk, token)
    result = kept.result
    return page(request, desk.review_template,
                {"kept": kept, "result": result, "kind_label": desk.choices[kept.kind], "base": desk.base,
                 "problems": problem_rows(result), "column_label": lambda name: column_label(kept.kind, name),
                 **desk.context})


def _confirm(request: Request, account: Account, desk: Desk, token: str) -> Response:
    desk.kinds_of(account)
    store = uploads(request)
    with store.confirming(_kept(request, account, desk, token)):
        kept = store.get(token, account.id)  # again under the lock: a click that waited sees the first one's result
        if kept.result.get("state") == CHECKED:
            if store.unchanged(kept):
                result = _run(request, account, kept, dry_run=False)
            else:
                result = outcome_of_error(BadInput("服务器上保存的文件与检查时的不一致，未导入任何数据；请重新上传",
                                                   "the kept file is not the one that was checked: nothing was "
                                                   "imported, upload it again"), FAILED)
            store.record(kept, result, keep_file=False)
    return RedirectResponse(f"{desk.base}/{token}", status_code=303)


def _problems_file(request: Request, account: Account, desk: Desk, token: str, fmt: str) -> Response:
    desk.kinds_of(account)
    kept = _kept(request, account, desk, token)
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


def add_desk(router: APIRouter, desk: Desk) -> None:
    """The five routes of an upload desk at `desk.base`: the form, the upload, its dry run, the confirmation
    and the problems as a file."""

    @router.get(desk.base)
    def import_form(request: Request, account: Account = Depends(page_user)) -> Response:
        return _form_page(request, account, desk)

    @router.post(desk.base)
    async def upload(request: Request, account: Account = Depends(page_user)) -> Response:
        return await _upload(request, account, desk)

    @router.get(desk.base + "/{token}")
    def review(request: Request, token: str = TOKEN, account: Account = Depends(page_user)) -> Response:
        return _review(request, account, desk, token)

    @router.post(desk.base + "/{token}/confirm")
    def confirm(request: Request, token: str = TOKEN, form: FormData = Depends(checked_form),
                account: Account = Depends(page_user)) -> Response:
        return _confirm(request, account, desk, token)

    @router.get(desk.base + "/{token}/problems.{fmt}")
    def problems_file(request: Request, fmt: str, token: str = TOKEN,
                      account: Account = Depends(page_user)) -> Response:
        return _problems_file(request, account, desk, token, fmt)


add_desk(router, ROSTERS)
