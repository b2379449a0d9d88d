"""证件管理's data entry for one person's holdings: recording a document they hold (`document add`; received
into custody next, on the document's page) and applying for a private trip with one of their private documents
(`trip apply`: a draft the unit then submits, on the trip's page, to the approvers the policy gives the
person's rank). The same services as the command line; only the person's cadre supervisor enters."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import LostContactError
from statemachines.travel import custody
from statemachines.travel.codes import DOCUMENT_KINDS, PRIVATE_KINDS
from statemachines.travel.trips import parse_places

from ...services.auth import Account
from ...services.travel.documents import add_document
from ...services.travel.trips import apply_trip
from .. import forms
from ..deps import checked_form, page_user, web_config
from ..travel_forms import done, enter, entry_person, form_page, required, required_day
from .travel_registry import PersonId

router = APIRouter(include_in_schema=False)


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
