"""The A–X tally at scale, against a floor measured in the same run.

    python -m bench.tally [--cases N] [--seed S] [--past DATE] [--db-url URL] [--keep DIR] [--repeat R]

Builds (seeded, rows bulk-inserted directly, each case's `superseded_on` set as
lostcontact.services.supersession sets it) a 5-level org tree (province → 10 cities → 10 counties
each → 10 committees each → branches) and N cases (default 1,000,000) with their full history in
`case_events`: a realistic mix of open steps, every disposition, reopened rounds, deaths, voids and
members lost a second time, opened over three years up to TODAY. Then times, best of R runs:

- floor: one GROUP BY over the current states (`SELECT branch_id, state, count(*) FROM cases GROUP BY
  branch_id, state`, which the (branch_id, state) index covers) — what counting today's rows costs;
- today: `compute_tally` of the whole tree as of TODAY (each member's latest case, reopened rounds,
  voids, the roll-up and the invariant checks);
- past: the same as of a past date (--past, default six months before TODAY): the cases touched
  since are replayed from the history.

Reported: seconds, cases per second, the ratios today/floor (goal ≤ 3) and past/floor (goal ≤ 5),
and the tally's peak Python memory (tracemalloc) with bytes per case — flat: it grows with the orgs,
not the cases. SQLite with the project's engine settings unless --db-url names a PostgreSQL server
(a database is created there for the run and dropped unless --keep).
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

TODAY = date(2018, 12, 31)
FIRST_OPENED = date(2016, 1, 1)
SEED = 20160620
BATCH = 20_000
TODAY_GOAL, PAST_GOAL = 3.0, 5.0
RECORDED_AT = "2019-01-01 00:00:00+00:00"

# (weight %, disposition, reached, stop state) — where a case's history ends; None: runs to `closed`
MIX: tuple[tuple[int, str | None, bool, str | None], ...] = (
    (3, None, False, "lost_contact"), (10, None, False, "searching"),
    (4, "normal_management", True, "verifying"), (3, "suspend_unreachable", False, "verifying"),
    (3, "normal_management", True, "branch_proposal"), (3, "removal_self_withdrawal", False, "committee_prereview"),
    (3, "normal_management", True, "meeting_resolution"), (2, "suspend_unreachable", False, "final_approval"),
    (1, "persuade_withdraw", True, "upper_approval"),
    (25, "normal_management", True, None), (3, "retain_relationship", True, None),
    (3, "correct_within_deadline", True, None), (2, "persuade_withdraw", True, None),
    (10, "removal_self_withdrawal", False, None), (8, "suspend_unreachable", False, None),
    (2, "annul_probationary", False, None), (2, "expelled", False, None), (3, "deceased", False, None),
    (2, "voided", False, None), (2, "reopened", False, None),
)
UPPER = {"persuade_withdraw", "removal_self_withdrawal", "removal_requested"}
SECOND_CASE_SHARE = 0.05


# --- the generated world ----------------------------------------------------------------------------------

@dataclass
class Case:
    id: int
    member_id: int
    branch_id: int
    opened_on: date
    events: list[tuple]   # (seq, trigger, from, to, effective_on, disposition, reached)
    state: str = "lost_contact"
    reached: bool | None = None
    disposition: str | None = None
    chain: str | None = None
    closed_on: date | None = None
    reopen: tuple | None = None  # (kind, restore disposition, restore reached, restore chain, restore closed_on)
    superseded_on: date | None = None  # as lostcontact.services.supersession records it

    def step(self, rng: random.Random, trigger: str, to: str, **changes) -> bool:
        """Append one transition a few days after the last, unless that would be after TODAY."""
        day = self.events[-1][4] + timedelta(days=rng.randint(1, 30)) if self.events else self.opened_on
        if day > TODAY:
            return False
        for key, value in changes.items():
            setattr(self, key, value)
        self.events.append((len(self.events) + 1, trigger, self.state if self.events else None, to, day,
                            self.disposition, self.reached))
        self.state = to
        if to == "closed":
            self.closed_on = day
        return True


def _walk(case: Case, rng: random.Random, disposition: str | None, reached: bool, stop: str | None) -> None:
    upper = disposition in UPPER
    path = [("start_search", "searching", {}),
            ("reach" if reached else "exhaust", "verifying", {"reached": reached}),
            ("propose", "branch_proposal", {}),
            ("submit", "committee_prereview", {"disposition": disposition, "chain": "upper" if upper else "committee"}),
            ("agree", "upper_prereview" if upper else "meeting_resolution", {})]
    if upper:
        path.append(("agree", "meeting_resolution", {}))
    path += [("resolve", "final_approval", {}), ("approve", "upper_approval" if upper else "closed", {})]
    if upper:
        path.append(("approve", "closed", {}))
    if not case.step(rng, "open", "lost_contact"):
        return
    for trigger, to, changes in path:
        if case.state == stop or not case.step(rng, trigger, to, **changes):
            return


def make_case(case_id: int, member_id: int, branch_id: int, opened_on: date, rng: random.Random,
              kind: tuple | None = None) -> Case:
    _w, disposition, reached, stop = kind or rng.choices(MIX, weights=[m[0] for m in MIX])[0]
    case = Case(case_id, member_id, branch_id, opened_on, [])
    if disposition == "deceased":
        if case.step(rng, "open", "lost_contact") and case.step(rng, "start_search", "searching"):
            case.step(rng, "confirm_death", "deceased")
    elif disposition == "voided":
        if case.step(rng, "open", "lost_contact"):
            case.step(rng, "void", "voided")
    elif disposition == "expelled":
        if case.step(rng, "open", "lost_contact") and case.step(rng, "start_search", "searching"):
            case.step(rng, "record_expulsion", "closed", disposition="expelled", chain="recorded", reached=False)
    elif disposition == "reopened":
        _walk(case, rng, "suspend_unreachable", False, None)
        if case.state == "closed":
            restore = ("suspend_unreachable", False, "committee", case.closed_on)
            if case.step(rng, "reopen", "verifying", reached=True):
                case.reopen = ("suspension_restore", *restore)
    else:
        _walk(case, rng, disposition, reached, stop)
    return case


def generate(cases: int, seed: int, branch_ids: list[int]) -> Iterator[tuple[list, list, list]]:
    """Batches of (member rows, case rows, event rows), seeded."""
    rng = random.Random(seed)
    span = (TODAY - FIRST_OPENED).days - 60
    case_id = member_id = 0
    members, case_rows, event_rows = [], [], []
    normal = next(m for m in MIX if m[1] == "normal_management" and m[3] is None)
    while case_id < cases:
        member_id += 1
        branch = rng.choice(branch_ids)
        opened = FIRST_OPENED + timedelta(days=rng.randint(0, span))
        lost_since = opened - timedelta(days=rng.randint(184, 900))
        standing = "probationary" if rng.random() < 0.03 else "full"
        members.append((member_id, f"{member_id:018d}", f"党员{member_id}", lost_since - timedelta(days=2000),
                        standing, branch, lost_since, False, False, False, False, RECORDED_AT))
        twice = rng.random() < SECOND_CASE_SHARE and cases - case_id >= 2
        first = make_case(case_id + 1, member_id, branch, opened, rng, normal if twice else None)
        batch = [first]
        if twice and first.state == "closed" and first.closed_on + timedelta(days=190) <= TODAY:
            batch.append(make_case(case_id + 2, member_id, branch, first.closed_on + timedelta(days=190), rng))
            if batch[1].state != "voided":
                first.superseded_on = batch[1].opened_on
        for case in batch:
            case_id = case.id
            case_rows.append(_case_row(case, lost_since))
            event_rows += [(case.id, seq, trig, frm, to, "bench", "branch_officer", day, disp, reached, RECORDED_AT)
                           for seq, trig, frm, to, day, disp, reached in case.events]
        if len(case_rows) >= BATCH:
            yield members, case_rows, event_rows
            members, case_rows, event_rows = [], [], []
    if case_rows:
        yield members, case_rows, event_rows


def _case_row(case: Case, lost_since: date) -> tuple:
    last = case.events[-1]
    kind, *restore = case.reopen or (None, None, None, None, None)
    return (case.id, case.member_id, case.branch_id, case.state, "R1", case.opened_on, lost_since, case.reached,
            case.disposition, case.chain, case.closed_on, kind, *restore, last[0], last[4], False, "default-1",
            last[4], last[0], 1, case.superseded_on)


CASE_COLUMNS = ("id", "member_id", "branch_id", "state", "origin", "opened_on", "lost_since", "reached",
                "disposition", "chain", "closed_on", "reopen_kind", "restore_disposition", "restore_reached",
                "restore_chain", "restore_closed_on", "step_seq", "step_entered_on", "due_provisional", "policy_version",
                "last_event_on", "last_seq", "version", "superseded_on")
EVENT_COLUMNS = ("case_id", "seq", "trigger", "from_state", "to_state", "actor", "role", "effective_on",
                 "disposition", "reached", "recorded_at")
MEMBER_COLUMNS = ("id", "id_number", "name", "join_date", "standing", "branch_id", "last_contact_on", "mobile",
                  "reported", "abroad", "receipt_returned", "updated_at")


# --- building the database -----------------------------------------------------------------------------

def build(url: str, cases: int, seed: int, fanout: int = 10, packed: bool = False) -> dict:
    """`fanout` children per org at each level (10: 10,000 branches; --quick runs use a smaller tree so the
    cases per branch, not the fixed cost of the tree, decide the ratio, as at full size). The indexes are kept
    up row by row, as a table filled over time has them, unless `packed`: made after the load, faster, and
    tighter (on PostgreSQL they let the floor below read the cases faster than the tally; fine for worlds
    compared only with worlds built alike, bench/overdue.py's)."""
    from lostcontact.importing.staging import bulk_insert, bulk_settings
    from models import Base, Case as CaseRow, CaseEvent, Member, Org
    from models.db import open_database

    from .worlds import foreign_keys_deferred, indexes_deferred

    db = open_database(url)
    Base.metadata.create_all(db.engine)
    started = time.perf_counter()
    loaded = [table.name for table in (Member.__table__, CaseRow.__table__, CaseEvent.__table__)]
    deferred = indexes_deferred if packed else foreign_keys_deferred
    with db.writer.connect() as conn, conn.begin(), bulk_settings(conn), deferred(conn, loaded):
        orgs, branch_ids = _org_rows(fanout)
        bulk_insert(conn, Org.__table__, orgs, ["id", "code", "name", "level", "path", "depth", "parent_id"])
        counts = {"members": 0, "cases": 0, "events": 0}
        for members, case_rows, event_rows in generate(cases, seed, branch_ids):
            bulk_insert(conn, Member.__table__, members, MEMBER_COLUMNS)
            bulk_insert(conn, CaseRow.__table__, case_rows, CASE_COLUMNS)
            bulk_insert(conn, CaseEvent.__table__, event_rows, EVENT_COLUMNS)
            counts["members"] += len(members)
            counts["cases"] += len(case_rows)
            counts["events"] += len(event_rows)
    _analyze(db)
    counts["orgs"], counts["branches"] = len(orgs), len(branch_ids)
    counts["build_s"] = round(time.perf_counter() - started, 1)
    db.dispose()
    return counts


def _org_rows(fanout: int = 10) -> tuple[list[tuple], list[int]]:
    rows, branches = [], []
    next_id = iter(range(1, 10**7))

    def add(code, name, level, parent) -> tuple:
        org_id = next(next_id)
        path = (parent[4] if parent else "/") + f"{org_id}/"
        row = (org_id, code, name, level, path, path.count("/") - 2, parent[0] if parent else None)
        rows.append(row)
        return row

    province = add("P", "省", "province", None)
    for c in range(fanout):
        city = add(f"P{c}", f"市{c}", "city", province)
        for k in range(fanout):
            county = add(f"P{c}{k}", f"县{c}{k}", "county", city)
            for m in range(fanout):
                committee = add(f"P{c}{k}{m}", f"党委{c}{k}{m}", "committee", county)
                for b in range(fanout):
                    branches.append(add(f"P{c}{k}{m}{b}", f"支部{c}{k}{m}{b}", "branch", committee)[0])
    return rows, branches


def _analyze(db, table: str = "") -> None:
    """Planner statistics for `table` (default: every table); on PostgreSQL a VACUUM too, so the visibility
    map lets index-only scans skip the heap as they would on a settled table."""
    if db.is_sqlite:
        with db.writer.connect() as conn:
            conn.exec_driver_sql(f"ANALYZE {table}".strip())
            conn.commit()
    else:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}".strip())


