"""The daily sweep against a floor measured in the same run (issue 3, "Performance").

    python -m bench.sweep [--members 1000000] [--large 5000000] [--dir DIR]

A roster on SQLite — 1% of members past six months without a case, open cases for a tenth of the roster
of which 10% have a step falling due (reminder, overdue, escalated), a branch per 100 members, and a
500th (a 1,000th) of the roster crossing the six- (five-) month boundary on the sweep day: 100,000 open
cases, 10,000 branches and 2,000 (1,000) crossings at 1M members — is swept twice, each time in a fresh process on a fresh copy, best of three (interleaved with the floor):

* full:  the first sweep ever (no earlier run: every member and case is looked at);
* daily: yesterday's sweep ran (for real, unmeasured), so only the day's crossings are looked at.

Each is compared with its floor: the bare SQL statements that select the same due sets and insert the
cases and alerts (fixed recipients, no eligibility history, no notices). Reported: seconds, ratio to the
floor (goal ≤ 3), peak RSS of the measuring process (goal < 500 MB), and the daily sweep over the
`--large` roster against the same day's crossings at `--members` (goal t(large) ≤ 1.5 × t(members)): the
large roster keeps the world of `--members` (its branches, open cases and crossings), only the roster grows.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .dbfiles import copy_synced

AS_OF = date(2016, 6, 20)


@dataclass(frozen=True)
class World:
    """What surrounds the roster, in proportion to a reference roster size (1M: 100,000 open cases,
    10,000 branches, 2,000 and 1,000 crossings), so that a smaller run (--medium) weighs the same parts
    as the full one; the 5× roster keeps the world of its reference size."""
    open_cases: int
    day_crossings: int  # members whose six months run out on the sweep day
    day_warnings: int   # members whose five months run out on the sweep day
    branches: int

    @classmethod
    def of(cls, members: int) -> "World":
        return cls(open_cases=members // 10, day_crossings=members // 500, day_warnings=members // 1000,
                   branches=max(members // 100, 100))


def _boundaries():
    from lostcontact.services.sweep.deadlines import last_due_escalated, last_due_reminded
    from statemachines.clocks import latest_since_crossing_on_or_before
    yesterday = AS_OF - timedelta(days=1)
    return {
        "six": latest_since_crossing_on_or_before(AS_OF, 6),
        "five": latest_since_crossing_on_or_before(AS_OF, 5),
        "reminded": (last_due_reminded(yesterday, 3), last_due_reminded(AS_OF, 3)),
        "escalated": (last_due_escalated(yesterday, 5), last_due_escalated(AS_OF, 5)),
    }


def build(path: Path, members: int, seed: int = 1, world: World | None = None) -> None:
    """The roster, straight into SQLite (bulk generation, not user actions); `world`: that of `members`
    unless given."""
    from lostcontact.policies import ensure_default_policy
    from lostcontact.uow import UnitOfWork
    from models import Base
    from models.db import open_database

    db = open_database(f"sqlite:///{path}")
    Base.metadata.create_all(db.engine)
    with UnitOfWork(db) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    db.dispose()
    world = world or World.of(members)
    b = _boundaries()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    member_indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='members' "
                                 "AND sql IS NOT NULL").fetchall()
    for name, _sql in member_indexes:
        con.execute(f"DROP INDEX {name}")
    orgs = [(1, "C0", "市委组织部", None, "city", "/1/", 0)]
    counties, committees = 10, 100
    for c in range(counties):
        orgs.append((2 + c, f"CO{c}", f"县{c}", 1, "county", f"/1/{2 + c}/", 1))
    for k in range(committees):
        county = 2 + k % counties
        oid = 100 + k
        orgs.append((oid, f"CM{k}", f"党委{k}", county, "committee", f"/1/{county}/{oid}/", 2))
    branch_ids = []
    for i in range(world.branches):
        k = i % committees
        county = 2 + k % counties
        oid = 1000 + i
        branch_ids.append(oid)
        orgs.append((oid, f"B{i}", f"支部{i}", 100 + k, "branch", f"/1/{county}/{100 + k}/{oid}/", 3))
    con.executemany("INSERT INTO orgs (id, code, name, parent_id, level, path, depth) VALUES (?,?,?,?,?,?,?)", orgs)
    recent_span = (AS_OF - b["five"]).days - 1           # last contact strictly inside five months
    old = members // 100                                 # 1% past six months, no case yet
    special = {"six": world.day_crossings, "five": world.day_warnings}
    open_cases, branches = world.open_cases, world.branches

    def rows():
        for mid in range(1, members + 1):
            if mid <= open_cases:
                last = b["six"] - timedelta(days=30 + mid % 180)
            elif mid <= open_cases + old:
                last = b["six"] - timedelta(days=1 + mid % 180)
            elif mid <= open_cases + old + special["six"]:
                last = b["six"]
            elif mid <= open_cases + old + special["six"] + special["five"]:
                last = b["five"]
            else:
                last = AS_OF - timedelta(days=rng.randrange(recent_span))
            yield (mid, f"M{mid:017d}", "党员", date(2000, 1, 1).isoformat(), "full", branch_ids[mid % branches],
                   0, 0, 0, 0, last.isoformat(), "2016-01-01 00:00:00")

    batch = []
    for row in rows():
        batch.append(row)
        if len(batch) == 50_000:
            con.executemany("INSERT INTO members (id, id_number, name, join_date, standing, branch_id, mobile, "
                            "reported, abroad, receipt_returned, last_contact_on, updated_at) "
                            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            batch = []
    if batch:
        con.executemany("INSERT INTO members (id, id_number, name, join_date, standing, branch_id, mobile, "
                        "reported, abroad, receipt_returned, last_contact_on, updated_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    for _name, sql in member_indexes:
        con.execute(sql)
    cases, events, deadlines = [], [], []
    lo_r, hi_r = b["reminded"]
    lo_e, hi_e = b["escalated"]
    due_sets = [hi_r, AS_OF - timedelta(days=1), hi_e]  # falling due today: reminder, overdue, escalated
    for cid in range(1, open_cases + 1):
        entered = AS_OF - timedelta(days=20)
        due = due_sets[cid % 3] if cid % 10 == 0 else AS_OF + timedelta(days=10 + cid % 30)
        cases.append((cid, cid, branch_ids[cid % branches], "searching", "R1", entered.isoformat(),
                      (entered - timedelta(days=200)).isoformat(), 2, entered.isoformat(), due.isoformat(), 0,
                      "default-1", entered.isoformat(), 2, 1))
        events.append((cid, 1, "open", None, "lost_contact", "system", "system", entered.isoformat(),
                       "2016-01-01 00:00:00"))
        events.append((cid, 2, "start_search", "lost_contact", "searching", "o", "branch_officer",
                       entered.isoformat(), "2016-01-01 00:00:00"))
        deadlines.append((cid, 2, "searching", entered.isoformat(), due.isoformat(), 0, "default-1",
                          entered.isoformat(), "2016-01-01 00:00:00"))
    con.executemany("INSERT INTO cases (id, member_id, branch_id, state, origin, opened_on, lost_since, step_seq, "
                    "step_entered_on, due_on, due_provisional, policy_version, last_event_on, last_seq, version) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cases)
    con.executemany("INSERT INTO case_events (case_id, seq, \"trigger\", from_state, to_state, actor, role, "
                    "effective_on, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)", events)
    con.executemany("INSERT INTO deadlines (case_id, step_seq, state, entered_on, due_on, provisional, "
                    "policy_version, effective_on, recorded_at) VALUES (?,?,?,?,?,?,?,?,?)", deadlines)
    con.commit()
    con.execute("ANALYZE")
    con.close()


def sweep_yesterday(path: Path) -> None:
    """The two days before, swept for real (in-process, not measured): the first sweep ever, then a daily
    one. Today's daily sweep then starts where a daily run in service starts — yesterday's cases, alerts
    and notices in place, the high-water marks of a completed daily run — and does only today's work, as
    the floor does. (A run marked completed without its alerts made today's sweep raise yesterday's
    reminders again; and a first sweep the day before leaves its ~12,000 openings as "changed since" to be
    looked at again today: neither is a day in service.)"""
    from models.db import open_database
    from workflows.orchestration import run_in_process

    db = open_database(f"sqlite:///{path}")
    run_in_process(db, AS_OF - timedelta(days=2))
    run_in_process(db, AS_OF - timedelta(days=1))
    db.dispose()


def floor(path: Path, daily: bool) -> dict:
    """The bare statements: select the due sets, insert the cases (with history and deadline) and alerts."""
    b = _boundaries()
    con = sqlite3.connect(path, isolation_level=None)
    # the settings the application's connections run with (models/db.py), so both pay the same commits
    # and foreign-key checks
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    # besides the wall clock, the process's own CPU time: on a shared machine the fsyncs of the WAL
    # checkpoints (paid by both sides) vary from run to run
    started, cpu = time.perf_counter(), time.process_time()
    six_lo = _boundaries_yesterday()["six"] if daily else "0000-00-00"
    due = (AS_OF + timedelta(days=7)).isoformat()
    con.execute("BEGIN")
    before = con.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]
    con.execute("INSERT INTO cases (member_id, branch_id, state, origin, opened_on, lost_since, step_seq, "
                "step_entered_on, due_on, due_provisional, policy_version, last_event_on, last_seq, version) "
                "SELECT m.id, m.branch_id, 'lost_contact', 'R1', ?1, m.last_contact_on, 1, ?1, ?2, 0, 'default-1', ?1, "
                "1, 1 FROM members m WHERE m.last_contact_on > ?3 AND m.last_contact_on <= ?4 AND NOT EXISTS "
                "(SELECT 1 FROM cases c WHERE c.member_id = m.id AND c.state NOT IN ('closed','deceased','voided'))",
                (AS_OF.isoformat(), due, str(six_lo), b["six"].isoformat()))
    con.execute("INSERT INTO case_events (case_id, seq, \"trigger\", to_state, actor, role, effective_on, recorded_at) "
                "SELECT id, 1, 'open', 'lost_contact', 'system', 'system', opened_on, '2016-01-01' FROM cases "
                "WHERE id > ?", (before,))
    con.execute("INSERT INTO deadlines (case_id, step_seq, state, entered_on, due_on, provisional, policy_version, "
                "effective_on, recorded_at) SELECT id, 1, 'lost_contact', opened_on, due_on, 0, 'default-1', "
                "opened_on, '2016-01-01' FROM cases WHERE id > ?", (before,))
    lo_r, hi_r = b["reminded"]
    lo_e, hi_e = b["escalated"]
    yesterday = AS_OF - timedelta(days=1)
    for level, lo, hi in (("reminder", lo_r, hi_r), ("overdue", yesterday - timedelta(days=1), yesterday),
                          ("escalated", lo_e, hi_e)):
        con.execute("INSERT INTO alerts (subject_kind, subject_id, rule, level, step_seq, due_on, case_id, org_id, "
                    "raised_on, message, recorded_at) SELECT 'case', id, 'R5', ?, step_seq, due_on, id, branch_id, ?, "
                    "'m', '2016-01-01' FROM cases WHERE due_on > ? AND due_on <= ? AND state IN ('lost_contact', "
                    "'searching') ON CONFLICT DO NOTHING",
                    (level, AS_OF.isoformat(), (lo if daily else date(1900, 1, 1)).isoformat(), hi.isoformat()))
    con.execute("INSERT INTO alerts (subject_kind, subject_id, rule, level, step_seq, due_on, org_id, raised_on, "
                "message, recorded_at) SELECT 'member', id, 'R2', 'reminder', 0, last_contact_on, branch_id, ?, 'm', "
                "'2016-01-01' FROM members WHERE last_contact_on > ? AND last_contact_on <= ? "
                "ON CONFLICT DO NOTHING",
                (AS_OF.isoformat(), (_boundaries_yesterday()["five"] if daily else b["six"]).isoformat(),
                 b["five"].isoformat()))
    con.execute("COMMIT")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return {"seconds": seconds, "cpu_s": cpu}


def _boundaries_yesterday():
    from statemachines.clocks import latest_since_crossing_on_or_before
    yesterday = AS_OF - timedelta(days=1)
    return {"six": latest_since_crossing_on_or_before(yesterday, 6),
            "five": latest_since_crossing_on_or_before(yesterday, 5)}


def sweep(path: Path) -> dict:
    from models.db import open_database
    from workflows.orchestration import run_in_process

    db = open_database(f"sqlite:///{path}")
    started, cpu = time.perf_counter(), time.process_time()
    report = run_in_process(db, AS_OF)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    db.dispose()
    return {"seconds": seconds, "cpu_s": cpu, "rules_s": report.seconds["rules"],
            "notices_s": report.seconds["notices"], "counts": report.counts}


def measure(kind: str, path: Path, daily: bool) -> dict:
    """Run one measurement in a fresh process, so its peak RSS is its own."""
    out = subprocess.run([sys.executable, "-m", "bench.sweep", "--measure", kind, str(path)]
                         + (["--daily"] if daily else []), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(kind: str, path: Path, daily: bool) -> None:
    result = floor(path, daily) if kind == "floor" else sweep(path)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_size(members: int, workdir: Path, repeat: int = 3, world: World | None = None) -> dict:
    """Build a roster of `members` (in `world`, by default that of `members`), then measure floor and
    sweep, full and daily, `repeat` times each, interleaved on fresh copies: the best wall and CPU times
    are kept (a single run swings with WAL checkpoints and whatever else the machine is doing), and the
    highest peak RSS."""
    base = workdir / f"roster-{members}.db"
    started = time.perf_counter()
    build(base, members, world=world)
    built = time.perf_counter() - started
    results = {"members": members, "build_s": round(built, 1)}
    for daily in (False, True):
        label = "daily" if daily else "full"
        if daily:
            sweep_yesterday(base)
        _checkpoint(base)
        runs = {"floor": [], "sweep": []}
        for _ in range(repeat):
            for kind in ("floor", "sweep"):
                copy = workdir / f"{label}-{kind}.db"
                copy_synced(base, copy)
                runs[kind].append(measure(kind, copy, daily))
                copy.unlink()
                for suffix in ("-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
        for kind, measured in runs.items():
            results[f"{label}_{kind}"] = _best(measured)
    base.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
    return results


def _best(runs: list[dict]) -> dict:
    best = dict(min(runs, key=lambda run: run["seconds"]))
    best["cpu_s"] = min(run["cpu_s"] for run in runs)
    best["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    return best


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so a copy of the file alone is the whole database."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def report(result: dict) -> None:
    n = result["members"]
    print(f"\n{n:,} members (built in {result['build_s']} s)")
    for label in ("full", "daily"):
        f, s = result[f"{label}_floor"], result[f"{label}_sweep"]
        counts = {k: v for k, v in s["counts"].items() if v}
        print(f"  {label:5} sweep {s['seconds']:.3f} s (rules {s['rules_s']:.3f} s + notices {s['notices_s']:.3f} s)  "
              f"floor {f['seconds']:.3f} s  ratio {s['seconds'] / f['seconds']:.2f}, rules only "
              f"{s['rules_s'] / f['seconds']:.2f} (goal ≤ 3)  peak RSS {s['peak_rss_mb']:.0f} MB "
              f"(floor {f['peak_rss_mb']:.0f} MB, goal < 500)")
        print(f"        CPU {s['cpu_s']:.3f} s vs floor {f['cpu_s']:.3f} s (ratio {s['cpu_s'] / f['cpu_s']:.2f})")
        print(f"        counts {counts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--large", type=int, default=None, help="default: 5 × --members")
    parser.add_argument("--dir", default=None)
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--daily", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _child(args.measure[0], Path(args.measure[1]), args.daily)
        return
    os.environ.setdefault("DO_NOT_TRACK", "1")
    workdir = Path(args.dir or tempfile.mkdtemp(prefix="bench-sweep-"))
    workdir.mkdir(parents=True, exist_ok=True)
    small = run_size(args.members, workdir)
    report(small)
    large = run_size(args.large or 5 * args.members, workdir, world=World.of(args.members))
    report(large)
    ratio = large["daily_sweep"]["seconds"] / small["daily_sweep"]["seconds"]
    print(f"\nthe same day's crossings: t({large['members']:,}) / t({small['members']:,}) = {ratio:.2f} (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
