"""The benchmark suite: every benchmark of the project, each against a floor measured in the same run.

    python -m bench [--quick | --medium] [--json] [--only NAME ...]

Runs lifecycle, peer (SpiffWorkflow on the same workload, when the `peer` extra is installed), sweep,
tally, import, overdue, the travel programme's checks (police_checks), the discipline register's candidates
(discipline) (and the web pages, the command line's start-up, and a load test of the web app) on
SQLite, and those that can on PostgreSQL when a server is reachable (LOSTCONTACT_BENCH_PG, else
postgres@127.0.0.1:5432/test; a database per run is created there and dropped). One line per metric; with
--json one JSON object per line: {"metric", "engine", "n", "value", "unit", "floor", "ratio", "goal"},
ratio = value / floor (goal: the largest acceptable ratio). --quick: smaller N, same shape, two to three
minutes; goals that need full size read null there. --medium: sized for about six minutes on the idle 2-core
machine (5 min 57 s there on 2026-12-07: BENCHMARKS.md), the size at which the goals are checked. Each benchmark's own module (python -m bench.<name>)
documents what it measures and what its floor is.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from datetime import date
from functools import partial
from pathlib import Path
from typing import Callable

from .two_sizes import metric_rows

DEFAULT_PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"

# N per benchmark: (quick, medium, full). Medium finishes within about six minutes on the idle 2-core machine
# and is where every full-size goal can be checked (BENCHMARKS.md names the exceptions and why).
SIZES = {
    "lifecycle": (100, 1_000, 10_000),
    "peer": (40, 300, 3_000),
    "sweep": (10_000, 100_000, 1_000_000),
    "tally": (20_000, 200_000, 1_000_000),  # the tree: FANOUT
    "import": (5_000, 25_000, 1_000_000),
    "overdue": ((2_000, 20_000), (5_000, 50_000), (100_000, 1_000_000)),  # the tree: FANOUT
    "web": (2_000, 20_000, 20_000),
    "web_lists": ((2_000, 20_000), (2_000, 20_000), (20_000, 200_000)),
    "web_pages": ((2_000, 20_000), (2_000, 20_000), (20_000, 200_000)),
    "orchestrated": (None, None, 1_000_000),
    "cli_start": (100, 300, 300),  # demo members
    "load": (10, 30, 300),  # seconds measured, after the logins (bench/load.py)
    "police_checks": (50_000, 100_000, 1_000_000),  # persons (a fifth registered, 2 crossings each)
    "discipline": (20_000, 50_000, 1_000_000),  # persons, and 5 × as many (bench/discipline.py)
}
SIZE_NAMES = ("quick", "medium", "full")
# Goals that compare a hot path with a floor doing the same work at the same N apply from medium size up: at
# quick's N fixed costs (statement compilation, the org tree, a process's start) weigh more than they allow
# for, so quick rows of these carry "goal": null. Scaling goals (t at 10 × N) and absolute limits keep theirs.
FULL_SIZE_GOALS = ("lifecycle", "sweep_full", "sweep_daily", "tally_", "import_", "police_checks_first",
                   "police_checks_again", "discipline_candidates_vs_floor")


def full_size_goal(metric_name: str) -> bool:
    return metric_name.startswith(FULL_SIZE_GOALS) and not metric_name.endswith("_rss")


# Children per org of the tally's tree (bench/tally.py), per size. --quick's tally: 3 children an org (81
# branches) gives ~250 cases a branch at 20,000 cases, as the full run's 10,000 branches have 100 at 1M; the
# full tree would make a quick ratio measure the tree. Medium's tally keeps the full tree at 200,000 cases:
# smaller, the tally's fixed cost a call weighs more against a floor that shrinks with the cases (100,000 cases
# under 1,296 branches, as many a branch as at full size: as of the past day 6–7.7 × the floor, against 4.5 at
# 1M; under the full tree the floor pays for its 10,000 branches' groups too). 超期预警 at medium: 4 (256
# branches, 64 committees) gives a committee ~80 cases at 5,000 and ~800 at 50,000, as the full run's 100 at
# 100,000 and 1,000 at 1M: with the full tree at medium the committee's page held 2 overdue cases against 29,
# comparing pages of unlike work.
FANOUT = {"tally": (3, 10, 10), "overdue": (10, 4, 10)}


def metric(name: str, engine: str, n: int, value: float, unit: str, floor: float, goal: float | None) -> dict:
    return {"metric": name, "engine": engine, "n": n, "value": round(value, 3), "unit": unit,
            "floor": round(floor, 3), "ratio": round(value / floor, 2) if floor else None, "goal": goal}


def postgres_url() -> str | None:
    """The PostgreSQL server to benchmark on, or None when none answers."""
    from sqlalchemy import create_engine, text

    url = os.environ.get("LOSTCONTACT_BENCH_PG", DEFAULT_PG)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return url
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL rows"
        return None


class Engines:
    """Fresh databases on SQLite (files in a work dir) and on PostgreSQL (created and dropped); `shared`, the
    run's own Engines, keeps the worlds that more than one benchmark measures."""

    def __init__(self, workdir: Path, pg_url: str | None, shared: Engines | None = None):
        from .importing import Databases

        self.workdir, self.pg_url, self.shared = workdir, pg_url, shared
        self.sets = {"sqlite": Databases(None, workdir)}
        if pg_url:
            self.sets["postgresql"] = Databases(pg_url, workdir)
        self.built: dict[str, dict[str, str]] = {}  # name_size -> engine -> URL

    def names(self) -> list[str]:
        return list(self.sets)

    def new(self, engine: str, name: str) -> str:
        return self.sets[engine].new(name)

    def worlds(self, name: str, build: Callable[[str, int], object], sizes: tuple[int, ...],
               shared: bool = False) -> list[dict[str, str]]:
        """A world of each size on every engine: built by `build(url, size)` (picklable) on SQLite, and copied row
        for row to PostgreSQL (bench/worlds.py: the same rows on both, for a fraction of building them there),
        the sizes side by side. `shared`: kept for the rest of the run as `name`, and built only if no benchmark
        has built it yet (whoever measures a shared world only reads it)."""
        from .worlds import build_and_copy, in_parallel

        if shared and self.shared is not None:
            return self.shared.worlds(name, build, sizes)
        missing = [n for n in sizes if f"{name}_{n}" not in self.built]
        for n in missing:
            self.built[f"{name}_{n}"] = {engine: self.new(engine, f"{name}_{n}") for engine in self.names()}
        in_parallel([partial(build_and_copy, build, n, self.built[f"{name}_{n}"]["sqlite"],
                             self.built[f"{name}_{n}"].get("postgresql"))
                     for n in sorted(missing, reverse=True)])  # the largest first
        return [self.built[f"{name}_{n}"] for n in sizes]

    def drop_all(self) -> None:
        for databases in self.sets.values():
            databases.drop_all()


