"""证件管理 · 自查自报, the forms: a cadre supervisor opens a campaign over an org of their subtree (the service
of `self-report-campaign open`); one person's report page (/travel/self-reports/{campaign}/persons/{person})
shows the report as submitted — its lines frozen, every submission kept — and its history, where the unit
records the person's paper report (documents held, trips since the campaign's day, or a zero report, and the
signed pledge: `self-report submit`) and the 审核人 confirms it or returns it for correction (`self-report
confirm|return`).

The pages are also a party org secretary's (`branch_officer`, `committee_reviewer`): the 审核人 of the reports
of the 非公职党员 of their subtree (services.travel.self_reports.reviewer_grant), who sees only those reports.
A person or campaign outside the reader's subtrees is answered exactly as an unknown one (404, same words);
refusals are drawn beside the form with what was typed and change nothing; a stale version is a conflict."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError
from statemachines.travel import self_report as machine
from statemachines.travel.codes import DOCUMENT_KINDS

from ...queries.travel import self_reports as queries
from ...queries.travel.report_refs import report_person
from ...queries.travel.web_refs import actor_names
from ...services.auth import Account
from ...services.travel import self_reports as services
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..render import page
from ..travel_pages import require_self_report_user, step_fields, typed
from ..travel_report_form import (BLANK_DOCUMENT_ROWS, BLANK_TRIP_ROWS, DOCUMENT_FIELDS, MAX_ROWS, TRIP_FIELDS,
                                  prefilled_rows, report_lines, row_counts)
from .travel_review import campaigns_page

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
CAMPAIGN_LABELS = {"name": "活动名称", "org": "范围（组织代码）", "trips_since": "报告出行的起始日期",
                   "documents_expired_since": "报告证件的失效起始日期", "due_on": "截止日期", "end_on": "结束日期",
                   "at": "发起日期"}


def open_context(account: Account, error: LostContactError | None, submitted: dict | None) -> dict:
    """What the campaigns page needs to draw the opening form (a cadre supervisor's)."""
    grants = [g for g in account.grants if g.role == "cadre_supervisor"]
    return {"may_open": bool(grants), "scope_orgs": {g.org_code: g.org_name for g in grants}, "error": error,
            "submitted": submitted or {}}


@router.post("/travel/self-reports")
def open_campaign(request: Request, form: FormData = Depends(checked_form),
                  account: Account = Depends(page_user)) -> Response:
    require_self_report_user(account)
    config = web_config(request)
    try:
        values = {key: forms.text(form, key, max_length=200 if key == "name" else 40, label=label)
                  for key, label in CAMPAIGN_LABELS.items() if key in ("name", "org")}
        days = {key: forms.day(form, key, label) for key, label in CAMPAIGN_LABELS.items()
                if key not in ("name", "org")}
        missing = [CAMPAIGN_LABELS[k] for k in ("name", "org") if values[k] is None]
        missing += [CAMPAIGN_LABELS[k] for k in ("trips_since", "documents_expired_since", "due_on") if days[k] is None]
        if missing:
            raise UsageError("请填写" + "、".join(f"“{m}”" for m in missing), "fill in the campaign's required fields")
        campaign_id = services.open_campaign(
            config.db, values["name"], org_code=values["org"], trips_since=days["trips_since"],
            documents_expired_since=days["documents_expired_since"], due_on=days["due_on"], end_on=days["end_on"],
            at=days["at"], actor_login=account.login, today=config.today())
    except LostContactError as error:
        return campaigns_page(request, account, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/self-reports/{campaign_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已发起自查自报活动“{values['name']}”")
    return response


def report_page(request: Request, account: Account, campaign_id: int, person_id: int, *,
                error: LostContactError | None = None, submitted: dict | None = None,
                form_typed: dict | None = None) -> Response:
    """The person's report; `form_typed` redraws the submission form as it was posted (refused, or a row
    added), else it is prefilled from the last submission or the registry."""
    require_self_report_user(account)
    config = web_config(request)
    person = report_person(config.db, person_id, actor_login=account.login)
    report = queries.show_report(config.db, person.id_number, campaign_id, actor_login=account.login,
                                 today=config.today())
    state = report["state"]
    may_submit = person.may_record and state in ("owed", "returned")
    typed_report = form_typed
    if may_submit and typed_report is None:
        typed_report = prefilled_rows(_last_or_registry(config, account, person.id_number, campaign_id, report))
    status = classify(error, request.method)[1] if error else 200
    history = report["history"]
    return page(request, "pages/travel_self_report.html",
                {"r": report, "campaign_id": campaign_id, "person_id": person_id, "may_submit": may_submit,
                 "may_review": person.may_review and state == "submitted", "typed_report": typed_report or {},
                 "doc_rows": row_counts_of(typed_report)[0], "trip_rows": row_counts_of(typed_report)[1],
                 "doc_kinds": {k: v.label for k, v in DOCUMENT_KINDS.items()}, "doc_fields": DOCUMENT_FIELDS,
                 "trip_fields": TRIP_FIELDS, "max_rows": MAX_ROWS, "pledge": machine.PLEDGE,
                 "names": actor_names(config.db, [h["actor"] for h in history] + [report.get("reviewer")]),
                 "error": error, "conflict": isinstance(error, Conflict), "submitted": submitted or {},
                 "today": config.today(), "tab": "self-reports"}, status_code=status)


def row_counts_of(typed_report: dict | None) -> tuple[int, int]:
    if not typed_report:
        return BLANK_DOCUMENT_ROWS, BLANK_TRIP_ROWS
    return int(typed_report.get("doc_rows", BLANK_DOCUMENT_ROWS)), int(typed_report.get("trip_rows", BLANK_TRIP_ROWS))


def _last_or_registry(config, account: Account, id_number: str, campaign_id: int, report: dict) -> dict:
    """A returned report's last submission when the reader sees its numbers in full; else the registry's
    documents the campaign asks about (the `self-report form` file)."""
    if report["submissions"]:
        last = report["submissions"][-1]
        if all("number" in d for d in last["documents"]):
            return {"documents": last["documents"], "trips": last["trips"], "notes": report.get("notes")}
    return queries.prefilled_report(config.db, id_number, campaign_id, actor_login=account.login,
                                    today=config.today())


@router.get("/travel/self-reports/{campaign_id}/persons/{person_id}")
def show(request: Request, campaign_id: RowId, person_id: RowId, account: Account = Depends(page_user)) -> Response:
    return report_page(request, account, campaign_id, person_id)


def _in_scope(request: Request, account: Account, campaign_id: int, person_id: int):
    """The person (and the campaign) as the reader may see them, or the same 404 as an unknown one."""
    config = web_config(request)
    try:
        person = report_person(config.db, person_id, actor_login=account.login)
        queries.show_report(config.db, person.id_number, campaign_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return None, error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    return person, None


def _posted_rows(form: FormData) -> dict:
    """The posted report form as typed, with one more row when a 增加一行 button was pressed."""
    values = typed(form)
    documents, trips = row_counts(form)
    action = values.get("action")
    values["doc_rows"] = str(min(MAX_ROWS, documents + (action == "add_document")))
    values["trip_rows"] = str(min(MAX_ROWS, trips + (action == "add_trip")))
    return values


@router.post("/travel/self-reports/{campaign_id}/persons/{person_id}/{step}")
def post_step(request: Request, campaign_id: RowId, person_id: RowId, step: Literal["submit", "review"],
              form: FormData = Depends(checked_form), account: Account = Depends(page_user)) -> Response:
    """报送 (`submit`) or 审核 (`review`: confirm or return) of the person's report."""
    require_self_report_user(account)
    person, not_found = _in_scope(request, account, campaign_id, person_id)
    if not_found:
        return not_found
    return (_submit if step == "submit" else _review)(request, account, campaign_id, person_id, person, form)


def _submit(request: Request, account: Account, campaign_id: int, person_id: int, person, form: FormData) -> Response:
    config = web_config(request)
    try:
        posted = _posted_rows(form)
        if posted.get("action") in ("add_document", "add_trip"):  # nothing is written: the form, one row longer
            return report_page(request, account, campaign_id, person_id, form_typed=posted,
                               submitted={"trigger": "submit"})
        documents, trips = report_lines(form)
        steps = step_fields(form)
        result = services.submit_report(
            config.db, person.id_number, campaign_id, documents=documents, trips=trips,
            zero_report=form.get("zero_report") == "on", pledge_signed=form.get("pledge_signed") == "on",
            notes=forms.text(form, "notes", label="其他需要说明情况"), actor_login=account.login, today=config.today(),
            at=steps["at"], expected_version=steps["expected_version"])
    except LostContactError as error:
        return report_page(request, account, campaign_id, person_id, error=error,
                           submitted={"trigger": "submit"}, form_typed=_posted_rows_or_typed(form))
    response = RedirectResponse(f"/travel/self-reports/{campaign_id}/persons/{person_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已报送，状态：{machine.STATES[result.to_state]}")
    return response


def _posted_rows_or_typed(form: FormData) -> dict:
    try:
        return _posted_rows(form)
    except UsageError:  # a tampered row count: the form drawn again with its defaults
        return {k: v for k, v in typed(form).items() if k not in ("doc_rows", "trip_rows")}


def _review(request: Request, account: Account, campaign_id: int, person_id: int, person, form: FormData) -> Response:
    config = web_config(request)
    try:
        trigger = forms.text(form, "trigger", max_length=10)
        if trigger not in ("confirm", "return"):
            raise UsageError("请选择审核确认或退回修改", "choose confirm or return")
        steps = step_fields(form)
        if trigger == "return" and steps["note"] is None:
            raise UsageError("退回修改须填写“退回原因”（需要更正的内容）", "a return needs the reason")
        result = services.review_report(config.db, person.id_number, campaign_id, trigger, note=steps["note"],
                                        actor_login=account.login, today=config.today(), at=steps["at"],
                                        expected_version=steps["expected_version"])
    except LostContactError as error:
        return report_page(request, account, campaign_id, person_id, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/self-reports/{campaign_id}/persons/{person_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已{machine.TRIGGERS[trigger]}，状态：{machine.STATES[result.to_state]}")
    return response
