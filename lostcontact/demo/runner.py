"""Running the demo: a fresh database, the roster, D days of sweeps and officers' work.

The caller decides the dates (the CLI ends the demo on the settings' today unless `--start` fixes them):
nothing here reads the wall clock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter, process_time

from models.db import open_database

from ..services.setup import init_database
from .officers import Officers
from .roster import COUNTY, build_orgs, build_roster

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


def demo_start(end: date, days: int) -> date:
    """The first day of a demo of `days` days that ends on `end`."""
    return end - timedelta(days=max(days, 1) - 1)


def run_demo(*, start: date, members: int = 300, seed: int = 1, days: int = 30, path: Path | None = None,
             password_hash: str | None = None, progress=None) -> DemoResult:
    """`password_hash`: every demo user's login password (hashed by the caller), so that they can log in to
    the web app; without it they cannot."""
    from workflows.orchestration import run_in_process

    started = perf_counter()
    url = _fresh(path or Path.cwd() / DEMO_FILE)
    db = open_database(url)
    try:
        init_database(db)
        orgs = build_orgs(db, password_hash=password_hash)
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




TRAVEL_FORM_FILE = "lostcontact-demo-management.html"


def run_travel_demo(*, last: date, seed: int = 1, persons: int = 60, path: Path | None = None,
                    password_hash: str | None = None, after_lost_contact: bool = False):
    """`demo --programme travel`: the travel programme's story ending on `last` (demo/travel.py) in a fresh
    database with the demo's org tree and users — or, `after_lost_contact`, added to the database the
    lost-contact demo just left at `path` (`--programme all`) — and its summary form (附件3) as of that day next
    to the database. Returns the story's TravelDemo (its `form`: the form's path)."""
    from ..reports.travel_forms import render_travel_form
    from .travel import tell
    from .travel_cast import CADRE

    started, cpu_started = perf_counter(), process_time()
    path = path or Path.cwd() / DEMO_FILE
    url = f"sqlite:///{path}" if after_lost_contact else _fresh(path)
    db = open_database(url)
    try:
        if not after_lost_contact:
            init_database(db)
            build_orgs(db, password_hash=password_hash)
        story = tell(db, last=last, seed=seed, persons_count=persons, folder=path.parent, password_hash=password_hash)
        story.db_url, story.form = url, path.parent / TRAVEL_FORM_FILE
        render_travel_form(db, "management", today=last, as_of=last, actor_login=CADRE, path=story.form)
        story.seconds, story.cpu_seconds = perf_counter() - started, process_time() - cpu_started
        return story
    finally:
        db.dispose()


__all__ = ["run_demo", "run_travel_demo", "demo_start", "DemoResult", "DEMO_FILE", "TRAVEL_FORM_FILE"]
