"""What the 证件管理 pages share: who may open them (a travel role: the readers of PROGRAMMES.md §8; the
self-report pages also a party org's secretary, the 审核人 of 非公职党员's reports), where
the 证件管理 link lands each of them, and reading a posted step (its version, note and day) the same way on
every travel form."""
from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from ..services.account import Account
from ..services.travel.access import READERS, STATUS_ONLY
from ..services.travel.self_reports import PARTY_SECRETARIES
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


def reviews_party_reports(account: Account) -> bool:
    """A party org's secretary (services.travel.self_reports.PARTY_SECRETARIES): the 审核人 of the self-reports
    of the 非公职党员 of their subtree, who reads those reports and nothing else of 证件管理."""
    return bool(account.roles & set(PARTY_SECRETARIES))


def is_self_report_user(account: Account) -> bool:
    return is_travel_user(account) or reviews_party_reports(account)


def require_self_report_user(account: Account) -> None:
    """The self-report pages: the travel readers and the party secretaries (what each sees of a campaign and
    may do with a report is the services' rule); anyone else gets the app's 页面不存在."""
    if not is_self_report_user(account):
        raise HTTPException(404)


def landing(account: Account) -> str:
    if not is_travel_user(account) and reviews_party_reports(account):
        return "/travel/self-reports"
    return next((path for role, path in LANDINGS if role in account.roles), "/travel/persons")


def typed(form: FormData) -> dict:
    """What the user typed, to draw a refused or conflicting form again (never the CSRF token)."""
    return {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}


def step_fields(form: FormData) -> dict:
    """The version read, the note and the day of a posted step, as the services take them."""
    return {"expected_version": forms.integer(form, "version"), "note": forms.text(form, "note", label="说明"),
            "at": forms.day(form, "at")}
