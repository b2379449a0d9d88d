"""The lifecycle hot path: N cases through their whole chains via the service layer, against a raw-SQL floor.

    python -m bench.lifecycle [--cases N] [--json] [--profile]

Every step is one transaction, as a user would make it: `open_case`, `log_search` and `fire` with `--at`
dates, on SQLite with the project's engine settings (`models.db.open_database`: WAL, foreign keys,
synchronous=NORMAL, BEGIN IMMEDIATE for writes). Half the cases take the committee chain (reached,
`normal_management`), half the upper chain (three search tiers tried in vain, `exhaust`,
`removal_self_withdrawal`).

The floor does the same steps on a second database with the same schema and the same engine: per step it
reads the case row (with its branch path) and the actor's grants, makes one conditional
`UPDATE cases … WHERE id = ? AND version = ?` and one INSERT (history or search entry), in one transaction.
A second floor does the same with the standard library's `sqlite3`, a third on `sqlite3` also writes what a
step of this schema writes besides (the due date, the new step's deadline and its `case_steps` span; all in
bench/lifecycle_floors.py). All four run interleaved in blocks, so load from other processes falls on all
alike. Reported: µs per step for each side, the ratio service / floor (goal ≤ 4), service / sqlite3 floor
overall and per kind of step (goal ≤ 2.5), the step and a fire against the writing sqlite3 floor (the cost
of the stack alone, goal ≤ 2.5), and open_case / fire (goal ≤ 2).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

from sqlalchemy import insert

from lostcontact.importing.values import with_check_digit
from lostcontact.services.cases import fire, log_search, open_case
from lostcontact.services.orgs import add_org
from lostcontact.services.setup import init_database
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import Member
from models.db import Database, open_database
from statemachines.guards import Meeting

from .lifecycle_floors import FloorPath, Sqlite3FloorPath

GOAL = 4.0              # the step against the SQLAlchemy floor
SQLITE3_GOAL = 2.5      # the step (and each kind of step) against the stdlib sqlite3 floor (issue 15)
OPEN_VS_FIRE_GOAL = 2.0  # open_case against a fire
BLOCK = 20  # cases per interleaved block: small, so a burst of load from other processes hits both sides
TODAY = date(2016, 6, 30)
LAST_CONTACT = date(2015, 1, 1)
BRANCHES_PER_COMMITTEE = 3
COMMITTEES = 2


@dataclass(frozen=True)
class Step:
    kind: str               # open | log | fire
    on: date
    role: str               # branch | committee | upper
    to_state: str           # the case's state after the step (what the floor writes)
    trigger: str | None = None
    channel: str | None = None
    outcome: str | None = None
    options: dict = field(default_factory=dict)


def _day(n: int) -> date:
    return date(2016, 1, 4) + timedelta(days=n)


def _meeting(on: date) -> Meeting:
    return Meeting(held_on=on, entitled=20, present=18, votes_for=15, against=2, abstain=1)


# the committee chain for a reached member: open → … → closed with normal_management
COMMITTEE_CHAIN = (
    Step("open", _day(0), "branch", "lost_contact"),
    Step("fire", _day(1), "branch", "searching", trigger="start_search"),
    Step("log", _day(2), "branch", "searching", channel="phone", outcome="reached"),
    Step("fire", _day(3), "branch", "verifying", trigger="reach", options={"cause": 1}),
    Step("fire", _day(4), "branch", "branch_proposal", trigger="propose", options={"opinion": "表现良好"}),
    Step("fire", _day(7), "branch", "committee_prereview", trigger="submit",
         options={"disposition": "normal_management"}),
    Step("fire", _day(8), "committee", "meeting_resolution", trigger="agree"),
    Step("fire", _day(10), "branch", "final_approval", trigger="resolve", options={"meeting": _meeting(_day(10))}),
    Step("fire", _day(11), "committee", "closed", trigger="approve"),
)

# the upper chain for a member who stays unreached: every required tier tried, exhaust, removal
UPPER_CHAIN = (
    Step("open", _day(0), "branch", "lost_contact"),
    Step("fire", _day(1), "branch", "searching", trigger="start_search"),
    Step("log", _day(2), "branch", "searching", channel="phone", outcome="no_answer"),
    Step("log", _day(2), "branch", "searching", channel="relatives", outcome="no_answer"),
    Step("log", _day(3), "branch", "searching", channel="household_registry", outcome="no_answer"),
    Step("fire", _day(3), "branch", "verifying", trigger="exhaust", options={"cause": 6}),
    Step("fire", _day(4), "branch", "branch_proposal", trigger="propose", options={"opinion": "经多方查找无法联系"}),
    Step("fire", _day(7), "branch", "committee_prereview", trigger="submit",
         options={"disposition": "removal_self_withdrawal"}),
    Step("fire", _day(8), "committee", "upper_prereview", trigger="agree"),
    Step("fire", _day(9), "upper", "meeting_resolution", trigger="agree"),
    Step("fire", _day(10), "branch", "final_approval", trigger="resolve", options={"meeting": _meeting(_day(10))}),
    Step("fire", _day(11), "committee", "upper_approval", trigger="approve"),
    Step("fire", _day(14), "upper", "closed", trigger="approve"),
)


def chain_of(index: int) -> tuple[Step, ...]:
    return COMMITTEE_CHAIN if index % 2 == 0 else UPPER_CHAIN


# ---- the world: a county, committees, branches, one officer per branch, a reviewer per committee -----------

@dataclass
class World:
    branch_codes: list[str]
    id_numbers: list[str]

    def branch_of(self, index: int) -> int:
        return index % len(self.branch_codes)

    def actor(self, index: int, role: str) -> str:
        branch = self.branch_of(index)
        if role == "branch":
            return f"officer{branch}"
        if role == "committee":
            return f"reviewer{branch // BRANCHES_PER_COMMITTEE}"
        return "upper"


def _id_number(serial: int) -> str:
    birth = date(1960, 1, 1) + timedelta(days=serial // 1000)
    body = f"410402{birth:%Y%m%d}{serial % 1000:03d}"
    return with_check_digit(body)


def build_world(db: Database, cases: int) -> World:
    init_database(db)
    branch_codes = []
    with UnitOfWork(db) as uow:
        add_org(uow.session, code="410402", name="新华区委组织部", level="county")
        for c in range(COMMITTEES):
            add_org(uow.session, code=f"C{c}", name=f"党委{c}", level="committee", parent_code="410402")
            for b in range(BRANCHES_PER_COMMITTEE):
                code = f"B{c * BRANCHES_PER_COMMITTEE + b}"
                add_org(uow.session, code=code, name=f"党支部{code}", level="branch", parent_code=f"C{c}")
                branch_codes.append(code)
        uow.commit()
    add_user(db, "upper", role="upper_reviewer", org_code="410402")
    for c in range(COMMITTEES):
        add_user(db, f"reviewer{c}", role="committee_reviewer", org_code=f"C{c}")
    for b, code in enumerate(branch_codes):
        add_user(db, f"officer{b}", role="branch_officer", org_code=code)
    with db.engine.begin() as conn:
        branch_ids = dict(conn.exec_driver_sql("SELECT code, id FROM orgs").all())
        id_numbers = [_id_number(i) for i in range(cases)]
        conn.execute(insert(Member), [
            dict(id_number=id_numbers[i], name=f"党员{i}", join_date=date(2000, 7, 1), standing="full",
                 branch_id=branch_ids[branch_codes[i % len(branch_codes)]], last_contact_on=LAST_CONTACT)
            for i in range(cases)])
    return World(branch_codes, id_numbers)


# ---- the two sides ----------------------------------------------------------------------------------------

class ServicePath:
    """The steps as a user makes them: one service call (one unit of work) each."""

    def __init__(self, db: Database, world: World):
        self.db, self.world = db, world
        self.case_ids: dict[int, int] = {}

    def run(self, index: int, step: Step) -> None:
        actor = self.world.actor(index, step.role)
        if step.kind == "open":
            self.case_ids[index] = open_case(self.db, self.world.id_numbers[index], actor_login=actor, today=TODAY,
                                             at=step.on)
        elif step.kind == "log":
            log_search(self.db, self.case_ids[index], channel=step.channel, outcome=step.outcome, actor_login=actor,
                       today=TODAY, at=step.on)
        else:
            fire(self.db, self.case_ids[index], step.trigger, actor_login=actor, today=TODAY, at=step.on,
                 **step.options)


# ---- the run ------------------------------------------------------------------------------------------------

@dataclass
class Timing:
    ns: int = 0
    steps: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [ns, steps]

    def add(self, kind: str, ns: int) -> None:
        self.ns += ns
        self.steps += 1
        slot = self.by_kind.setdefault(kind, [0, 0])
        slot[0] += ns
        slot[1] += 1

    def us_per_step(self, kind: str | None = None) -> float:
        ns, steps = (self.ns, self.steps) if kind is None else self.by_kind[kind]
        return ns / steps / 1000


def _run_block(path, indices: list[int], phase: int, timing: Timing, profiler: cProfile.Profile | None) -> None:
    clock = time.perf_counter_ns
    for index in indices:
        step = chain_of(index)[phase]
        if profiler:
            profiler.enable()
        started = clock()
        path.run(index, step)
        timing.add(step.kind, clock() - started)
        if profiler:
            profiler.disable()


@dataclass
class Runs:
    service: Timing   # the service layer
    floor: Timing     # the raw-SQL floor through SQLAlchemy's engine
    sqlite3: Timing   # the same floor on the standard library's sqlite3 (bench/lifecycle_floors.py)
    sqlite3_writes: Timing  # ... also writing the due date, the deadline and the step's span


def run(cases: int, workdir: Path, profiler: cProfile.Profile | None = None, peers: Sequence = ()) -> Runs:
    """All cases through their chains on three databases, interleaved in blocks of BLOCK cases; each of
    `peers` (an object with `phase(indices, phase)`, e.g. bench/peer.py's SpiffWorkflow) takes its turn
    after ours in every block, so it is measured under the same load."""
    service_db = open_database(f"sqlite:///{workdir / 'service.db'}")
    floor_db = open_database(f"sqlite:///{workdir / 'floor.db'}")
    stdlib_db = open_database(f"sqlite:///{workdir / 'sqlite3.db'}")
    writing_db = open_database(f"sqlite:///{workdir / 'sqlite3-writes.db'}")
    stdlib = writing = None
    try:
        service = ServicePath(service_db, build_world(service_db, cases))
        floor = FloorPath(floor_db, build_world(floor_db, cases))
        stdlib = Sqlite3FloorPath(workdir / "sqlite3.db", build_world(stdlib_db, cases))
        writing = Sqlite3FloorPath(workdir / "sqlite3-writes.db", build_world(writing_db, cases), writes=True)
        runs = Runs(Timing(), Timing(), Timing(), Timing())
        phases = max(len(COMMITTEE_CHAIN), len(UPPER_CHAIN))
        for phase in range(phases):
            for start in range(0, cases, BLOCK):
                chunk = range(start, min(start + BLOCK, cases))
                block = [i for i in chunk if phase < len(chain_of(i))]
                _run_block(floor, block, phase, runs.floor, None)
                _run_block(stdlib, block, phase, runs.sqlite3, None)
                _run_block(writing, block, phase, runs.sqlite3_writes, None)
                _run_block(service, block, phase, runs.service, profiler)
                for peer in peers:
                    peer.phase(chunk, phase)
        for db in (service_db, floor_db, stdlib_db, writing_db):
            _check_all_closed(db, cases)
        return runs
    finally:
        for path in (stdlib, writing):
            if path:
                path.close()
        for db in (service_db, floor_db, stdlib_db, writing_db):
            db.dispose()


def _check_all_closed(db: Database, cases: int) -> None:
    with db.engine.connect() as conn:
        closed = conn.exec_driver_sql("SELECT count(*) FROM cases WHERE state = 'closed'").scalar()
        events = conn.exec_driver_sql("SELECT count(*) FROM case_events").scalar()
    expected = sum(sum(1 for s in chain_of(i) if s.kind != "log") for i in range(cases))
    if closed != cases or events != expected:
        raise RuntimeError(f"{db.url}: {closed} of {cases} cases closed, {events} history rows (expected {expected})")


def metrics(runs: Runs, cases: int) -> list[dict]:
    """The metric rows of a run: the step against both floors (overall and per kind of step) and opening a
    case against firing a step."""
    from .__main__ import metric

    rows = [metric("lifecycle_step", "sqlite", cases, runs.service.us_per_step(), "us/step",
                   runs.floor.us_per_step(), GOAL),
            metric("lifecycle_step_vs_sqlite3", "sqlite", cases, runs.service.us_per_step(), "us/step",
                   runs.sqlite3.us_per_step(), SQLITE3_GOAL)]
    for kind in ("open", "log", "fire"):
        rows.append(metric(f"lifecycle_{kind}_vs_sqlite3", "sqlite", cases, runs.service.us_per_step(kind),
                           "us/step", runs.sqlite3.us_per_step(kind), SQLITE3_GOAL))
    rows.append(metric("lifecycle_open_vs_fire", "sqlite", cases, runs.service.us_per_step("open"), "us/step",
                       runs.service.us_per_step("fire"), OPEN_VS_FIRE_GOAL))
    # against a floor writing what the schema asks a step to write: the stack's own cost
    rows.append(metric("lifecycle_step_vs_sqlite3_writes", "sqlite", cases, runs.service.us_per_step(), "us/step",
                       runs.sqlite3_writes.us_per_step(), SQLITE3_GOAL))
    rows.append(metric("lifecycle_fire_vs_sqlite3_writes", "sqlite", cases, runs.service.us_per_step("fire"),
                       "us/step", runs.sqlite3_writes.us_per_step("fire"), SQLITE3_GOAL))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the service path and print the top (the profiler inflates the ratio)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-"))
    profiler = cProfile.Profile() if args.profile else None
    try:
        runs = run(args.cases, workdir, profiler)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for row in metrics(runs, args.cases):
        if args.json:
            print(json.dumps(row))
        else:
            goal = f"  (goal ≤ {row['goal']:g})" if row["goal"] is not None else ""
            print(f"{row['metric']:<34} {row['value']:9.1f} {row['unit']}  floor {row['floor']:9.1f}  "
                  f"ratio {row['ratio']:5.2f}{goal}")
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
