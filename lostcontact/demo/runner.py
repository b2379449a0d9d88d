"""Running the demo: a fresh database, the roster, D days of sweeps and officers' work."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter

from models.db import open_database

from ..services.setup import init_database
from .officers import Officers
from .roster import COUNTY, build_orgs, build_roster

DEFAULT_START = date(2025, 3, 1)
DEMO_FILE = "lostcontact-demo.db"


@dataclass
class DemoResult:
    db_url: str
    last_day: date
    profiles: dict[str, int]
    totals: dict[str, int] = field(default_factory=dict)
    actions: int = 0
    seconds: float = 0.0
    root: str = COUNTY


def _fresh(path: Path) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def run_demo(*, members: int = 300, seed: int = 1, days: int = 30, start: date = DEFAULT_START,
             path: Path | None = None, progress=None) -> DemoResult:
    from workflows.orchestration import run_in_process

    started = perf_counter()
    url = _fresh(path or Path.cwd() / DEMO_FILE)
    db = open_database(url)
    try:
        init_database(db)
        orgs = build_orgs(db)
        result = DemoResult(url, start + timedelta(days=max(days, 1) - 1),
                            build_roster(db, orgs, members=members, start=start, seed=seed))
        officers = Officers(db, orgs, seed)
        for offset in range(max(days, 1)):
            day = start + timedelta(days=offset)
            report = run_in_process(db, day)
            for key, value in report.counts.items():
                result.totals[key] = result.totals.get(key, 0) + value
            if day.weekday() < 5 or offset % 3 == 0:  # officers mostly work on working days
                result.actions += officers.work(day)
            if progress:
                progress(day, report.counts)
        result.seconds = perf_counter() - started
        return result
    finally:
        db.dispose()


__all__ = ["run_demo", "DemoResult", "DEFAULT_START", "DEMO_FILE"]
