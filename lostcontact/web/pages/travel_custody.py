"""证件管理 · 证件保管: 应交尽交 (the documents outside custody), the document list, and one document's page with
its custody steps (receive, check out against an approved trip, return, release, report lost, verify the loss,
revoke) through the same service as `document receive|check-out|…`.

A document outside the reader's subtrees is answered exactly as an unknown document (404, same words)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError
from statemachines.travel import custody

from ...queries.travel import custody as queries
from ...queries.travel import trips
from ...queries.travel.web_refs import actor_names, document_person_id
from ...services.auth import Account
from ...services.travel.documents import fire_custody
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..render import page
from ..travel_pages import require_travel_user, step_fields, typed

router = APIRouter(include_in_schema=False)
DocumentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
OrgCode = Annotated[str | None, Query(max_length=40)]


@router.get("/travel/custody")
def gaps(request: Request, org: OrgCode = None, overdue: bool = False,
         account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    rows = queries.custody_gaps(config.db, actor_login=account.login, today=config.today(), org_code=org or None,
                                overdue_only=overdue)
    return page(request, "pages/travel_custody.html", {"rows": rows, "overdue": overdue, "org": org or "",
                                                       "today": config.today(), "tab": "custody"})


@router.get("/travel/documents")
def documents(request: Request, org: OrgCode = None, state: Annotated[str | None, Query(max_length=20)] = None,
              account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    rows = queries.list_documents(config.db, actor_login=account.login, today=config.today(), org_code=org or None,
                                  state=state or None)
    return page(request, "pages/travel_documents.html", {"rows": rows, "state": state or "", "org": org or "",
                                                         "today": config.today(), "tab": "custody"})


def available_triggers(state: str) -> list[str]:
    """The custody steps a person may take from `state` (the machine's guards still decide)."""
    return [t["trigger"] for t in custody.TRANSITIONS if t["trigger"] in custody.TRIGGERS
            and state in ([t["source"]] if isinstance(t["source"], str) else t["source"])]


def document_page(request: Request, account: Account, document_id: int, *, error: LostContactError | None = None,
                  submitted: dict | None = None) -> Response:
    require_travel_user(account)
    config = web_config(request)
    document = queries.show_document(config.db, document_id, actor_login=account.login, today=config.today())
    # the full number is shown to exactly who may act: the holder's cadre supervisor (access.py)
    can_act = "number" in document
    triggers = available_triggers(document["state"]) if can_act else []
    approved = []
    if "check_out" in triggers:  # the holder's approved trips with this document: what a checkout is against
        approved = [t for t in trips.list_trips(config.db, actor_login=account.login, today=config.today(),
                                                org_code=document["org"], state="approved")
                    if t["document_id"] == document_id]
    status = classify(error, request.method)[1] if error else 200
    return page(request, "pages/travel_document.html",
                {"d": document, "person_id": document_person_id(config.db, document_id), "triggers": triggers,
                 "approved_trips": approved, "names": actor_names(config.db, [h["actor"] for h in document["history"]]),
                 "error": error, "conflict": isinstance(error, Conflict), "submitted": submitted or {},
                 "today": config.today(), "tab": "custody"}, status_code=status)


@router.get("/travel/documents/{document_id}")
def show(request: Request, document_id: DocumentId, account: Account = Depends(page_user)) -> Response:
    return document_page(request, account, document_id)


@router.post("/travel/documents/{document_id}/custody")
def fire(request: Request, document_id: DocumentId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        queries.show_document(config.db, document_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    try:
        trigger = forms.text(form, "trigger", max_length=20)
        if trigger not in custody.TRIGGERS:
            raise UsageError("请选择要办理的保管事项", "choose the custody step")
        trip_id = forms.integer(form, "trip_id", "出行申请") if trigger == "check_out" else None
        result = fire_custody(config.db, document_id, trigger, actor_login=account.login, today=config.today(),
                              trip_id=trip_id, kept_at=forms.text(form, "kept_at", max_length=200),
                              **step_fields(form))
    except LostContactError as error:
        return document_page(request, account, document_id, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/documents/{document_id}", status_code=303)
    late = "（已逾期）" if result.late else ""
    cookies(request).flash(response, "ok", f"已办理{custody.TRIGGERS[trigger]}{late}，"
                                           f"保管状态：{custody.STATES[result.to_state]}")
    return response
