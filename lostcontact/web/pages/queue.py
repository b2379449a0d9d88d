"""我的待办: the cases waiting on me, most urgent first, filtered by state and branch; and opening a case
by hand (the ID number travels in the form body, never in a URL)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import LostContactError, UsageError

from ...queries.worklist import STEP_ROLE, work_queue
from ...services import cases as case_services
from ...services.auth import Account
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify
from ..render import page

router = APIRouter(include_in_schema=False)
CASE_OPENERS = ("branch_officer", "committee_reviewer")


# the roles a case step can wait on (lifecycle.STEP_OWNER); anyone else has an empty 待办 for ever
STEP_ROLES = frozenset(STEP_ROLE.values())


def landing_path(roles: frozenset[str]) -> str:
    """Where "/" (and a login without an explicit next page) lands: 我的待办 for those whom steps wait on,
    超期预警 for supervisors, admins and anyone else."""
    return "/queue" if roles & STEP_ROLES else "/alerts"


@router.get("/")
def home(account: Account = Depends(page_user)) -> Response:
    return RedirectResponse(landing_path(account.roles), status_code=303)


def _queue_page(request: Request, account: Account, *, state: str | None, branch: str | None,
                open_error: LostContactError | None = None, open_typed: dict | None = None) -> Response:
    config = web_config(request)
    queue = work_queue(config.db, actor_login=account.login, today=config.today(), state=state or None,
                       branch_code=branch or None)
    status = classify(open_error)[1] if open_error else 200
    return page(request, "pages/queue.html", {
        "queue": queue, "state": state or "", "branch": branch or "", "today": config.today(),
        "may_open": bool(account.roles & set(CASE_OPENERS)), "open_error": open_error,
        "open_typed": open_typed}, status_code=status)


@router.get("/queue")
def queue(request: Request, state: str | None = None, branch: str | None = None,
          account: Account = Depends(page_user)) -> Response:
    return _queue_page(request, account, state=state, branch=branch)


@router.post("/cases/open")
def open_case(request: Request, form: FormData = Depends(checked_form),
              account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    try:
        id_number = forms.text(form, "id_number", max_length=18)
        if id_number is None:
            raise UsageError("请填写身份证号", "the ID number is required")
        case_id = case_services.open_case(config.db, id_number.upper(), actor_login=account.login,
                                          today=config.today(), cause=forms.integer(form, "cause", "失去联系情形"),
                                          at=forms.day(form, "at", "立案日期"))
    except LostContactError as error:
        # drawn again with what was typed (the ID number only goes back to the person who typed it)
        typed = {k: v for k, v in form.items() if k in ("id_number", "cause", "at") and isinstance(v, str)}
        return _queue_page(request, account, state=None, branch=None, open_error=error, open_typed=typed)
    response = RedirectResponse(f"/cases/{case_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已立案：案件 {case_id}")
    return response
