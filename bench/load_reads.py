"""What each read of the load test costs the server, one request at a time (issue 15): CPU that queueing under
load does not inflate much, next to the floor of any logged-in request.

    python -m bench.load_reads [--cases 3000] [--repeat 5] [--requests 40] [--url URL] [--json]

On bench/load_world.py's county (a fresh PostgreSQL database, dropped afterwards; or --url of one built
before), the app is driven in this process through its ASGI interface, the thread pool run inline, so the
process's CPU time is the server's own work (plus a small, constant client share). Per page:

  me       GET /api/me: the session lookup and a JSON answer, the floor of every logged-in request
  queue    GET /api/queue?limit=20 as a branch officer (我的待办)
  case     GET /api/cases/{id} as that officer (the case, its history, search log, attachments, actions)
  alerts   GET /alerts as the county supervisor (超期预警: counts, 200 overdue cases, the alert list)
  tally    GET /tally as the supervisor (the county's A–X tally as of today)

Reported: Python function calls per request (deterministic: the same on a busy machine), the statements
SQLAlchemy sends and the units of work (connections checked out of the pool) per request (deterministic
too), the round trips the driver makes (every statement on its cursors: SQLAlchemy's, each unit of work's
pool pre-ping and calendar check; plus the commits and rollbacks that end a transaction; not psycopg2's
BEGIN before a transaction's first statement, one more a unit of work), the process CPU
per request (best of --repeat rounds of --requests each), PostgreSQL's CPU per request (its backends'
/proc times, when the server runs on this machine) and the ratio of the CPU to the floor's.
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import load_world

PAGES = ("me", "queue", "case", "alerts", "tally")
OFFICER = "officer0"  # the load world's first branch account


def _postgres_cpu(db) -> float | None:
    """Seconds of CPU the database's backends have used (None when they are not processes of this machine)."""
    from sqlalchemy import text

    with db.engine.connect() as conn:
        pids = [row[0] for row in conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"),
                                               {"d": db.engine.url.database})]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


