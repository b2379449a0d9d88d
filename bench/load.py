"""A bounded load test of the web app on PostgreSQL over HTTP (issue 15).

    python -m bench.load [--seconds 300] [--users 50] [--cases 3000] [--think 0.5] [--workers 1] [--json]

Builds bench/load_world.py's county on a fresh PostgreSQL database (LOSTCONTACT_BENCH_PG, else
postgres@127.0.0.1:5432/test; dropped afterwards), starts the real server as `lostcontact serve` does
(uvicorn, --workers processes) on a free port of 127.0.0.1 — never another address — and lets --users simulated
users work on it at once for --seconds, then stops by itself:

* officers (60 %; three to a branch account, so two of them now and then act on the same case): 我的待办
  through the API, one case, then its next step — start the search, log a search (reached), confirm the
  contact, propose, submit for review, record the meeting's resolution — with the version they read;
* reviewers (20 %, shared committee accounts): their queue, one case, agree or approve it;
* supervisors (20 %): the 超期预警 page (/alerts) and the tally page (/tally), after logging in by the form.

The users arrive one by one, spread over a sixth of --seconds (at most 30 s), and log in (argon2, slow by
design: its times are shown, without a goal); each then waits a random 0–2 × --think seconds between
requests. The run is measured in steady state: once every user has logged in and WARM_UP_S more have passed,
the requests sent during the next --seconds are timed, and then the users stop. Reported per page: requests,
p50/p95/p99 ms and overall requests/s of that window; over the whole run, logins and warm-up included: errors
(any answer that is not a success, a 409 conflict, or a 403 refusing a search-log entry for a case someone
just moved on: goal none), conflicts (409: someone acted first), and the history check: the case history
and the search log written during the load equal the accepted requests exactly (nothing lost, nothing
extra). Goals: p95 ≤ 300 ms for reads, ≤ 500 ms for actions.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from . import load_world
from .load_users import LOGIN, Tally, officer, reviewer, supervisor

HOST = "127.0.0.1"   # the only address the benchmark serves on or talks to
READ_MS, ACTION_MS = 300.0, 500.0
# after the last login, before the timed window: the last users' first requests (a new connection, a first
# queue) are part of arriving, not of the steady state
WARM_UP_S = 2.0
READS = ("queue", "case", "alerts", "tally")
ACTIONS = ("log_search", "fire", "approve")
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, log: Path, workers: int = 1) -> subprocess.Popen:
    """`lostcontact serve` on 127.0.0.1:port against `url`, its log in `log`; returns once it answers."""
    import httpx

    script = Path(sys.executable).with_name("lostcontact")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "lostcontact.cli.main"]
    env = dict(os.environ, LOSTCONTACT_DB=url, LOSTCONTACT_SECRET_KEY="load-bench-secret-key-0123456789")
    server = subprocess.Popen([*command, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)], env=env,
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://{HOST}:{port}/login", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not answer within 60 s")


ROLES = (("officer", officer, 0.6), ("reviewer", reviewer, 0.2), ("supervisor", supervisor, 0.2))


def users_of(world: load_world.World, users: int) -> list[tuple]:
    """(function, login) of each simulated user: officers share branch accounts, reviewers committee ones."""
    counts = {name: max(1, round(users * share)) for name, _, share in ROLES}
    counts["officer"] = max(1, users - counts["reviewer"] - counts["supervisor"])
    logins = {"officer": world.officers, "reviewer": world.reviewers, "supervisor": (world.supervisor,)}
    return [(function, logins[name][k % len(logins[name])])
            for name, function, _ in ROLES for k in range(counts[name])]


def drive(base: str, plan: list[tuple], seconds: float, think: float, today: date) -> tuple[Tally, float]:
    """Run the users: they arrive one by one over a sixth of `seconds` (at most 30 s), as people come to work
    (a login checks an argon2 hash, slow by design, and fifty at the same instant would measure only that),
    and work until the window — `seconds` from WARM_UP_S after the last login — has passed. Returns the tally
    and the warm-up's seconds (from the first arrival to the window)."""
    import httpx

    tally = Tally()
    started = time.monotonic()
    ramp = min(30.0, seconds / 6)
    order = random.Random(1).sample(range(len(plan)), len(plan))  # roles mixed in order of arrival

    def user(arrival: int, function, login):
        time.sleep(arrival * ramp / len(plan))
        arrived = False
        with httpx.Client(base_url=base, timeout=30) as client:
            try:
                logged_in = LOGIN[function](client, tally, login)
                tally.arrive()
                arrived = True
                if logged_in:
                    function(client, tally, today, think)
            except Exception as failed:  # noqa: BLE001 - a user's crash is an error of the run, not of the others
                with tally.lock:
                    tally.errors.append(f"{function.__name__}: {type(failed).__name__}: {failed}")
            finally:
                if not arrived:  # crashed logging in: arrived all the same, so the window does not wait for it
                    tally.arrive()

    threads = [threading.Thread(target=user, args=(order[k], *entry), daemon=True) for k, entry in enumerate(plan)]
    for thread in threads:
        thread.start()
    # a login gives up after the client's 30 s: whoever has not arrived by then has failed, as an error
    tally.wait_for_arrivals(len(plan), ramp + 60)
    window = time.monotonic() + WARM_UP_S
    tally.measure(window, seconds)
    for thread in threads:
        thread.join(window + seconds + 60 - time.monotonic())
    return tally, window - started