# --- the measurements ----------------------------------------------------------------------------------------

def floor(db) -> float:
    from models import Case

    query = select(Case.branch_id, Case.state, func.count()).group_by(Case.branch_id, Case.state)
    with db.engine.connect() as conn:
        started = time.perf_counter()
        rows = conn.execute(query).all()
        elapsed = time.perf_counter() - started
    assert rows
    return elapsed


def tally_seconds(db, as_of: date) -> tuple[float, dict]:
    from sqlalchemy.orm import Session

    from lostcontact.queries.tally import compute_tally
    from models import Org

    with Session(db.engine) as session:
        root = session.scalar(select(Org).where(Org.parent_id.is_(None)))
        started = time.perf_counter()
        tree = compute_tally(session, root, as_of)
        return time.perf_counter() - started, tree.columns


def tally_memory(db, as_of: date) -> int:
    tracemalloc.start()
    try:
        tally_seconds(db, as_of)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def changed_since(db, as_of: date) -> int:
    from models import Case
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Case).where(Case.last_event_on > as_of,
                                                                         Case.opened_on <= as_of))


def measure(url: str, cases: int, past: date, repeat: int) -> dict:
    from models.db import open_database

    db = open_database(url)
    floor(db), tally_seconds(db, TODAY), tally_seconds(db, past)  # warm the caches alike
    best = {"floor": min(floor(db) for _ in range(repeat)),
            "today": min(tally_seconds(db, TODAY)[0] for _ in range(repeat)),
            "past": min(tally_seconds(db, past)[0] for _ in range(repeat))}
    _s, columns_today = tally_seconds(db, TODAY)
    _s, columns_past = tally_seconds(db, past)
    result = {"seconds": best, "A_today": columns_today["A"], "A_past": columns_past["A"],
              "replayed_past": changed_since(db, past), "peak_bytes_today": tally_memory(db, TODAY),
              "peak_bytes_past": tally_memory(db, past)}
    db.dispose()
    return result


