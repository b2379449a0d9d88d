"""证件管理 · 人员: the registry (persons, 应备尽备) and one person's page (record, registration history,
documents, trips), where their cadre supervisor files, marks changed or revokes the registration through the
same service as `person register|change|unregister`.

A person outside the reader's subtrees is answered exactly as an unknown person id (404, same words), for a
form post too. Search terms (a name, the last digits of an ID number) are posted, never put in a URL.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError
from statemachines.travel import registration
from statemachines.travel.codes import REGISTRATION_STATUSES

from ...queries.discipline_web import register_flags
from ...queries.travel import registry, trips
from ...queries.travel.web_refs import actor_names, person_number, person_trip_ids
from ...services.auth import Account
from ...services.travel.persons import fire_registration
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..render import page
from ..travel_pages import landing, require_self_report_user, require_travel_user, step_fields, typed

router = APIRouter(include_in_schema=False)
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]
OrgCode = Annotated[str | None, Query(max_length=40)]
Status = Annotated[str | None, Query(max_length=20)]
MAX_TERM = 40


@router.get("/travel")
def home(account: Account = Depends(page_user)) -> Response:
    require_self_report_user(account)
    return RedirectResponse(landing(account), status_code=303)


def matches(row: dict, term: str) -> bool:
    """A name containing the term, or an ID number ending in it (the last digits a listing shows)."""
    digits = term.upper()
    return term in row["name"] or (digits.isalnum() and len(digits) <= 4
                                   and row["id_number_masked"].endswith(digits))


def _persons_page(request: Request, account: Account, *, view: str, status: str | None, org: str | None,
                  term: str | None = None) -> Response:
    require_travel_user(account)
    config = web_config(request)
    if status is not None and status not in REGISTRATION_STATUSES:
        raise UsageError(f"未知备案状态 {status}", f"unknown registration status {status}")
    if view == "gaps":
        rows = registry.registration_gaps(config.db, actor_login=account.login, today=config.today(),
                                          org_code=org, with_ids=True)
    else:
        rows = registry.list_persons(config.db, actor_login=account.login, today=config.today(), org_code=org,
                                     status=status, with_ids=True)
    if term:
        rows = [r for r in rows if matches(r, term)]
    return page(request, "pages/travel_persons.html",
                {"rows": rows, "view": view, "status": status, "org": org, "term": term or "",
                 "tab": view, "today": config.today()})


@router.get("/travel/persons")
def persons(request: Request, status: Status = None, org: OrgCode = None,
            account: Account = Depends(page_user)) -> Response:
    return _persons_page(request, account, view="persons", status=status or None, org=org or None)


@router.post("/travel/persons")
def search(request: Request, form: FormData = Depends(checked_form), account: Account = Depends(page_user)) -> Response:
    return _persons_page(request, account, view="persons", status=forms.text(form, "status", max_length=20),
                         org=forms.text(form, "org", max_length=40), term=forms.text(form, "q", max_length=MAX_TERM))


@router.get("/travel/gaps")
def gaps(request: Request, org: OrgCode = None, account: Account = Depends(page_user)) -> Response:
    return _persons_page(request, account, view="gaps", status=None, org=org or None)


def available_triggers(status: str) -> list[str]:
    """The registration steps the machine has from `status` (its guards still decide)."""
    return [t["trigger"] for t in registration.TRANSITIONS
            if status in ([t["source"]] if isinstance(t["source"], str) else t["source"])]


def person_page(request: Request, account: Account, person_id: int, *, error: LostContactError | None = None,
                submitted: dict | None = None) -> Response:
    require_travel_user(account)
    config = web_config(request)
    number = person_number(config.db, person_id, actor_login=account.login)
    person = registry.show_person(config.db, number, actor_login=account.login, today=config.today())
    person_trips = []
    if "history" in person:  # not the liaison's (registration status only)
        own = person_trip_ids(config.db, person_id)
        person_trips = [t for t in trips.list_trips(config.db, actor_login=account.login, today=config.today(),
                                                    org_code=person["org"]) if t["id"] in own]
    names = actor_names(config.db, [h["actor"] for h in person.get("history", [])])
    status = classify(error, request.method)[1] if error else 200
    # the full ID number is shown to exactly who may act: the person's cadre supervisor (access.py)
    can_act = "id_number" in person
    return page(request, "pages/travel_person.html",
                {"person": person, "person_id": person_id, "trips": person_trips, "names": names,
                 "triggers": available_triggers(person["registration_status"]) if can_act else [],
                 "error": error, "conflict": isinstance(error, Conflict), "submitted": submitted or {},
                 "register": register_flags(config.db, actor_login=account.login, today=config.today(),
                                            person_id=person_id),
                 "today": config.today(), "tab": "persons"}, status_code=status)


@router.get("/travel/persons/{person_id:int}")
def show(request: Request, person_id: PersonId, account: Account = Depends(page_user)) -> Response:
    return person_page(request, account, person_id)


@router.post("/travel/persons/{person_id}/registration")
def fire(request: Request, person_id: PersonId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        number = person_number(config.db, person_id, actor_login=account.login)
    except BadInput as unknown:
        return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    try:
        trigger = forms.text(form, "trigger", max_length=20)
        if trigger is None:
            raise UsageError("请选择要办理的备案事项", "choose the registration step")
        result = fire_registration(config.db, number, trigger, actor_login=account.login, today=config.today(),
                                   **step_fields(form))
    except LostContactError as error:
        return person_page(request, account, person_id, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/persons/{person_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已办理{registration.TRIGGERS[trigger]}，"
                                           f"备案状态：{REGISTRATION_STATUSES[result.registration_status]}")
    return response
