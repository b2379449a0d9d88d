"""How long a `lostcontact` command takes from the shell, start-up included (issue 12, "Fast start").

    python -m bench.cli_start [--members 300] [--repeat 10]

Each command runs as a user's shell runs it: a fresh Python process that imports the entry point and
calls it. The floor is a bare `python -c pass` from the same interpreter, measured in the same run and
interleaved with the commands, so a busy machine slows both alike. Best of `repeat` each.

- `lostcontact --help`;
- the read commands `cases`, `case show`, `alerts` and `tally` on a demo database (`lostcontact demo`:
  the demo's roster, `members` members, its thirty days of flows and officers' work);
- `case fire CASE start_search` on a fresh copy of that database each time (a write: one transition).

The goals are the issue's seconds on the reference machine (2 cores, idle), where the floor is
REFERENCE_FLOOR_S: the ratio goal is goal seconds / REFERENCE_FLOOR_S, so a faster or slower machine
judges the same share of the work. The process's CPU time (user + system) is reported beside the wall time:
on a machine shared with other work it is the steadier figure.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_FLOOR_S = 0.025  # `python -c pass` on the reference machine, idle
GOAL_SECONDS = {"help": 0.3, "read": 0.6, "fire": 0.7}
GOALS = {kind: round(seconds / REFERENCE_FLOOR_S) for kind, seconds in GOAL_SECONDS.items()}
DEMO_START = date(2025, 3, 1)
AS_OF = "2025-03-30"  # the demo's last day: the read commands see its open cases and alerts
ENTRY_POINT = "import sys; from lostcontact.cli.main import main; sys.argv[0] = 'lostcontact'; main()"


@dataclass
class Timing:
    seconds: float
    cpu_s: float


def run_once(argv: list[str], env: dict[str, str], *, check: bool = True) -> Timing:
    """One process, wall and CPU time (of the child alone: RUSAGE_CHILDREN grows by what it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[3:])} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(seconds, cpu)


def lostcontact(*args: str) -> list[str]:
    return [sys.executable, "-c", ENTRY_POINT, *args]


def build_demo(workdir: Path, members: int) -> tuple[Path, int, str]:
    """The demo database, and a case still at 失联登记 with its branch officer (who may start its search)."""
    from sqlalchemy import select

    from lostcontact.demo import run_demo
    from models import Case, Org
    from models.db import open_database

    path = workdir / "demo.db"
    run_demo(members=members, seed=1, days=30, start=DEMO_START, path=path)
    db = open_database(f"sqlite:///{path}")
    with db.engine.connect() as conn:
        case_id, branch = conn.execute(select(Case.id, Org.code).join(Org, Org.id == Case.branch_id)
                                       .where(Case.state == "lost_contact").order_by(Case.id).limit(1)).one()
    db.dispose()
    return path, case_id, f"officer_{branch}"


def measure(members: int, repeat: int, workdir: Path) -> dict[str, dict]:
    """Best wall and CPU time of each command and of the floor, the commands interleaved with the floor."""
    demo, case_id, officer = build_demo(workdir, members)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LOSTCONTACT_DB": f"sqlite:///{demo}",
           "LOSTCONTACT_TZ": "Asia/Shanghai", "DO_NOT_TRACK": "1"}
    # An installed program starts from its .pyc files: the warm-up writes them even where the caller's
    # environment says not to (PYTHONDONTWRITEBYTECODE), else every timed run compiles the project's sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    fire_copy = workdir / "fire.db"
    fire_env = {**env, "LOSTCONTACT_DB": f"sqlite:///{fire_copy}"}
    commands = {
        "help": (lostcontact("--help"), env, None),
        "cases": (lostcontact("cases"), env, None),
        "case_show": (lostcontact("case", "show", str(case_id)), env, None),
        "alerts": (lostcontact("alerts", "--as-of", AS_OF), env, None),
        "tally": (lostcontact("tally", "--as-of", AS_OF), env, None),
        "case_fire": (lostcontact("case", "fire", str(case_id), "start_search", "--actor", officer), fire_env,
                      lambda: shutil.copyfile(demo, fire_copy)),
    }
    floor_argv = [sys.executable, "-c", "pass"]
    samples: dict[str, list[Timing]] = {name: [] for name in (*commands, "floor")}
    for argv, run_env, prepare in commands.values():  # warm-up: the page cache and the .pyc files
        if prepare:
            prepare()
        run_once(argv, run_env)
    for _ in range(repeat):
        for name, (argv, run_env, prepare) in commands.items():
            if prepare:
                prepare()
            samples["floor"].append(run_once(floor_argv, env))
            samples[name].append(run_once(argv, run_env))
    return {name: {"seconds": min(t.seconds for t in runs), "cpu_s": min(t.cpu_s for t in runs)}
            for name, runs in samples.items()}


def goal_of(name: str) -> int:
    return GOALS["help" if name == "help" else "fire" if name == "case_fire" else "read"]


def report(members: int, best: dict[str, dict]) -> None:
    floor = best["floor"]
    print(f"lostcontact start-up: demo database of {members} members; floor `python -c pass` "
          f"{floor['seconds']:.3f} s (CPU {floor['cpu_s']:.3f} s); goals on the reference machine: "
          + ", ".join(f"{kind} ≤ {seconds} s" for kind, seconds in GOAL_SECONDS.items()))
    for name, timing in best.items():
        if name == "floor":
            continue
        ratio, goal = timing["seconds"] / floor["seconds"], goal_of(name)
        print(f"  {name:<10} {timing['seconds']:6.3f} s  CPU {timing['cpu_s']:6.3f} s  ratio {ratio:5.1f} "
              f"(goal ≤ {goal}: {'ok' if ratio <= goal else 'OVER GOAL'})")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cli_start", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=300, help="demo roster size (the demo's default: 300)")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-cli-start-"))
    try:
        report(args.members, measure(args.members, args.repeat, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