def report(cases: int, built: dict, result: dict, past: date, engine: str) -> None:
    s = result["seconds"]
    print(f"tally benchmark on {engine}: {built['cases']:,} cases of {built['members']:,} members, "
          f"{built['events']:,} history rows, {built['orgs']:,} orgs ({built['branches']:,} branches); "
          f"built in {built['build_s']} s")
    print(f"  counted A: today {result['A_today']:,}, as of {past} {result['A_past']:,} "
          f"({result['replayed_past']:,} cases replayed from the history)")
    print(f"  floor  GROUP BY current states   {s['floor']:8.3f} s  {cases / s['floor']:12,.0f} cases/s")
    for key, label, goal in (("today", f"tally as of {TODAY}", TODAY_GOAL), ("past", f"tally as of {past}", PAST_GOAL)):
        ratio = s[key] / s["floor"]
        verdict = "ok" if ratio <= goal else "OVER GOAL"
        print(f"  {label:30s} {s[key]:8.3f} s  {cases / s[key]:12,.0f} cases/s  ratio {ratio:5.2f} "
              f"(goal ≤ {goal:g}: {verdict})")
    for key in ("today", "past"):
        peak = result[f"peak_bytes_{key}"]
        print(f"  peak Python memory ({key}): {peak / 1024:,.0f} KiB = {peak / cases:.2f} bytes per case "
              f"({peak / built['orgs']:,.0f} bytes per org)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tally", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--past", type=date.fromisoformat, default=date(2018, 6, 30))
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the built SQLite database in this directory")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-tally-"))
    server = make_url(args.db_url) if args.db_url else None
    db_name = None
    if server is None:
        folder = args.keep or workdir
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"tally-{args.cases}-{args.seed}.db"
        url = f"sqlite:///{path}"
        built = _reuse(path) if path.exists() else build(url, args.cases, args.seed)
    else:
        db_name = f"lc_bench_tally_{uuid.uuid4().hex[:6]}"
        with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        url = server.set(database=db_name).render_as_string(hide_password=False)
        built = build(url, args.cases, args.seed)
    try:
        result = measure(url, args.cases, args.past, args.repeat)
        report(built["cases"], built, result, args.past, "SQLite" if server is None else "PostgreSQL")
    finally:
        if db_name and not args.keep:
            with create_engine(server, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))


def _reuse(path: Path) -> dict:
    from models import Case, CaseEvent, Member, Org
    from models.db import open_database
    db = open_database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        count = lambda model: conn.scalar(select(func.count()).select_from(model))  # noqa: E731
        built = {"cases": count(Case), "members": count(Member), "events": count(CaseEvent), "orgs": count(Org),
                 "branches": conn.scalar(select(func.count()).select_from(Org).where(Org.level == "branch")),
                 "build_s": "(reused)"}
    db.dispose()
    return built


if __name__ == "__main__":
    main()
