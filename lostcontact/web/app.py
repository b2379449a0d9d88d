"""The web app: server-rendered pages in Chinese and a JSON API under /api, on the service layer.

    create_app(Settings.from_env())      # what `lostcontact serve` runs (app_from_environment, in each worker)
    create_app(db, today=lambda: day)    # tests: a database and a fixed business day
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

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


def create_app(settings_or_db: Settings | Database, *, today: Callable[[], date] | None = None,
               now: Callable[[], datetime] | None = None, secret_key: str | None = None,
               secure_cookies: bool = False) -> FastAPI:
    config = WebConfig.build(settings_or_db, today=today, now=now, secret_key=secret_key,
                             secure_cookies=secure_cookies)
    # No Swagger/ReDoc pages: they load their scripts from a CDN. The schema itself is served.
    app = FastAPI(title="lostcontact 失联党员查找处置", version="1", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.config = config
    app.state.cookies = Cookies(config)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(LendingReads)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # `cases` before `case`: /cases/search is a page of its own, not a case number
    for module in (login, queue, cases, case, alerts, tally, printed, admin, admin_user, audit, account, member,
                   attachments, imports, travel_registry, travel_custody,
                   travel_trips, travel_review, travel_problem_entry, travel_police, travel_self_reports, travel_entry,
                   discipline, discipline_entries):
        app.include_router(module.router)
    app.include_router(api_router, prefix="/api")
    errors.install(app)
    return app


def app_from_environment() -> FastAPI:
    """The app of one `lostcontact serve --workers N` process: the database and settings from the environment."""
    return create_app(Settings.from_env())
