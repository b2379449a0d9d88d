"""纪检登记 · 登记: the register's entries as of a day (by category, state and org, a page at a time, their total
counted up to 1,000) and one entry with its history, its linked lost-contact case and its person's flight risk,
where the discipline officer over it ends it (已取得联系, 已归案/已回国, 确认死亡, 撤销) through the same service as
`discipline find|return|decease|revoke`.

A step carries the entry's version as read: when someone acted first the page is drawn again in the entry's new
state, saying so (409), with what was typed kept. An entry outside the reader's subtrees is answered exactly as
an unknown one (404, same words), for a form post too."""
from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.discipline import register as machine
from statemachines.discipline.codes import CATEGORIES, STATES, TRIGGERS
from statemachines.errors import BadInput, Conflict, LostContactError, Refused, UsageError

from ...queries.discipline import entries_page, show_entry
from ...queries.discipline_web import keeps_entry
from ...queries.travel.web_refs import actor_names
from ...services.auth import Account
from ...services.discipline.register import fire_entry
from ..deps import checked_form, cookies, page_user, web_config
from ..discipline_pages import require_register_user
from ..errors import classify, error_page
from ..render import page
from ..travel_pages import step_fields, typed
from .discipline import AsOf, OrgCode, as_of_day

router = APIRouter(include_in_schema=False)
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str | None, Query(max_length=12)]
PER_PAGE = 50
CONFLICT_MESSAGE = "其他用户已先办理了该登记，您看到的页面已过期。页面已刷新为最新状态，请核对后重新操作。"


@router.get("/discipline/entries")
def entries(request: Request, category: Code = None, state: Code = None, org: OrgCode = None, as_of: AsOf = None,
            page_no: int = Query(1, alias="page", ge=1, le=100_000),
            account: Account = Depends(page_user)) -> Response:
    require_register_user(account)
    config = web_config(request)
    day = as_of_day(as_of, config.today())
    if category and category not in CATEGORIES:
        raise UsageError(f"未知类别 {category}", f"unknown category {category}")
    if state and state not in STATES:
        raise UsageError(f"未知状态 {state}", f"unknown state {state}")
    listing = entries_page(config.db, actor_login=account.login, today=config.today(), as_of=day,
                           org_code=org or None, category=category or None, state=state or None, page=page_no,
                           per_page=PER_PAGE)
    kept = {k: v for k, v in {"category": category, "state": state, "org": org,
                              "as_of": day.isoformat() if day != config.today() else None}.items() if v}

    def link(page_to: int) -> str:
        return "/discipline/entries?" + urlencode({**kept, "page": page_to})

    return page(request, "pages/discipline_entries.html",
                {"rows": listing.rows, "total": listing.total, "page": listing.page, "pages": listing.pages,
                 "link": link, "category": category or "", "state": state or "", "org": org or "", "as_of": day,
                 "today": config.today(), "tab": "entries"})


def steps_of(entry: dict, today: date) -> list[str]:
    """The steps the shared machine takes from the entry's state for its category (each tried on a copy, a note
    given: the note and the day are the form's to get right)."""
    since_on, opened_on = date.fromisoformat(entry["since_on"]), date.fromisoformat(entry["opened_on"])
    steps = []
    for trigger in TRIGGERS:
        copy = machine.Entry(entry["state"], entry["category"], since_on, opened_on)
        try:
            machine.fire(copy, trigger, machine.EntryContext(max(today, opened_on), "—"))
        except Refused:
            continue
        steps.append(trigger)
    return steps


def entry_page(request: Request, account: Account, entry_id: int, *, as_of: str | None = None,
               error: LostContactError | None = None, submitted: dict | None = None) -> Response:
    require_register_user(account)
    config = web_config(request)
    today = config.today()
    day = as_of_day(as_of, today)
    entry = show_entry(config.db, entry_id, actor_login=account.login, today=today, as_of=day)
    current = day == today and keeps_entry(config.db, entry_id, actor_login=account.login)
    status = classify(error, request.method)[1] if error else 200
    return page(request, "pages/discipline_entry.html",
                {"e": entry, "steps": steps_of(entry, today) if current else [], "today": today, "as_of": day,
                 "names": actor_names(config.db, [h["actor"] for h in entry["history"]]), "error": error,
                 "conflict": isinstance(error, Conflict), "submitted": submitted or {}, "tab": "entries"},
                status_code=status)


@router.get("/discipline/entries/{entry_id}")
def entry(request: Request, entry_id: EntryId, as_of: AsOf = None,
          account: Account = Depends(page_user)) -> Response:
    return entry_page(request, account, entry_id, as_of=as_of)


@router.post("/discipline/entries/{entry_id}/fire")
def fire(request: Request, entry_id: EntryId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    require_register_user(account)
    config = web_config(request)
    try:
        show_entry(config.db, entry_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    trigger = form.get("trigger")
    try:
        if trigger not in TRIGGERS:
            raise UsageError("请选择要办理的事项", "choose the entry's step")
        result = fire_entry(config.db, entry_id, trigger, actor_login=account.login, today=config.today(),
                            **step_fields(form))
    except Conflict as conflict:
        return entry_page(request, account, entry_id, error=Conflict(CONFLICT_MESSAGE, conflict.en),
                          submitted=typed(form))
    except LostContactError as error:
        return entry_page(request, account, entry_id, error=error, submitted=typed(form))
    response = RedirectResponse(f"/discipline/entries/{entry_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已办理“{TRIGGERS[trigger]}”，登记状态：{STATES[result.state]}")
    return response