# --- one adapter per benchmark: (engines, n, workdir, size) -> metrics -----------------------------------------
# size: one of SIZE_NAMES. quick: fewer repetitions and no per-run child processes where those, not the work,
# would dominate; medium: as many repetitions as a best-of needs to be steady, no more.

def bench_lifecycle(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    from . import lifecycle

    runs = lifecycle.run(n, workdir)  # SQLite only: the module measures the embedded default
    return lifecycle.metrics(runs, n)


def bench_peer(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """Our lifecycle step against SpiffWorkflow's on the same workload, interleaved (bench/peer.py); skipped
    with a line on stderr when the optional `peer` extra is not installed."""
    from . import peer, peer_spiff

    missing = peer_spiff.available()
    if missing:
        print(f"# peer: skipped, {missing}", file=sys.stderr, flush=True)
        return []
    runs, spiff = peer.run(n, workdir)
    return peer.metrics(runs, spiff, n)


def bench_load(engines: Engines, seconds: int, workdir: Path, size: str) -> list[dict]:
    """50 simulated users (10 at --quick) on the web app over HTTP on PostgreSQL, N seconds measured once all
    have logged in (bench/load.py); a server process per core, as docs/operations.md deploys it."""
    from . import load

    if engines.pg_url is None:
        print("# load: skipped, PostgreSQL not reachable", file=sys.stderr, flush=True)
        return []
    quick = size == "quick"
    result = load.run(engines.pg_url, seconds, 10 if quick else 50, 300 if quick else 3_000, 0.5,
                      workers=os.cpu_count() or 1)
    for line in load.report(result):
        print(f"# load: {line}", file=sys.stderr, flush=True)
    return load.metrics(result)


def bench_sweep(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    from . import sweep

    quick = size == "quick"
    result = sweep.run_size(n, workdir, repeat=1 if quick else 3)  # SQLite only: the module builds its own roster
    out = []
    for label in ("full", "daily"):
        floor, swept = result[f"{label}_floor"], result[f"{label}_sweep"]
        out.append(metric(f"sweep_{label}", "sqlite", n, swept["seconds"], "s", floor["seconds"], 3.0))
        # wall time swings with WAL checkpoints and the disk; the process's CPU time is the steadier figure
        out.append(metric(f"sweep_{label}_cpu", "sqlite", n, swept["cpu_s"], "s", floor["cpu_s"], 3.0))
        out.append(metric(f"sweep_{label}_rss", "sqlite", n, swept["peak_rss_mb"], "MB", 500.0, 1.0))
    if not quick:  # the daily sweep costs by the day's crossings, not the roster: the same day at 5 × N
        large = sweep.run_size(5 * n, workdir, world=sweep.World.of(n))  # the same branches, cases, crossings
        out.append(metric("sweep_daily_5x_roster", "sqlite", 5 * n, large["daily_sweep"]["seconds"], "s",
                          result["daily_sweep"]["seconds"], 1.5))
        out.append(metric("sweep_daily_5x_roster_cpu", "sqlite", 5 * n, large["daily_sweep"]["cpu_s"], "s",
                          result["daily_sweep"]["cpu_s"], 1.5))
    return out


def _tally_seconds(url: str, repeat: int) -> dict[str, float]:
    """tally.measure's timings (a warm-up each, then best of `repeat`) without its memory and count extras,
    which this suite does not report and which cost as much as the timings. The floor and the two tallies
    take turns, round by round, so that a busy moment of the machine falls on all three alike."""
    from models.db import open_database

    from . import tally

    db = open_database(url)
    calls = {"floor": lambda: tally.floor(db), "today": lambda: tally.tally_seconds(db, tally.TODAY)[0],
             "past": lambda: tally.tally_seconds(db, date(2018, 6, 30))[0]}
    for call in calls.values():
        call()
    samples = {name: [] for name in calls}
    for _ in range(repeat):
        for name, call in calls.items():
            samples[name].append(call())
    db.dispose()
    return {name: min(values) for name, values in samples.items()}


def bench_tally(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """The tally's world has no derived rows: built on each engine itself, the engines side by side."""
    from . import tally
    from .worlds import in_parallel

    fanout = FANOUT["tally"][SIZE_NAMES.index(size)]
    urls = {engine: engines.new(engine, "tally") for engine in reversed(engines.names())}  # PostgreSQL's is longer
    in_parallel([partial(tally.build, url, n, tally.SEED, fanout) for url in urls.values()])
    out = []
    for engine in engines.names():
        seconds = _tally_seconds(urls[engine], 1 if size == "quick" else 3)
        out.append(metric("tally_today", engine, n, seconds["today"], "s", seconds["floor"], tally.TODAY_GOAL))
        out.append(metric("tally_past", engine, n, seconds["past"], "s", seconds["floor"], tally.PAST_GOAL))
    return out


def bench_import(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """Members, then contact events grouped by member in ID-number order (contacts_by_member.csv): the
    order in which the floor's inserts land in index order, its best case, so the ratio is not flattered
    by a floor paying for random index inserts the importer avoids (bench/importing.py)."""
    from . import importing

    contacts = n * 5
    importing.generate(n, contacts, False, str(workdir), round_robin=False)
    out = []
    for engine in engines.names():
        with_orgs = engines.new(engine, "orgs")
        importing.prepare_schema(with_orgs, workdir / "orgs.csv")
        template = with_orgs  # then the members import's database: contact events need their members
        for kind, file, rows in (("members", "members.csv", n), ("contacts", "contacts_by_member.csv", contacts)):
            floor = importing.measure("floor", importing.run_floor, engines.sets[engine].new("floor", template),
                                      kind, str(workdir / file), in_process=size == "quick")
            template = engines.sets[engine].new(f"import_{kind}", template)
            imported = importing.measure("import", importing.run_import, template, kind, str(workdir / file),
                                         in_process=size == "quick")
            out.append(metric(f"import_{kind}_csv", engine, rows, imported.seconds, "s", floor.seconds,
                              importing.CSV_GOAL))
    return out


def bench_overdue(engines: Engines, sizes: tuple[int, int], workdir: Path, size: str) -> list[dict]:
    from . import overdue

    fanout = FANOUT["overdue"][SIZE_NAMES.index(size)]
    small, large = engines.worlds("overdue", partial(overdue.build, fanout=fanout), sizes)
    out = []
    for engine in engines.names():
        at = overdue.compare(small[engine], large[engine], overdue.REPEAT)
        for row in metric_rows("", engine, *sizes, at, overdue.GOAL):
            row.pop("floor_n")
            out.append(row)
    return out


def bench_web(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    from . import web

    result = web.run(n, max(20, n // 100), 5)  # SQLite only: the module opens its own SQLite file
    floor = result["ms"]["floor"]
    return [metric(f"web_{name}", "sqlite", n, ms, "ms", floor, None)  # bench/web.py sets no goal
            for name, ms in result["ms"].items() if name != "floor"]


def _two_sizes(module, engines: Engines, sizes: tuple[int, int], size: str) -> list[dict]:
    """The rows of a two-size web benchmark (bench/two_sizes.py) on every engine: value t(large), floor t(small).
    Both measure bench/web_pages.py's world (web_lists.py's and what the other pages read besides, which the
    lists do not read), built once a run for the two of them and copied to PostgreSQL (Engines.world)."""
    from . import web_pages

    small, large = engines.worlds("web_pages", web_pages.build, sizes, shared=True)
    out = []
    for engine in engines.names():
        at = module.compare(small[engine], large[engine], 3 if size == "quick" else 5)
        for row in metric_rows(module.PREFIX, engine, *sizes, at, module.GOAL):
            row.pop("floor_n")
            out.append(row)
    return out


def bench_web_lists(engines: Engines, sizes: tuple[int, int], workdir: Path, size: str) -> list[dict]:
    """全部案件 / 已办 / 已办结 and the search at two sizes (bench/web_lists.py)."""
    from . import web_lists
    return _two_sizes(web_lists, engines, sizes, size)


def bench_web_pages(engines: Engines, sizes: tuple[int, int], workdir: Path, size: str) -> list[dict]:
    """超期预警 (with its alert list), case, member, 我的待办, user admin and audit log through HTTP at two sizes
    (bench/web_pages.py)."""
    from . import web_pages
    return _two_sizes(web_pages, engines, sizes, size)


def bench_orchestrated(engines: Engines, n: int, workdir: Path, size: str, repeat: int = 3) -> list[dict]:
    """The daily flow through a warm Prefect server (tasks per partition, states reported) against the
    same sweep in-process, each the first sweep of a fresh copy of bench/sweep.py's roster."""
    from prefect.settings import PREFECT_API_URL, PREFECT_LOGGING_TO_API_ENABLED, temporary_settings

    from models.db import open_database
    from workflows.deployments import local_prefect_server
    from workflows.orchestration import run_in_process

    from . import sweep
    from .dbfiles import copy_synced

    roster = workdir / "roster.db"
    sweep.build(roster, n)
    sweep._checkpoint(roster)

    copies = []

    def fresh_copy(kind: str) -> Path:
        """A new file each run: the flow's cached engine keeps its connections to a path it has opened."""
        for old in copies:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{old}{suffix}").unlink(missing_ok=True)
        copies.append(workdir / f"{kind}-{len(copies)}.db")
        copy_synced(roster, copies[-1])
        return copies[-1]

    def in_process() -> float:
        db = open_database(f"sqlite:///{fresh_copy('in_process')}")
        started = time.perf_counter()
        run_in_process(db, sweep.AS_OF)
        db.dispose()
        return time.perf_counter() - started

    samples = {"prefect": [], "prefect_heartbeat": [], "in_process": []}
    quiet = {PREFECT_LOGGING_TO_API_ENABLED: False}  # no log shipping to a server that is gone at exit
    with local_prefect_server(workdir / "prefect") as url, temporary_settings(updates={PREFECT_API_URL: url, **quiet}):
        from workflows.sweep import daily_sweep, run_daily_sweep

        def through_prefect(run) -> float:
            os.environ["LOSTCONTACT_DB"] = f"sqlite:///{fresh_copy('prefect')}"
            started = time.perf_counter()
            run(sweep.AS_OF)
            return time.perf_counter() - started

        through_prefect(run_daily_sweep)  # warm-up: the first flow run pays the client's and server's start-up
        for _ in range(repeat):  # interleaved, best of `repeat` each: one run swings with the disk
            samples["prefect"].append(through_prefect(run_daily_sweep))  # as `lostcontact sweep` runs it
            samples["prefect_heartbeat"].append(through_prefect(lambda day: daily_sweep(as_of=day)))  # Prefect's default
            samples["in_process"].append(in_process())
    seconds = {kind: min(values) for kind, values in samples.items()}
    return [metric("sweep_prefect_vs_in_process", "sqlite", n, seconds["prefect"], "s", seconds["in_process"], 1.2),
            metric("sweep_prefect_heartbeat_vs_in_process", "sqlite", n, seconds["prefect_heartbeat"], "s",
                   seconds["in_process"], None)]


def bench_cli_start(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """`lostcontact --help`, the read commands and `case fire`, each a fresh process, against `python -c pass`."""
    from . import cli_start

    # SQLite only: the embedded default's demo. Best of 5 at medium: on the idle machine the best of 10 is no
    # steadier, each round costing some 4 s of fresh processes
    best = cli_start.measure(n, {"quick": 3, "medium": 5, "full": 10}[size], workdir)
    floor = best.pop("floor")
    out = []
    for name, timing in best.items():
        goal = cli_start.goal_of(name)
        out.append(metric(f"cli_{name}", "sqlite", n, timing["seconds"], "s", floor["seconds"], goal))
        # on a shared machine the processes' CPU time is the steadier figure (as for the sweep)
        out.append(metric(f"cli_{name}_cpu", "sqlite", n, timing["cpu_s"], "s", floor["cpu_s"], goal))
    return out


def bench_police_checks(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """The automatic checks over N persons (N / 5 registered, 2N crossings) against the same selects and inserts
    in bare SQL through sqlite3, each on its own copy of the file (bench/police_checks.py)."""
    from . import police_checks

    out = []
    # SQLite only: the floor is the standard library's sqlite3. Medium runs each side once (a first run and a
    # second, then each kind alone), not twice: every ratio is far from its goal (at most 1.7 against 3), and a
    # round costs more fresh processes than work
    rounds = 1 if size == "medium" else 2
    for row in police_checks.measure(workdir, n, rounds=rounds, kind_rounds=rounds):
        if row["floor"] is not None:
            out.append(metric(row["metric"], "sqlite", n, row["value"], row["unit"], row["floor"], row["goal"]))
        else:
            print(f"# police_checks: {row['metric']} {row['value']} s for {row['kinds']} (no floor yet)",
                  file=sys.stderr, flush=True)
    return out


def bench_discipline(engines: Engines, n: int, workdir: Path, size: str) -> list[dict]:
    """The 失联 candidates over N and 5 × N persons, the same day, and a bare-SQL floor (bench/discipline.py); the
    four databases built side by side, the largest first."""
    from . import discipline
    from .worlds import in_parallel

    quick = size == "quick"
    persons = {"large": discipline.SCALE * n, "small": n}
    urls = {(engine, side): engines.new(engine, f"discipline_{side}")
            for side in persons for engine in reversed(engines.names())}  # PostgreSQL's take longer
    in_parallel([partial(discipline.build, url, persons[side]) for (_engine, side), url in urls.items()])
    out = []
    for engine in engines.names():
        rows = discipline.measure(urls[(engine, "small")], urls[(engine, "large")], n, repeat=3 if quick else 5,
                                  rss=not quick)
        out.extend(metric(r["metric"], engine, r["n"], r["value"], r["unit"], r["floor"], r["goal"]) for r in rows)
    return out


BENCHMARKS: dict[str, Callable] = {"lifecycle": bench_lifecycle, "peer": bench_peer, "sweep": bench_sweep,
                                   "tally": bench_tally,
                                   "import": bench_import, "overdue": bench_overdue, "web": bench_web,
                                   "web_lists": bench_web_lists, "web_pages": bench_web_pages,
                                   "orchestrated": bench_orchestrated, "cli_start": bench_cli_start,
                                   "load": bench_load, "police_checks": bench_police_checks,
                                   "discipline": bench_discipline}
FULL_ONLY = {"orchestrated"}


def _print(row: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(row), flush=True)
        return
    goal = f"goal ≤ {row['goal']:g}" if row["goal"] is not None else ""
    verdict = "" if row["goal"] is None or row["ratio"] is None else ("ok" if row["ratio"] <= row["goal"]
                                                                      else "OVER GOAL")
    print(f"{row['metric']:<24} {row['engine']:<10} n={row['n']:<9,} {row['value']:>12,.3f} {row['unit']:<8} "
          f"floor {row['floor']:>12,.3f}  ratio {row['ratio']:>6}  {goal} {verdict}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="smaller N, same shape (two to three minutes)")
    sizes.add_argument("--medium", action="store_true",
                       help="the size at which the goals can be checked (sized for six minutes idle)")
    parser.add_argument("--json", action="store_true", help="one JSON object per metric")
    parser.add_argument("--only", nargs="*", choices=list(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--n", type=int,
                        help="override N (not for overdue, web_lists and web_pages, which take two sizes)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DO_NOT_TRACK", "1")
    pg_url = postgres_url()
    if pg_url is None:
        print("PostgreSQL not reachable (LOSTCONTACT_BENCH_PG or 127.0.0.1:5432/test): SQLite rows only",
              file=sys.stderr)
    size_index = 0 if args.quick else 1 if args.medium else 2
    shared_dir = Path(tempfile.mkdtemp(prefix="lc-bench-shared-"))
    shared = Engines(shared_dir, pg_url)
    try:
        failed = _run(args, size_index, pg_url, shared)
    finally:
        shared.drop_all()
        shutil.rmtree(shared_dir, ignore_errors=True)
    return 1 if failed else 0


def _run(args: argparse.Namespace, size_index: int, pg_url: str | None, shared: Engines) -> int:
    """Each benchmark asked for, one at a time; returns how many failed."""
    failed = 0
    for name in args.only or list(BENCHMARKS):
        if size_index < 2 and name in FULL_ONLY and not args.n:
            print(f"# {name}: full size only (or give --n)", file=sys.stderr, flush=True)
            continue
        workdir = Path(tempfile.mkdtemp(prefix=f"lc-bench-{name}-"))
        engines = Engines(workdir, pg_url, shared)
        started = time.perf_counter()
        try:
            size = SIZES[name][size_index]
            if args.n and name not in ("overdue", "web_lists", "web_pages"):
                size = args.n
            for row in BENCHMARKS[name](engines, size, workdir, SIZE_NAMES[size_index]):
                if args.quick and full_size_goal(row["metric"]):
                    row["goal"] = None
                _print(row, args.json)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            failed += 1
            print(f"benchmark {name} failed:\n{traceback.format_exc()}", file=sys.stderr)
        finally:
            engines.drop_all()
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