def history_mismatch(url: str, marks: dict, tally: Tally) -> int:
    """Rows written that no accepted request explains, plus accepted requests with no row."""
    events, entries = load_world.written_since(url, marks)
    fired_diff = (Counter(events) - Counter(tally.fired)) + (Counter(tally.fired) - Counter(events))
    logged_diff = set(entries) ^ set(tally.logged)
    return sum(fired_diff.values()) + len(logged_diff)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(pg_url: str, seconds: float, users: int, cases: int, think: float, workers: int = 1) -> dict:
    """Build, serve, load, check; returns the figures (see report())."""
    from .importing import Databases

    from lostcontact.config import Settings

    # the server's business day, as the server reckons it: its wall clock in its time zone (China's, unless
    # LOSTCONTACT_TZ says otherwise), which is a day ahead of UTC's from 16:00 UTC
    today = Settings.from_env().today()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-load-"))
    databases = Databases(pg_url, workdir)
    try:
        url = databases.new("load")
        world = load_world.build(url, cases, today)
        marks = load_world.high_water(url)
        port = free_port()
        server = start_server(url, port, workdir / "server.log", workers)
        try:
            tally, warm_up = drive(f"http://{HOST}:{port}", users_of(world, users), seconds, think, today)
        finally:
            server.terminate()
            server.wait(30)
        return {"tally": tally, "seconds": seconds, "warm_up": warm_up, "users": users, "cases": cases,
                "workers": workers, "mismatch": history_mismatch(url, marks, tally)}
    finally:
        databases.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


def metrics(result: dict) -> list[dict]:
    """Metric rows: p95 of each page against its limit (goal ratio ≤ 1), requests/s, errors and history
    mismatches (goal 0: the floor is 1, so the ratio is the count)."""
    from .__main__ import metric

    tally = result["tally"]
    total = sum(len(v) for page, v in tally.ms.items() if page != "login")  # the window's requests
    rows = []
    for page in READS + ACTIONS:
        if tally.ms.get(page):
            limit = READ_MS if page in READS else ACTION_MS
            rows.append(metric(f"load_{page}_p95", "postgresql", len(tally.ms[page]), percentile(tally.ms[page], 95),
                               "ms", limit, 1.0))
    rows.append(metric("load_requests_per_s", "postgresql", total, total / result["seconds"], "req/s", 0, None))
    rows.append(metric("load_errors", "postgresql", total, len(tally.errors), "count", 1, 0.0))
    rows.append(metric("load_history_mismatch", "postgresql", len(tally.fired) + len(tally.logged),
                       result["mismatch"], "rows", 1, 0.0))
    return rows


def report(result: dict) -> list[str]:
    tally = result["tally"]
    total = sum(len(v) for page, v in tally.ms.items() if page != "login")
    lines = [f"{result['users']} users, {result['cases']:,} cases, {result.get('workers', 1)} server process(es); "
             f"logins and warm-up {result.get('warm_up', 0):.0f} s, then {result['seconds']:.0f} s measured: "
             f"{total:,} requests, {total / result['seconds']:.1f} requests/s",
             f"{'page':<12} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'409':>6} {'stale':>6}  goal"]
    for page in ("login",) + READS + ACTIONS:
        values = tally.ms.get(page)
        if not values:
            continue
        goal = "" if page == "login" else f"p95 ≤ {READ_MS if page in READS else ACTION_MS:g}"
        lines.append(f"{page:<12} {len(values):>9,} {percentile(values, 50):>8.1f} {percentile(values, 95):>8.1f} "
                     f"{percentile(values, 99):>8.1f} {tally.conflicts[page]:>6} {tally.stale[page]:>6}  {goal}")
    lines.append(f"over the whole run, warm-up included — accepted: {len(tally.fired):,} steps fired, "
                 f"{len(tally.logged):,} searches logged; conflicts "
                 f"(409) {sum(tally.conflicts.values()):,}; search logs refused as the case had moved on "
                 f"{sum(tally.stale.values()):,}; errors {len(tally.errors)}; history "
                 + ("equals the accepted requests" if result["mismatch"] == 0
                    else f"differs from the accepted requests by {result['mismatch']} rows"))
    lines += [f"  error: {error}" for error in tally.errors[:10]]
    return lines


def main(argv: list[str] | None = None) -> int:
    from .__main__ import postgres_url

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300, help="how long the users work (then it stops)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--cases", type=int, default=3_000, help="open cases at the start")
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds a user waits between requests")
    parser.add_argument("--workers", type=int, default=1, help="server processes (lostcontact serve --workers)")
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = parser.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    pg_url = postgres_url()
    if pg_url is None:
        print("load benchmark skipped: PostgreSQL not reachable (LOSTCONTACT_BENCH_PG or 127.0.0.1:5432/test)",
              file=sys.stderr)
        return 0
    result = run(pg_url, args.seconds, args.users, args.cases, args.think, args.workers)
    for line in report(result):
        print(line, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        for row in metrics(result):
            print(json.dumps(row))
    failed = result["tally"].errors or result["mismatch"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
