"""What the web app is built from: the database, the settings, the clock, the secret that signs cookies."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable

from models.db import Database, open_database

from ..config import Settings

SESSION_HOURS = 8          # a login lasts a working day, then the user signs in again
SECRET_ENV = "LOSTCONTACT_SECRET_KEY"


def fresh_secret_key() -> str:
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebConfig:
    db: Database
    settings: Settings
    today: Callable[[], date]          # the business day (Settings.today(): today in LOSTCONTACT_TZ)
    now: Callable[[], datetime]        # the wall clock, for session expiry and login lockout only
    secret_key: str
    session_seconds: int = SESSION_HOURS * 3600
    secure_cookies: bool = False       # set behind HTTPS (a reverse proxy): cookies then travel over TLS only

    @classmethod
    def build(cls, settings_or_db: Settings | Database, *, today: Callable[[], date] | None = None,
              now: Callable[[], datetime] | None = None, secret_key: str | None = None,
              secure_cookies: bool = False) -> "WebConfig":
        if isinstance(settings_or_db, Database):
            db, settings = settings_or_db, Settings.from_env()
        else:
            settings = settings_or_db
            db = open_database(settings.db_url, busy_seconds=settings.sqlite_busy_seconds)
        # Without a configured key each start signs with a fresh one: every session ends on a restart.
        key = secret_key or os.environ.get(SECRET_ENV) or fresh_secret_key()
        return cls(db=db, settings=settings, today=today or settings.today,
                   now=now or (lambda: datetime.now(timezone.utc)), secret_key=key,
                   secure_cookies=secure_cookies or settings.secure_cookies)
