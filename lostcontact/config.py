"""One settings object, read from the environment (INTERFACE.md "Configuration")."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from statemachines.errors import UsageError


@dataclass(frozen=True)
class Settings:
    db_url: str = "sqlite:///./lostcontact.db"
    policy_path: str | None = None
    tz: str = "Asia/Shanghai"
    prefect_api_url: str | None = None
    sqlite_busy_seconds: float | None = None  # None: the database layer's default (models.db); not imported
    # here, since every command reads its settings and must not pay for SQLAlchemy before it needs it
    secure_cookies: bool = False  # cookies Secure even over plain HTTP (behind a TLS proxy that says nothing)

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            db_url=os.environ.get("LOSTCONTACT_DB") or cls.db_url,
            policy_path=os.environ.get("LOSTCONTACT_POLICY") or None,
            tz=os.environ.get("LOSTCONTACT_TZ") or cls.tz,
            prefect_api_url=os.environ.get("PREFECT_API_URL") or None,
            sqlite_busy_seconds=_seconds("LOSTCONTACT_SQLITE_BUSY_SECONDS", cls.sqlite_busy_seconds),
            secure_cookies=(os.environ.get("LOSTCONTACT_SECURE_COOKIES") or "").strip().lower() in ("1", "true", "yes"),
        )

    def today(self) -> date:
        """Today in the configured zone: read at the entry points only, then passed down as a date."""
        return datetime.now(ZoneInfo(self.tz)).date()


def _seconds(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 600:
        raise UsageError(f"环境变量 {name} 应为 0 到 600 之间的秒数：{raw}", f"{name} must be seconds in (0, 600]: {raw}")
    return value
