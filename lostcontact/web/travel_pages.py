"""What the 证件管理 pages share: who may open them (a travel role: the readers of PROGRAMMES.md §8), where
the 证件管理 link lands each of them, and reading a posted step (its version, note and day) the same way on
every travel form."""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from ..services.account import Account
from ..services.travel.access import READERS, STATUS_ONLY
from . import forms

# the travel roles' landing pages, first match wins: the desk a role works at
LANDINGS = (("cadre_supervisor", "/travel/persons"), ("discipline_officer", "/travel/trips"),
            ("exit_entry_liaison", "/travel/gaps"), ("admin", "/travel/persons"))


def is_travel_user(account: Account) -> bool:
    return bool(account.roles & set(READERS))


def reads_documents(account: Account) -> bool:
    """More than registration status: documents, trips, self-reports (not the liaison's, access.status_only)."""
    return bool(account.roles & (set(READERS) - set(STATUS_ONLY)))


def require_travel_user(account: Account) -> None:
    """Anyone else gets the app's own 页面不存在: the pages are not theirs to know of."""
    if not is_travel_user(account):
        raise HTTPException(404)


def landing(account: Account) -> str:
    return next((path for role, path in LANDINGS if role in account.roles), "/travel/persons")


def typed(form: FormData) -> dict:
    """What the user typed, to draw a refused or conflicting form again (never the CSRF token)."""
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def step_fields(form: FormData) -> dict:
    """The version read, the note and the day of a posted step, as the services take them."""
    return {"expected_version": forms.integer(form, "version"), "note": forms.text(form, "note", label="说明"),
            "at": forms.day(form, "at")}
