"""The web app: server-rendered pages in Chinese and a JSON API under /api, on the service layer.

    create_app(Settings.from_env())      # what `lostcontact serve` runs (app_from_environment, in each worker)
    create_app(db, today=lambda: day)    # tests: a database and a fixed business day

An app is its routes (pages, API, static files, middleware, error pages: the same for every database) and what
it serves from (`app.state`: the database, settings, clocks and the cookies signed with its key). FastAPI builds
an app's route table on its first requests (about 50 ms of CPU for every app), so `bind` can point an app built
once (`routed_app`) at another database instead of building a new one: tests over hundreds of databases do.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from models.db import Database

from ..config import Settings
from ..uow import end_lent, lending_reads
from . import errors
from .api.routes import router as api_router
from .config import WebConfig
from .pages import (account, admin, admin_user, alerts, attachments, audit, case, cases, discipline,
                    discipline_entries, imports, login, member, printed, queue, tally, travel_custody, travel_entry,
                    travel_police, travel_problem_entry, travel_registry, travel_review, travel_self_reports,
                    travel_trips)
from .security import HttpMiddleware, SecurityHeaders
from .sessions import Cookies

STATIC = Path(__file__).parent / "static"


class LendingReads(HttpMiddleware):
    """Each request's session lookup lends its read transaction to the page's reads (uow.lending_reads), and
    whatever is still lent when the response is sent is ended in a thread."""

    async def http(self, scope, receive, send):
        with lending_reads() as lent:
            try:
                await self.app(scope, receive, send)
            finally:
                if lent:
                    await run_in_threadpool(end_lent, lent)


def routed_app() -> FastAPI:
    """An app with its routes, middleware and error pages, serving from nothing yet (`bind`)."""
    # No Swagger/ReDoc pages: they load their scripts from a CDN. The schema itself is served.
    app = FastAPI(title="lostcontact 失联党员查找处置", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(LendingReads)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The API first: a request walks the routers in order, and on FastAPI 0.150 each router it passes costs
    # some 4–14 µs however few its routes (about 280 µs for /api/me behind the 26 page routers; a page now
    # passes the API's one router, about 10 µs). No page lives under /api, so the order decides nothing else.
    app.include_router(api_router, prefix="/api")
    # `cases` before `case`: /cases/search is a page of its own, not a case number
    for module in (login, queue, cases, case, alerts, tally, printed, admin, admin_user, audit, account, member,
                   attachments, imports, travel_registry, travel_custody,
                   travel_trips, travel_review, travel_problem_entry, travel_police, travel_self_reports, travel_entry,
                   discipline, discipline_entries):
        app.include_router(module.router)
    errors.install(app)
    return app


def bind(app: FastAPI, settings_or_db: Settings | Database, *, today: Callable[[], date] | None = None,
         now: Callable[[], datetime] | None = None, secret_key: str | None = None,
         secure_cookies: bool = False) -> FastAPI:
    """`app` (from `routed_app`) serving from `settings_or_db` from now on: its state is all new, so nothing
    a page kept on the app before (the import desk's upload store) carries over to the new database.
    Everything the app reads of its database, settings and clocks is in its state (web/deps.py)."""
    config = WebConfig.build(settings_or_db, today=today, now=now, secret_key=secret_key,
                             secure_cookies=secure_cookies)
    app.state = State()
    app.state.config = config
    app.state.cookies = Cookies(config)
    return app


def create_app(settings_or_db: Settings | Database, *, today: Callable[[], date] | None = None,
               now: Callable[[], datetime] | None = None, secret_key: str | None = None,
               secure_cookies: bool = False) -> FastAPI:
    return bind(routed_app(), settings_or_db, today=today, now=now, secret_key=secret_key,
                secure_cookies=secure_cookies)


def app_from_environment() -> FastAPI:
    """The app of one `lostcontact serve --workers N` process: the database and settings from the environment."""
    return create_app(Settings.from_env())
