"""One settings object, read from the environment (INTERFACE.md "Configuration")."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Settings:
    db_url: str = "sqlite:///./lostcontact.db"
    policy_path: str | None = None
    tz: str = "Asia/Shanghai"
    prefect_api_url: str | None = None

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            db_url=os.environ.get("LOSTCONTACT_DB") or cls.db_url,
            policy_path=os.environ.get("LOSTCONTACT_POLICY") or None,
            tz=os.environ.get("LOSTCONTACT_TZ") or cls.tz,
            prefect_api_url=os.environ.get("PREFECT_API_URL") or None,
        )

    def today(self) -> date:
        """Today in the configured zone: read at the entry points only, then passed down as a date."""
        return datetime.now(ZoneInfo(self.tz)).date()
