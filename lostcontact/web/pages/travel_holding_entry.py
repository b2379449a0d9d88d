"""证件管理's data entry for one person's holdings: recording a document they hold (`document add`; received
into custody next, on the document's page) and applying for a private trip with one of their private documents
(`trip apply`: a draft the unit then submits, on the trip's page, to the approvers the policy gives the
person's rank), and editing that application while it awaits approval (`trip edit`, at the version read, only
the fields changed sent). The same services as the command line; only the person's cadre supervisor enters."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, LostContactError, UsageError
from statemachines.travel import custody
from statemachines.travel.codes import DOCUMENT_KINDS, PRIVATE_KINDS
from statemachines.travel.trips import APPLICATION_FIELDS, STATES as TRIP_STATES, parse_places

from ...services.auth import Account
from ...services.travel.documents import add_document
from ...services.travel.trips import apply_trip
from .. import forms
from ..deps import checked_form, page_user, web_config
from ..travel_forms import done, enter, entry_person, form_page, not_found, required, required_day
from ..travel_pages import require_travel_user, typed
from .travel_registry import PersonId

router = APIRouter(include_in_schema=False)
TripId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def document_page(request: Request, account: Account, person_id: int, *, error: LostContactError | None = None,
                  submitted: dict | None = None) -> Response:
    _number, person = entry_person(request, account, person_id)
    return form_page(request, "pages/travel_document_form.html", {"p": person, "person_id": person_id,
                                                                  "tab": "persons"},
                     error=error, submitted=submitted)


@router.get("/travel/persons/{person_id:int}/documents/new")
def new_document(request: Request, person_id: PersonId, account: Account = Depends(page_user)) -> Response:
    return document_page(request, account, person_id)


@router.post("/travel/persons/{person_id:int}/documents/new")
def add(request: Request, person_id: PersonId, form: FormData = Depends(checked_form),
        account: Account = Depends(page_user)) -> Response:
    config = web_config(request)

    def write(number: str) -> Response:
        kind = required(form, "kind", "证件类别", max_length=40)
        document_id = add_document(
            config.db, number, kind=kind, number=required(form, "number", "证件号码", max_length=80),
            issued_on=required_day(form, "issued_on", "签发日期"), expires_on=required_day(form, "expires_on", "有效期至"),
            issuing_authority=forms.text(form, "issuing_authority", label="签发机关"),
            name_on_document=forms.text(form, "name_on_document", label="证件姓名"),
            at=forms.day(form, "at", "登记日期"), actor_login=account.login, today=config.today())
        return done(request, f"/travel/documents/{document_id}",
                    f"已登记证件：{DOCUMENT_KINDS[kind].label}，本人持有，请办理收交保管")
    return enter(request, account, person_id, form, document_page, write)


def usable_documents(person: dict) -> list[dict]:
    """The person's private documents a trip may name (not lost or revoked); the service checks the rest."""
    return [d for d in person["documents"] if d["kind"] in PRIVATE_KINDS and d["state"] not in custody.GONE]


def trip_page(request: Request, account: Account, person_id: int, *, error: LostContactError | None = None,
              submitted: dict | None = None) -> Response:
    _number, person = entry_person(request, account, person_id)
    return form_page(request, "pages/travel_trip_form.html",
                     {"p": person, "person_id": person_id, "documents": usable_documents(person), "tab": "trips"},
                     error=error, submitted=submitted)


@router.get("/travel/persons/{person_id:int}/trips/new")
def new_trip(request: Request, person_id: PersonId, account: Account = Depends(page_user)) -> Response:
    return trip_page(request, account, person_id)


@router.post("/travel/persons/{person_id:int}/trips/new")
def apply(request: Request, person_id: PersonId, form: FormData = Depends(checked_form),
          account: Account = Depends(page_user)) -> Response:
    config = web_config(request)

    def write(number: str) -> Response:
        document_id = forms.integer(form, "document_id", "使用证件")
        if document_id is None:
            required(form, "document_id", "使用证件")
        result = apply_trip(
            config.db, number, document_id=document_id,
            destinations=parse_places(required(form, "destinations", "前往国家（地区）", max_length=2000)),
            reason=required(form, "reason", "事由"),
            planned_departure=required_day(form, "planned_departure", "拟出境日期"),
            planned_return=required_day(form, "planned_return", "拟回国（境）日期"),
            at=forms.day(form, "at", "申请日期"), actor_login=account.login, today=config.today())
        return done(request, f"/travel/trips/{result.trip_id}", f"已登记出行申请 {result.trip_id}（草稿），请报送审批")
    return enter(request, account, person_id, form, trip_page, write)


