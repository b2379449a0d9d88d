"""证件管理 · 出行审批: the trips waiting for me (to consult, to decide, to submit, to record the return, to
close), all trips, and one trip's page with the steps I may take through the same service as `trip
submit|consult|approve|refuse|withdraw|depart|return|close`.

A trip outside the reader's subtrees is answered exactly as an unknown trip (404, same words)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, Conflict, LostContactError, UsageError
from statemachines.travel import trips as machine

from ...queries.travel import trips as queries
from ...queries.travel.trip_queue import my_steps, waiting_trips
from ...queries.travel.web_refs import actor_names
from ...services.auth import Account
from ...services.travel.trips import fire_trip
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..render import page
from ..travel_pages import require_travel_user, step_fields, typed

router = APIRouter(include_in_schema=False)
TripId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/travel/trips")
def queue(request: Request, account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    rows = waiting_trips(config.db, actor_login=account.login, today=config.today())
    return page(request, "pages/travel_trips.html", {"rows": rows, "view": "queue", "state": "",
                                                     "today": config.today(), "tab": "trips"})


@router.get("/travel/trips/all")
def all_trips(request: Request, state: Annotated[str | None, Query(max_length=20)] = None,
              account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    rows = queries.list_trips(config.db, actor_login=account.login, today=config.today(), state=state or None)
    return page(request, "pages/travel_trips.html", {"rows": rows, "view": "all", "state": state or "",
                                                     "today": config.today(), "tab": "trips"})


def trip_page(request: Request, account: Account, trip_id: int, *, error: LostContactError | None = None,
              submitted: dict | None = None) -> Response:
    require_travel_user(account)
    config = web_config(request)
    trip = queries.show_trip(config.db, trip_id, actor_login=account.login, today=config.today())
    status = classify(error, request.method)[1] if error else 200
    return page(request, "pages/travel_trip.html",
                {"t": trip, "steps": my_steps(config.db, trip_id, actor_login=account.login, today=config.today()),
                 "names": actor_names(config.db, [h["actor"] for h in trip["history"]] + [trip["approved_by"]]),
                 "error": error, "conflict": isinstance(error, Conflict), "submitted": submitted or {},
                 "today": config.today(), "tab": "trips"}, status_code=status)


@router.get("/travel/trips/{trip_id}")
def show(request: Request, trip_id: TripId, account: Account = Depends(page_user)) -> Response:
    return trip_page(request, account, trip_id)


@router.post("/travel/trips/{trip_id}/fire")
def fire(request: Request, trip_id: TripId, form: FormData = Depends(checked_form),
         account: Account = Depends(page_user)) -> Response:
    require_travel_user(account)
    config = web_config(request)
    try:
        queries.show_trip(config.db, trip_id, actor_login=account.login, today=config.today())
    except BadInput as unknown:
        return error_page(request, "bad_input", unknown.zh, unknown.en, 404)
    try:
        trigger = forms.text(form, "trigger", max_length=20)
        if trigger not in machine.TRIGGERS or trigger == "hand_out":
            raise UsageError("请选择要办理的事项", "choose the trip's step")
        places = forms.text(form, "places", max_length=2000)
        if trigger == "return" and places is None:
            raise UsageError("请填写实际前往国家（地区）", "give the places visited")
        extra = {"exit_on": forms.day(form, "exit_on", "实际出境日期")} if trigger == "depart" else {}
        if trigger == "return":
            extra = {"entry_on": forms.day(form, "entry_on", "实际入境日期"), "places": machine.parse_places(places)}
        result = fire_trip(config.db, trip_id, trigger, actor_login=account.login, today=config.today(),
                           **step_fields(form), **extra)
    except LostContactError as error:
        return trip_page(request, account, trip_id, error=error, submitted=typed(form))
    response = RedirectResponse(f"/travel/trips/{trip_id}", status_code=303)
    differs = "；".join(machine.DEVIATIONS[d] for d in result.deviations)
    cookies(request).flash(response, "ok", f"已办理{machine.TRIGGERS[trigger]}，状态：{machine.STATES[result.to_state]}"
                                           + (f"（与批准不符：{differs}）" if differs else ""))
    return response
