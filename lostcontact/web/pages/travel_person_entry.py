"""证件管理 · 人员's data entry: recording a person (`person add`) and editing one (`person edit`), through the
same services as the command line — the ID number checked as the importer checks it (python-stdnum), the
roster's member with that number linked, a registered person whose org, unit, post or authority changed marked
for re-filing.

An edit sends only what the user changed from the values the form was drawn with (kept in hidden fields), at
the version read: if someone else edited first, the form comes back with the conflict, what was typed and the
record as it now is; a second try then applies only this user's own changes. An optional field emptied is
cleared (a value set by mistake); the name, rank and org cannot be emptied."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.responses import Response

from statemachines.errors import LostContactError, UsageError
from statemachines.travel.codes import REGISTRATION_STATUSES

from ...masking import mask_id
from ...queries.travel.web_refs import custodian_orgs, person_id_of
from ...services.auth import Account
from ...services.travel.persons import TEXT_LABELS, add_person, edit_person
from .. import forms
from ..deps import checked_form, page_user, web_config
from ..travel_forms import done, enter, entry_person, form_page, required
from ..travel_pages import require_travel_user, typed
from .travel_registry import PersonId

router = APIRouter(include_in_schema=False)
TEMPLATE = "pages/travel_person_form.html"
# what the form calls each field it sends (the services' own labels for the texts)
LABELS = {"org": "管理单位", "rank": "职级", "person_type": "登记备案人员类别", "political_status": "政治面貌",
          **TEXT_LABELS}
OPTIONAL = ("person_type", "work_unit", "post", "authority", "political_status", "former_names", "household_place")
EDITED = ("name", "org", "rank", *OPTIONAL)


def _text(form: FormData, name: str) -> str | None:
    return forms.text(form, name, label=LABELS[name])


def person_form(request: Request, account: Account, *, error: LostContactError | None = None,
                submitted: dict | None = None) -> Response:
    require_travel_user(account)
    orgs = custodian_orgs(web_config(request).db, actor_login=account.login)
    if not orgs:  # not a cadre supervisor anywhere: the form is not theirs to know of
        raise HTTPException(404)
    return form_page(request, TEMPLATE, {"mode": "add", "p": None, "orgs": orgs, "tab": "persons"}, error=error,
                     submitted=submitted)


@router.get("/travel/persons/new")
def new_person(request: Request, account: Account = Depends(page_user)) -> Response:
    return person_form(request, account)


@router.post("/travel/persons/new")
def add(request: Request, form: FormData = Depends(checked_form), account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        number = required(form, "id_number", "身份证号", max_length=40)
        result = add_person(config.db, number, name=required(form, "name", LABELS["name"]),
                            org_code=required(form, "org", LABELS["org"], max_length=40),
                            rank=required(form, "rank", LABELS["rank"], max_length=40), actor_login=account.login,
                            today=config.today(), at=forms.day(form, "at", "登记日期"),
                            **{k: v for k in OPTIONAL if (v := _text(form, k)) is not None})
    except LostContactError as error:
        return person_form(request, account, error=error, submitted=typed(form))
    return done(request, f"/travel/persons/{person_id_of(config.db, result.id_number)}",
                f"已登记人员 {mask_id(result.id_number)}（未备案）")


def edit_page(request: Request, account: Account, person_id: int, *, error: LostContactError | None = None,
              submitted: dict | None = None) -> Response:
    _number, person = entry_person(request, account, person_id)
    return form_page(request, TEMPLATE, {"mode": "edit", "p": person, "person_id": person_id, "tab": "persons",
                                         "orgs": custodian_orgs(web_config(request).db, actor_login=account.login)},
                     error=error, submitted=submitted)


@router.get("/travel/persons/{person_id:int}/edit")
def edit_form(request: Request, person_id: PersonId, account: Account = Depends(page_user)) -> Response:
    return edit_page(request, account, person_id)


def changed_fields(form: FormData) -> tuple[dict, tuple[str, ...]]:
    """The fields whose value differs from the one the form was drawn with, and those emptied (an optional
    field cleared; the service refuses emptying the name, rank or org, and the type of a person on file)."""
    changed, cleared = {}, []
    for name in EDITED:
        value, was = _text(form, name), forms.text(form, f"was_{name}", label=LABELS[name])
        if value == was:
            continue
        if value is None:
            cleared.append(name)
        else:
            changed[name] = value
    if not changed and not cleared:
        raise UsageError("没有要修改的内容", "nothing was changed")
    return changed, tuple(cleared)


@router.post("/travel/persons/{person_id:int}/edit")
def edit(request: Request, person_id: PersonId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    config = web_config(request)

    def write(number: str) -> Response:
        changes, cleared = changed_fields(form)
        result = edit_person(config.db, number, actor_login=account.login, today=config.today(),
                             at=forms.day(form, "at"), expected_version=forms.integer(form, "version"),
                             org_code=changes.pop("org", None), clear=cleared, **changes)
        return done(request, f"/travel/persons/{person_id}",
                    f"已修改人员信息，备案状态：{REGISTRATION_STATUSES[result.registration_status]}")
    return enter(request, account, person_id, form, edit_page, write)