def _application_values(trip: dict) -> dict:
    """The application's fields as the trip form holds them."""
    return {"document_id": str(trip["document_id"]), "destinations": "、".join(trip["destinations"]),
            "reason": trip["reason"], "planned_departure": trip["planned_departure"],
            "planned_return": trip["planned_return"]}


def trip_edit_page(request: Request, account: Account, trip_id: int, *, error: LostContactError | None = None,
                   submitted: dict | None = None) -> Response:
    """The application's form filled in as it stands, for the unit's cadre supervisor while it awaits approval
    (`edit` among the user's steps); to anyone else, or afterwards, the app's 404 in the words of an unknown
    trip."""
    from ...queries.travel import registry, trips as trip_queries
    from ...queries.travel.trip_queue import my_steps
    from ...services.travel.trips import unknown_trip

    require_travel_user(account)
    config = web_config(request)
    try:
        trip = trip_queries.show_trip(config.db, trip_id, actor_login=account.login, today=config.today())
        # a refused or stale edit is drawn again for the unit's cadre supervisor (who sees the numbers in full)
        may = ("person_id_number" in trip if error is not None
               else "edit" in my_steps(config.db, trip_id, actor_login=account.login, today=config.today()))
        if not may:
            raise unknown_trip(trip_id)
    except BadInput as unknown:
        return not_found(request, unknown)
    person = registry.show_person(config.db, trip["person_id_number"], actor_login=account.login,
                                  today=config.today())
    return form_page(request, "pages/travel_trip_form.html",
                     {"mode": "edit", "p": person, "person_id": None, "trip_id": trip_id, "state": trip["state"],
                      "version": trip["version"], "current": _application_values(trip), "fields": APPLICATION_FIELDS,
                      "documents": usable_documents(person), "tab": "trips"}, error=error, submitted=submitted)


@router.get("/travel/trips/{trip_id}/edit")
def edit_trip_form(request: Request, trip_id: TripId, account: Account = Depends(page_user)) -> Response:
    return trip_edit_page(request, account, trip_id)


def changed_application(form: FormData) -> dict:
    """The application's fields whose value differs from the one the form was drawn with (each required)."""
    labels = APPLICATION_FIELDS
    changed = {}
    for name in APPLICATION_FIELDS:
        value = required(form, name, labels[name], max_length=4000)
        if value != forms.text(form, f"was_{name}", max_length=4000, label=labels[name]):
            changed[name] = value
    if not changed:
        raise UsageError("没有要修改的内容", "nothing was changed")
    out: dict = {}
    if "document_id" in changed:
        out["document_id"] = forms.integer(form, "document_id", labels["document_id"])
    if "destinations" in changed:
        out["destinations"] = parse_places(changed["destinations"])
    if "reason" in changed:
        out["reason"] = changed["reason"]
    for name in ("planned_departure", "planned_return"):
        if name in changed:
            out[name] = required_day(form, name, labels[name])
    return out


@router.post("/travel/trips/{trip_id}/edit")
def edit_trip(request: Request, trip_id: TripId, form: FormData = Depends(checked_form),
              account: Account = Depends(page_user)) -> Response:
    """The fields changed, at the version read, through the service of `trip edit`: a refusal or a conflict
    draws the form again with what was typed (and, on a conflict, the application as it now stands)."""
    from ...queries.travel import trips as trip_queries
    from ...services.travel.trips import edit_trip as edit_application

    require_travel_user(account)
    config = web_config(request)
    try:
        trip_queries.show_trip(config.db, trip_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return not_found(request, unknown)
    try:
        result = edit_application(config.db, trip_id, actor_login=account.login, today=config.today(),
                                  at=forms.day(form, "at", "修改日期"), expected_version=forms.integer(form, "version"),
                                  **changed_application(form))
    except LostContactError as error:
        return trip_edit_page(request, account, trip_id, error=error, submitted=typed(form))
    return done(request, f"/travel/trips/{trip_id}",
                f"已修改出行申请 {trip_id}，状态：{TRIP_STATES[result.to_state]}")
