"""纪检登记 (docs/discipline-register.md, "In the browser"): the discipline officer's landing — the persons of
their subtree without contact beyond the threshold as of a day, each with the form that records the failed
re-contact and makes the entry (失联, 外逃 or 出走) through the same service as `discipline add` — the flight-risk
list and the register's forms (附件1-1…1-4) as HTML, XLSX or PDF.

Anyone who does not read the register gets the app's 404 on every /discipline page; a person outside the
reader's subtrees is answered exactly as an unknown one. A refusal is drawn beside the form that was posted,
with what was typed kept."""
from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.discipline.codes import CATEGORIES
from statemachines.errors import BadInput, LostContactError, UsageError

from ...queries.discipline import candidates, flight_risks
from ...queries.travel.web_refs import person_number
from ...reports.kinds import DISCIPLINE_FORMS
from ...services.auth import Account
from ...services.dates import check_as_of
from ...services.discipline.register import add_entry
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..discipline_pages import keeps_register, require_register_user
from ..errors import classify, error_page
from ..form_downloads import form_response
from ..render import page
from ..travel_pages import typed

router = APIRouter(include_in_schema=False)
OrgCode = Annotated[str | None, Query(max_length=40)]
AsOf = Annotated[str | None, Query(max_length=10)]
OTHER = "other"   # the form for a person typed by ID number (外逃, 出走: not only the candidates)
FLED_FIELDS = {"documents_held": "外逃所持证照信息", "place": "所在地", "sanction": "处分情况", "case_filed_by": "立案单位",
               "suspected_offence": "涉嫌罪名", "amount_wan": "涉案金额"}


def as_of_day(value: str | None, today: date) -> date:
    """The day a page is read as of (empty: today; a future day is refused as the CLI refuses it)."""
    return check_as_of(forms.parse_day(value, "截至日期", "as_of"), today)


def candidates_page(request: Request, account: Account, *, as_of: str | None, org: str | None,
                    error: LostContactError | None = None, failed: str | None = None,
                    submitted: dict | None = None) -> Response:
    require_register_user(account)
    config = web_config(request)
    day = as_of_day(as_of, config.today())
    rows = candidates(config.db, actor_login=account.login, today=config.today(), as_of=day, org_code=org,
                      with_ids=True)
    status = classify(error, request.method)[1] if error else 200
    return page(request, "pages/discipline_candidates.html",
                {"rows": rows, "as_of": day, "org": org or "", "today": config.today(),
                 "keeper": keeps_register(account), "error": error, "failed": failed, "submitted": submitted or {},
                 "tab": "candidates"}, status_code=status)


@router.get("/discipline")
def landing(request: Request, as_of: AsOf = None, org: OrgCode = None,
            account: Account = Depends(page_user)) -> Response:
    return candidates_page(request, account, as_of=as_of, org=org or None)


def _entry_fields(form: FormData, category: str) -> dict:
    """The category's own fields of the posted form (the other categories' sections are not read)."""
    disciplined = {"yes": True, "no": False}.get(forms.text(form, "disciplined", max_length=3) or "")
    fields = {"disciplined": disciplined, "remarks": forms.text(form, "remarks", label="备注")}
    if category == "fled":
        fields.update({name: forms.text(form, name, label=label) for name, label in FLED_FIELDS.items()})
        fields["whereabouts"] = forms.text(form, "whereabouts", max_length=12)
        fields["case_filed_on"] = forms.day(form, "case_filed_on", "立案时间")
    elif category == "absconded":
        fields["region"] = forms.text(form, "region", label="所属地区")
    return fields


@router.post("/discipline/entries")
def make_entry(request: Request, form: FormData = Depends(checked_form),
               account: Account = Depends(page_user)) -> Response:
    """Record the failed re-contact and make the entry, as `discipline add`."""
    require_register_user(account)
    config = web_config(request)
    person = forms.text(form, "person_id", max_length=12)
    failed = person or OTHER
    redraw = partial(candidates_page, request, account, as_of=forms.text(form, "as_of", max_length=10),
                     org=forms.text(form, "org", max_length=40), failed=failed, submitted=typed(form))
    try:
        if person is not None:
            person_id = forms.integer(form, "person_id", "人员编号")
            try:
                number = person_number(config.db, person_id, actor_login=account.login)
            except BadInput as unknown:
                return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
        else:
            number = forms.text(form, "id_number", max_length=40)
            if number is None:
                raise UsageError("请填写身份证号", "give the ID number")
        category = forms.text(form, "category", max_length=12)
        if category not in CATEGORIES:
            raise UsageError("请选择登记类别（失联、外逃或出走）", "choose the category")
        since_on, recontact_on = forms.day(form, "since_on", f"{CATEGORIES[category]}时间"), forms.day(
            form, "recontact_on", "再次联系日期")
        if since_on is None or recontact_on is None:
            raise UsageError(f"请填写{CATEGORIES[category]}时间和再次联系日期", "give the since and re-contact days")
        result = add_entry(config.db, number, category, since_on=since_on, recontact_on=recontact_on,
                           recontact_note=forms.text(form, "recontact_note", label="再次联系情况") or "",
                           actor_login=account.login, today=config.today(), at=forms.day(form, "at", "登记日期"),
                           **_entry_fields(form, category))
    except LostContactError as error:
        return redraw(error=error)
    response = RedirectResponse(f"/discipline/entries/{result.id}", status_code=303)
    linked = f"，已关联失联党员案件 {result.case_id}" if result.case_id else ""
    cookies(request).flash(response, "ok", f"已登记为{CATEGORIES[category]}（第 {result.id} 号）{linked}")
    return response


@router.get("/discipline/risk")
def risk(request: Request, as_of: AsOf = None, org: OrgCode = None,
         account: Account = Depends(page_user)) -> Response:
    require_register_user(account)
    config = web_config(request)
    day = as_of_day(as_of, config.today())
    rows = flight_risks(config.db, actor_login=account.login, today=config.today(), as_of=day, org_code=org or None)
    return page(request, "pages/discipline_risk.html", {"rows": rows, "as_of": day, "org": org or "",
                                                        "today": config.today(), "tab": "risk"})


@router.get("/discipline/forms")
def forms_page(request: Request, as_of: AsOf = None, org: OrgCode = None,
               account: Account = Depends(page_user)) -> Response:
    require_register_user(account)
    config = web_config(request)
    day = as_of_day(as_of, config.today())
    return page(request, "pages/discipline_forms.html", {"kinds": DISCIPLINE_FORMS, "as_of": day, "org": org or "",
                                                         "today": config.today(), "tab": "forms"})


@router.get("/discipline/forms/{kind}")
def discipline_form(request: Request, kind: Annotated[str, Path(max_length=32)],
                    fmt: Literal["html", "xlsx", "pdf"] = Query("html", alias="format"), as_of: AsOf = None,
                    org: OrgCode = None, account: Account = Depends(page_user)) -> Response:
    """A form of the reader's subtree (or `org` in it) as of the day, rendered as `discipline form KIND` does."""
    from ...reports.discipline_forms import render_discipline_form

    require_register_user(account)
    config = web_config(request)
    day = as_of_day(as_of, config.today())
    render = partial(render_discipline_form, config.db, kind, today=config.today(), org_code=org or None, as_of=day,
                     actor_login=account.login)
    return form_response(render, kind, fmt, day=day, back=f"/discipline/forms?as_of={day.isoformat()}",
                         back_label="返回表格")
