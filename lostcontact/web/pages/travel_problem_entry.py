"""证件管理 · 问题, the forms beside the list: the exit-entry liaison records a Q1–Q3 (PROGRAMMES.md §4, 公安机关
核查发现) on a person of its subtree by their typed ID number, with the evidence — through the service of `problem
record` — and the cadre supervisor runs the automatic checks now (the service of `checks run`, set-based over
their subtrees; the daily sweep runs them anyway). A recorded problem then has the lifecycle of every problem on
its own page (verify, handle with measures, dismiss with a reason; `self_corrected` when verified).

A person outside the liaison's subtree is answered exactly as an ID number that matches nobody (masked)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import LostContactError, UsageError
from statemachines.travel.codes import PROBLEM_KINDS, RECORDED_BY_HAND

from ...services.auth import Account
from ...services.travel.checks import RUNNERS, run_checks
from ...services.travel.problems import POLICE_SIDE, record_problem
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..travel_pages import require_travel_user, typed
from .travel_review import problems_page

router = APIRouter(include_in_schema=False)
LABELS = {"id_number": "身份证号", "kind": "问题类别", "evidence": "问题情况", "at": "发现日期"}


def entry_context(account: Account, error: LostContactError | None, submitted: dict | None) -> dict:
    """What the problems page needs to draw the forms this user may use."""
    return {"records": bool(account.roles & set(POLICE_SIDE)), "runs_checks": bool(account.roles & set(RUNNERS)),
            "hand_kinds": {k: PROBLEM_KINDS[k] for k in RECORDED_BY_HAND}, "error": error,
            "submitted": submitted or {}}


@router.post("/travel/problems/record")
def record(request: Request, form: FormData = Depends(checked_form), account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        id_number = forms.text(form, "id_number", max_length=40, label=LABELS["id_number"])
        kind = forms.text(form, "kind", max_length=4, label=LABELS["kind"])
        evidence = forms.text(form, "evidence", label=LABELS["evidence"])
        if id_number is None:
            raise UsageError("请填写“身份证号”", "give the person's ID number")
        if kind not in RECORDED_BY_HAND:
            raise UsageError("请选择“问题类别”（" + "、".join(PROBLEM_KINDS[k] for k in RECORDED_BY_HAND) + "）",
                             "choose the problem's kind (Q1, Q2 or Q3)")
        if evidence is None:
            raise UsageError("请填写“问题情况”（核查发现的事实和依据）", "give the evidence")
        problem_id = record_problem(config.db, id_number, kind, evidence=evidence, actor_login=account.login,
                                    today=config.today(), at=forms.day(form, "at", LABELS["at"]))
    except LostContactError as error:
        return problems_page(request, account, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/problems/{problem_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已录入问题 {problem_id}（{PROBLEM_KINDS[kind]}），状态：已发现")
    return response


@router.post("/travel/problems/checks")
def checks(request: Request, form: FormData = Depends(checked_form), account: Account = Depends(page_user)) -> Response:
    """Every check as of today over the runner's subtrees; the new problems per kind in the flash."""
    require_travel_user(account)
    config = web_config(request)
    try:
        counts = run_checks(config.db, as_of=None, today=config.today(), actor_login=account.login)
    except LostContactError as error:
        kind, status = classify(error)
        return error_page(request, kind, error.zh, error.en, status)
    found = "，".join(f"{PROBLEM_KINDS[k]} {n} 个" for k, n in counts.items() if n)
    response = RedirectResponse("/travel/problems", status_code=303)
    cookies(request).flash(response, "ok", f"已运行自动检查（截至 {config.today()}）："
                                           + (f"新发现 {found}" if found else "没有新发现的问题"))
    return response
