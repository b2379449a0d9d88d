"""案件详情: the member, the open deadline, the timeline, and only the actions I may take now as forms.

A form carries the case version it was drawn from; when someone acted first the service raises Conflict
and the page is drawn again in the case's new state, saying so, with what was typed kept. Any other refusal
re-draws the page with the reason next to the form; when that form is no longer drawn (the case moved on in
another tab), the reason and the typed text stand at the top of the page: no refusal goes unseen.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines import lifecycle
from statemachines.errors import Conflict, LostContactError, UsageError

from ...policies import policy_as_of
from ...queries.actions import actions_for
from ...queries.attachments import attachment_panel
from ...queries.cases import show_case
from ...queries.lights import Lights
from ...queries.people import person_labels
from ...services import cases as case_services
from ...services.auth import Account
from ...uow import UnitOfWork
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify
from ..render import page
from ..timeline import timeline

router = APIRouter(include_in_schema=False)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]

CONFLICT_MESSAGE = "其他用户已先办理了此案件，您看到的页面已过期。页面已刷新为最新状态，请核对后重新操作。"


def _lights(config) -> Lights:
    with UnitOfWork(config.db, write=False) as uow:
        return Lights.of_policy(config.today(), policy_as_of(uow.session, config.today()))


def _people(config, case: dict) -> dict[str, str]:
    with UnitOfWork(config.db, write=False) as uow:
        return person_labels(uow.session, [e["actor"] for e in case["history"] + case["search_log"]])


def case_page(request: Request, account: Account, case_id: int, *, error: LostContactError | None = None,
              failed: str | None = None, submitted: dict | None = None) -> Response:
    config = web_config(request)
    today = config.today()
    case = show_case(config.db, case_id, today=today, actor_login=account.login)
    actions = actions_for(config.db, case_id, actor_login=account.login, today=today)
    due = date.fromisoformat(case["due_on"]) if case["due_on"] else None
    status = classify(error, request.method)[1] if error else 200
    drawn = {a.trigger for a in actions.triggers} | ({"log"} if actions.can_log_search else set())
    return page(request, "pages/case.html", {
        "case": case, "actions": actions, "light": _lights(config).light(due), "today": today,
        "timeline": timeline(case, _people(config, case)), "days_left": (due - today).days if due else None,
        "error": error, "failed": failed if failed in drawn else None, "submitted": submitted or {},
        "conflict": isinstance(error, Conflict),
        "attachments": attachment_panel(config.db, case_id, actor_login=account.login, today=today)},
        status_code=status)


@router.get("/cases/{case_id}")
def show(request: Request, case_id: CaseId, account: Account = Depends(page_user)) -> Response:
    return case_page(request, account, case_id)


def _typed(form: FormData) -> dict[str, str]:
    """What the user typed, to draw it again after a refusal (the version is the page's own, never theirs)."""
    return {k: v for k, v in form.items() if k not in ("csrf_token", "version") and isinstance(v, str)}


def _done(request: Request, case_id: int, kind: str, message: str) -> Response:
    response = RedirectResponse(f"/cases/{case_id}", status_code=303)
    cookies(request).flash(response, kind, message)
    return response


@router.post("/cases/{case_id}/log")
def log_search(request: Request, case_id: CaseId, form: FormData = Depends(checked_form),
               account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    try:
        channel, outcome = forms.text(form, "channel", max_length=32), forms.text(form, "outcome", max_length=16)
        if channel is None or outcome is None:
            raise UsageError("请选择查找渠道和查找结果", "choose a channel and an outcome")
        case_services.log_search(config.db, case_id, channel=channel, outcome=outcome, actor_login=account.login,
                                 today=config.today(), at=forms.day(form, "at", "查找日期"),
                                 note=forms.text(form, "note"), witness=forms.text(form, "witness", max_length=200))
    except LostContactError as error:
        return case_page(request, account, case_id, error=error, failed="log", submitted=_typed(form))
    return _done(request, case_id, "ok", "已记录查找情况")


@router.post("/cases/{case_id}/fire")
def fire(request: Request, case_id: CaseId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    trigger = forms.text(form, "trigger", max_length=24) or ""
    try:
        if trigger not in lifecycle.TRIGGERS:
            raise UsageError(f"未知操作 {trigger}", f"unknown trigger {trigger}")
        takes = lifecycle.TAKES[trigger]
        result = case_services.fire(
            config.db, case_id, trigger, actor_login=account.login, today=config.today(),
            expected_version=forms.integer(form, "version", "版本"),
            at=forms.day(form, "at", "办理日期"),
            disposition=forms.text(form, "disposition", max_length=32) if "disposition" in takes else None,
            cause=forms.integer(form, "cause", "失去联系情形") if "cause" in takes else None,
            opinion=forms.text(form, "opinion") if "opinion" in takes else None,
            meeting=forms.meeting(form) if "meeting" in takes else None)
    except Conflict as conflict:
        return case_page(request, account, case_id, error=Conflict(CONFLICT_MESSAGE, conflict.en), failed=trigger,
                         submitted=_typed(form))
    except LostContactError as error:
        return case_page(request, account, case_id, error=error, failed=trigger, submitted=_typed(form))
    message = (f"已办理“{lifecycle.TRIGGERS[trigger]}”：{lifecycle.STATES[result.from_state]} → "
               f"{lifecycle.STATES[result.to_state]}")
    return _done(request, case_id, "ok", message)