class _Counts:
    """Statements SQLAlchemy sends, connections checked out and the driver's round trips, on one engine."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = self.checkouts = self.round_trips = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "checkout", self._checkout)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)
        event.listen(engine, "connect", self._connect)
        engine.dispose()  # connections made from now on count their cursors' statements

    def _statement(self, *_args):
        self.statements += 1

    def _checkout(self, *_args):
        self.checkouts += 1

    def _end(self, conn):
        self.round_trips += conn.connection.dbapi_connection.info.transaction_status != 0  # not idle

    def _connect(self, dbapi_connection, _record):
        base = dbapi_connection.cursor_factory or __import__("psycopg2").extensions.cursor
        counts = self

        class Counted(base):
            def execute(self, *args, **kwargs):
                counts.round_trips += 1
                return super().execute(*args, **kwargs)

        dbapi_connection.cursor_factory = Counted

    def snapshot(self) -> tuple[int, int, int]:
        return self.statements, self.checkouts, self.round_trips


async def _measure(url: str, repeat: int, requests: int) -> dict[str, dict]:
    import anyio.to_thread
    import httpx

    from lostcontact.web import create_app
    from models.db import open_database

    async def inline(func, *args, **_options):  # the sync endpoints and dependencies, in this thread
        return func(*args)

    anyio.to_thread.run_sync = inline
    db = open_database(url)
    counts = _Counts(db.engine)
    app = create_app(db, secret_key="load-reads-bench-secret-key-0123456789")
    transport = httpx.ASGITransport(app=app)
    officer = httpx.AsyncClient(transport=transport, base_url="http://bench")
    supervisor = httpx.AsyncClient(transport=transport, base_url="http://bench")
    token = (await officer.post("/api/session", json={"login": OFFICER, "password": load_world.PASSWORD})
             ).json()["token"]
    officer.headers["Authorization"] = f"Bearer {token}"
    form = await supervisor.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    await supervisor.post("/login", data={"csrf_token": csrf, "login": "supervisor", "password": load_world.PASSWORD,
                                          "next": "/alerts"})
    case_id = (await officer.get("/api/queue", params={"limit": 20})).json()["cases"][0]["id"]
    calls = {"me": lambda: officer.get("/api/me"), "queue": lambda: officer.get("/api/queue", params={"limit": 20}),
             "case": lambda: officer.get(f"/api/cases/{case_id}"), "alerts": lambda: supervisor.get("/alerts"),
             "tally": lambda: supervisor.get("/tally")}
    out = {}
    try:
        for page in PAGES:
            call = calls[page]
            for _ in range(2):  # warm: statements compiled, templates loaded
                answer = await call()
                if answer.status_code != 200:
                    raise RuntimeError(f"{page}: {answer.status_code} {answer.text[:200]}")
            before = counts.snapshot()
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(10):
                await call()
            profile.disable()
            statements, checkouts, round_trips = ((b - a) / 10 for a, b in zip(before, counts.snapshot()))
            best, postgres = float("inf"), []
            for _ in range(repeat):
                pg_before, started = _postgres_cpu(db), time.process_time()
                for _ in range(requests):
                    await call()
                best = min(best, (time.process_time() - started) / requests * 1000)
                pg_after = _postgres_cpu(db)
                if pg_before is not None and pg_after is not None:
                    postgres.append((pg_after - pg_before) / requests * 1000)
            out[page] = {"calls": pstats.Stats(profile).total_calls / 10, "statements": statements,
                         "units_of_work": checkouts, "round_trips": round_trips, "cpu_ms": best,
                         "postgres_ms": min(postgres) if postgres else None}
    finally:
        db.dispose()
    return out


def run(pg_url: str | None, url: str | None, cases: int, repeat: int, requests: int) -> dict[str, dict]:
    if url is not None:
        return asyncio.run(_measure(url, repeat, requests))
    from .importing import Databases

    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-load-reads-"))
    databases = Databases(pg_url, workdir)
    try:
        url = databases.new("load_reads")
        from lostcontact.config import Settings

        load_world.build(url, cases, Settings.from_env().today())  # the app's business day, as bench.load's
        return asyncio.run(_measure(url, repeat, requests))
    finally:
        databases.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def metrics(result: dict[str, dict]) -> list[dict]:
    from .__main__ import metric

    floor = result["me"]["cpu_ms"]
    return [metric(f"load_read_{page}_cpu", "postgresql", round(result[page]["calls"]), result[page]["cpu_ms"], "ms",
                   floor, None) for page in PAGES if page != "me"]


def main(argv: list[str] | None = None) -> int:
    from .__main__ import postgres_url

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3_000, help="open cases of the county")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per page (the best is kept)")
    parser.add_argument("--requests", type=int, default=40, help="requests per round")
    parser.add_argument("--url", help="a database bench/load_world.py built before (not dropped)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    pg_url = postgres_url() if args.url is None else None
    if args.url is None and pg_url is None:
        print("load_reads skipped: PostgreSQL not reachable", file=sys.stderr)
        return 0
    result = run(pg_url, args.url, args.cases, args.repeat, args.requests)
    floor = result["me"]["cpu_ms"]
    out = sys.stderr if args.json else sys.stdout
    print(f"{'page':<8} {'calls/request':>14} {'statements':>11} {'units':>6} {'trips':>6} {'CPU ms':>8} {'÷ me':>6} "
          f"{'PostgreSQL ms':>14}", file=out)
    for page in PAGES:
        row = result[page]
        pg = "—" if row["postgres_ms"] is None else f"{row['postgres_ms']:.2f}"
        print(f"{page:<8} {row['calls']:>14,.0f} {row['statements']:>11g} {row['units_of_work']:>6g} "
              f"{row['round_trips']:>6g} {row['cpu_ms']:>8.2f} {row['cpu_ms'] / floor:>6.2f} {pg:>14}", file=out)
    if args.json:
        for row in metrics(result):
            print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
