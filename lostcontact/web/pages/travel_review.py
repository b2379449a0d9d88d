"""证件管理 · 自查自报, 问题 and 表格: a self-report campaign's progress by unit (with its open S1/S2 alerts) and
its persons' reports, each linking to the person's report page (travel_self_reports, with the forms); the
problems the checks and the police side found (filters by kind and status) with a problem's page, where its
handler verifies, handles with measures or dismisses it through the same service as `problem verify|handle|
dismiss`; and the programme's forms (`travel-form management`) as HTML, XLSX or PDF.

A campaign or problem outside the reader's subtrees is answered exactly as an unknown one (404, same words)."""
from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError
from statemachines.travel import problems as lifecycle
from statemachines.travel.codes import PROBLEM_STATUSES

from ...queries.travel import problems as problem_queries
from ...queries.travel import self_reports
from ...queries.travel.report_refs import campaign_alerts
from ...queries.travel.web_refs import actor_names, problem_steps, visible_campaigns
from ...reports.kinds import TRAVEL_FORMS
from ...services.auth import Account
from ...services.travel.problems import fire_problem
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..form_downloads import form_response
from ..render import page
from ..travel_pages import require_self_report_user, require_travel_user, typed

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Short = Annotated[str | None, Query(max_length=20)]


def campaigns_page(request: Request, account: Account, *, error: LostContactError | None = None,
                   submitted: dict | None = None) -> Response:
    """The campaigns, with a cadre supervisor's form to open one (travel_self_reports); a refused form is drawn
    again with what was typed."""
    from .travel_self_reports import open_context

    require_self_report_user(account)
    config = web_config(request)
    return page(request, "pages/travel_campaigns.html",
                {"campaigns": visible_campaigns(config.db, actor_login=account.login), "tab": "self-reports",
                 "today": config.today(), **open_context(account, error, submitted)},
                status_code=classify(error, request.method)[1] if error else 200)


@router.get("/travel/self-reports")
def campaigns(request: Request, account: Account = Depends(page_user)) -> Response:
    return campaigns_page(request, account)


@router.get("/travel/self-reports/{campaign_id}")
def campaign(request: Request, campaign_id: RowId, status: Short = None,
             org: Annotated[str | None, Query(max_length=40)] = None,
             account: Account = Depends(page_user)) -> Response:
    require_self_report_user(account)
    config = web_config(request)
    args = dict(actor_login=account.login, today=config.today(), org_code=org or None)
    by_unit = self_reports.status_by_unit(config.db, campaign_id, **args)
    reports = self_reports.list_reports(config.db, campaign_id, status=status or None, with_ids=True, **args)
    alerts = campaign_alerts(config.db, campaign_id, actor_login=account.login, today=config.today())
    return page(request, "pages/travel_campaign.html",
                {"data": by_unit, "reports": reports, "status": status or "", "org": org or "", "alerts": alerts,
                 "names": actor_names(config.db, [r["reviewer"] for r in reports]), "tab": "self-reports"})


def problems_page(request: Request, account: Account, *, kind: str | None = None, status: str | None = None,
                  error: LostContactError | None = None, submitted: dict | None = None) -> Response:
    """The problems list, with the forms of who may record a Q1–Q3 or run the checks (travel_problem_entry);
    a refused form is drawn again beside the list with what was typed."""
    from .travel_problem_entry import entry_context

    require_travel_user(account)
    config = web_config(request)
    rows = problem_queries.list_problems(config.db, actor_login=account.login, today=config.today(),
                                         kind=kind or None, status=status or None)
    return page(request, "pages/travel_problems.html",
                {"rows": rows, "kind": kind or "", "status": status or "", "today": config.today(),
                 "tab": "problems", **entry_context(account, error, submitted)},
                status_code=classify(error, request.method)[1] if error else 200)


@router.get("/travel/problems")
def problems(request: Request, kind: Short = None, status: Short = None,
             account: Account = Depends(page_user)) -> Response:
    return problems_page(request, account, kind=kind, status=status)


def problem_page(request: Request, account: Account, problem_id: int, *, error: LostContactError | None = None,
                 submitted: dict | None = None, measures: list[str] | None = None) -> Response:
    require_travel_user(account)
    config = web_config(request)
    problem = problem_queries.show_problem(config.db, problem_id, actor_login=account.login, today=config.today())
    status = classify(error, request.method)[1] if error else 200
    return page(request, "pages/travel_problem.html",
                {"p": problem, "steps": problem_steps(config.db, problem_id, actor_login=account.login),
                 "names": actor_names(config.db, [h["actor"] for h in problem["history"]]), "error": error,
                 "conflict": isinstance(error, Conflict), "submitted": submitted or {},
                 "checked_measures": measures or [], "today": config.today(), "tab": "problems"},
                status_code=status)


@router.get("/travel/problems/{problem_id}")
def problem(request: Request, problem_id: RowId, account: Account = Depends(page_user)) -> Response:
    return problem_page(request, account, problem_id)


@router.post("/travel/problems/{problem_id}/fire")
def fire(request: Request, problem_id: RowId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        problem_queries.show_problem(config.db, problem_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    measures = [m for m in form.getlist("measure") if isinstance(m, str)]
    try:
        trigger = forms.text(form, "trigger", max_length=20)
        if trigger not in lifecycle.TRIGGERS:
            raise UsageError("请选择要办理的事项", "choose the problem's step")
        corrected = forms.text(form, "self_corrected", max_length=3)
        result = fire_problem(config.db, problem_id, trigger, actor_login=account.login, today=config.today(),
                              at=forms.day(form, "at"), measures=tuple(measures),
                              reason=forms.text(form, "note", label="说明"),
                              self_corrected={"yes": True, "no": False}.get(corrected or ""),
                              expected_version=forms.integer(form, "version"))
    except LostContactError as error:
        return problem_page(request, account, problem_id, error=error, submitted=typed(form), measures=measures)
    response = RedirectResponse(f"/travel/problems/{problem_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已办理{lifecycle.TRIGGERS[trigger]}，"
                                           f"问题状态：{PROBLEM_STATUSES[result.to_status]}")
    return response


@router.get("/travel/forms")
def forms_page(request: Request, account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    return page(request, "pages/travel_forms.html", {"kinds": TRAVEL_FORMS, "today": web_config(request).today(),
                                                     "tab": "forms"})


@router.get("/travel/forms/{kind}")
def travel_form(request: Request, kind: Annotated[str, Path(max_length=32)],
                fmt: Literal["html", "xlsx", "pdf"] = Query("html", alias="format"),
                org: Annotated[str | None, Query(max_length=40)] = None,
                account: Account = Depends(page_user)) -> Response:
    """A form of the reader's subtree (or `org` in it) as of today, rendered as `travel-form KIND` renders it."""
    from ...reports.travel_forms import render_travel_form

    require_travel_user(account)
    config = web_config(request)
    render = partial(render_travel_form, config.db, kind, today=config.today(), org_code=org or None,
                     actor_login=account.login)
    return form_response(render, kind, fmt, day=config.today(), back="/travel/forms", back_label="返回表格")
