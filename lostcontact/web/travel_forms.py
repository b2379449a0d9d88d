"""What the 证件管理 data-entry forms share (recording and editing a person, recording a document, applying for
a private trip): the person a form is for — only their cadre supervisor enters anything about them
(PROGRAMMES.md §8); anyone else, and anyone outside the subtrees, is answered with the app's 404 in the words of
an unknown person —, required fields named in Chinese, and a refused form drawn again beside the reason with
what was typed. The services decide everything else, in the same words as on the command line."""
from __future__ import annotations

from datetime import date
from typing import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError

from ..queries.travel import registry
from ..queries.travel.web_refs import person_number, unknown_person_id
from ..services.account import Account
from . import forms
from .deps import cookies, web_config
from .errors import classify, error_page
from .render import page
from .travel_pages import require_travel_user, typed


def required(form: FormData, name: str, label: str, *, max_length: int = forms.MAX_TEXT) -> str:
    value = forms.text(form, name, max_length=max_length, label=label)
    if value is None:
        raise UsageError(f"请填写“{label}”", f"{name} is required")
    return value


def required_day(form: FormData, name: str, label: str) -> date:
    value = forms.day(form, name, label)
    if value is None:
        raise UsageError(f"请填写“{label}”", f"{name} is required")
    return value


def entry_person(request: Request, account: Account, person_id: int) -> tuple[str, dict]:
    """(ID number, the person as `person show` reads them) when the user is the person's cadre supervisor —
    the reader the full ID number is shown to (access.may_see_full_numbers) —, else BadInput: unknown person."""
    require_travel_user(account)
    config = web_config(request)
    number = person_number(config.db, person_id, actor_login=account.login)
    person = registry.show_person(config.db, number, actor_login=account.login, today=config.today())
    if "id_number" not in person:
        raise unknown_person_id(person_id)
    return number, person


def not_found(request: Request, error: BadInput) -> Response:
    """A post about a person the user may not enter for: the same 404 as opening their page."""
    return error_page(request, "bad_input", error.zh, error.en, 404)


def enter(request: Request, account: Account, person_id: int, form: FormData, redraw: Callable[..., Response],
          write: Callable[[str], Response]) -> Response:
    """A form posted about a person: the app's 404 unless the user is their cadre supervisor; else `write`
    (given the person's ID number) answers, and a refusal draws the form again (`redraw`) with what was typed."""
    try:
        number, _person = entry_person(request, account, person_id)
    except BadInput as unknown:
        return not_found(request, unknown)
    try:
        return write(number)
    except LostContactError as error:
        return redraw(request, account, person_id, error=error, submitted=typed(form))


def form_page(request: Request, template: str, context: dict, *, error: LostContactError | None = None,
              submitted: dict | None = None) -> Response:
    status = classify(error, request.method)[1] if error else 200
    return page(request, template, {**context, "error": error, "conflict": isinstance(error, Conflict),
                                    "submitted": submitted or {}, "today": web_config(request).today()},
                status_code=status)


def done(request: Request, url: str, message: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    cookies(request).flash(response, "ok", message)
    return response
