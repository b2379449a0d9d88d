"""The lifecycle step side by side with a peer engine, SpiffWorkflow 3.2, in one process run (issue 15).

    python -m bench.peer [--cases N] [--json]

bench/lifecycle.py's workload (our service layer, its SQLAlchemy floor and its stdlib `sqlite3` floor) runs
with SpiffWorkflow's version of the same process (bench/lost_contact.bpmn, driven by bench/peer_spiff.py:
nine human steps per case on average, one SQLite row per case, one transaction per request) taking its
turn in every block of 20 cases, so load from other processes falls on all sides alike. SpiffWorkflow runs
twice: with its stock serializer (the parsed spec written into every row) and with the spec shared between
rows (a tuned deployment).

Reported: our µs per step (open, log and fire over all cases) against SpiffWorkflow's µs per human step
(its advance requests; creating a workflow, which has no human step, is shown apart), as ratios: goal
≤ 0.2 against the shared spec (5× faster), ≤ 0.1 against the stock serializer (10×). Without SpiffWorkflow
installed (`pip install -e '.[peer]'`) the peer rows are skipped with a line saying so.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from . import lifecycle, peer_spiff

GOALS = {"shared": 0.2, "stock": 0.1}   # our µs/step over SpiffWorkflow's


class SpiffSide:
    """A SpiffWorkflow variant as a peer of lifecycle.run: phase 0 creates the block's cases, every later
    phase advances each not-yet-finished case of the block by one human step."""

    def __init__(self, variant: str, workdir: Path, spec):
        self.path = peer_spiff.SpiffPath(variant, workdir / f"spiff-{variant}.db", spec)

    def phase(self, indices, phase: int) -> None:
        for index in indices:
            if phase == 0:
                self.path.create(index)
            else:
                self.path.advance(index)


def run(cases: int, workdir: Path) -> tuple[lifecycle.Runs, dict[str, peer_spiff.SpiffTiming]]:
    spec = peer_spiff.parse_spec()
    sides = {variant: SpiffSide(variant, workdir, spec) for variant in peer_spiff.VARIANTS}
    try:
        runs = lifecycle.run(cases, workdir, peers=list(sides.values()))
        for side in sides.values():
            side.path.check_all_completed(cases)
        return runs, {variant: side.path.timing for variant, side in sides.items()}
    finally:
        for side in sides.values():
            side.path.close()


def metrics(runs: lifecycle.Runs, spiff: dict[str, peer_spiff.SpiffTiming], cases: int) -> list[dict]:
    from .__main__ import metric

    return [metric(f"lifecycle_vs_spiff_{variant}", "sqlite", cases, runs.service.us_per_step(), "us/step",
                   spiff[variant].us_per_step(), GOALS[variant])
            for variant in peer_spiff.VARIANTS]


def details(runs: lifecycle.Runs, spiff: dict[str, peer_spiff.SpiffTiming]) -> list[str]:
    """What each side spent, for the reader (not metric rows)."""
    lines = [f"ours: {runs.service.steps:,} steps, {runs.service.us_per_step():,.0f} µs/step (open "
             f"{runs.service.us_per_step('open'):,.0f}, log {runs.service.us_per_step('log'):,.0f}, fire "
             f"{runs.service.us_per_step('fire'):,.0f}); floors: SQLAlchemy {runs.floor.us_per_step():,.0f}, "
             f"sqlite3 {runs.sqlite3.us_per_step():,.0f}, sqlite3 with the schema's writes "
             f"{runs.sqlite3_writes.us_per_step():,.0f} µs/step"]
    for variant, timing in spiff.items():
        parts = ", ".join(f"{part} {ns / timing.steps / 1000:,.0f}" for part, ns in timing.parts_ns.items())
        lines.append(f"SpiffWorkflow {variant}: {timing.steps:,} human steps, {timing.us_per_step():,.0f} µs/step "
                     f"({parts}); create {timing.us_per_create():,.0f} µs/case")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3_000)
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    args = parser.parse_args(argv)
    missing = peer_spiff.available()
    if missing:
        print(f"peer benchmark skipped: {missing}", file=sys.stderr)
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-peer-"))
    try:
        runs, spiff = run(args.cases, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = metrics(runs, spiff, args.cases) + lifecycle.metrics(runs, args.cases)
    for row in rows:
        if args.json:
            print(json.dumps(row))
        else:
            goal = f"  (goal ≤ {row['goal']:g})" if row["goal"] is not None else ""
            print(f"{row['metric']:<34} {row['value']:9.1f} {row['unit']}  against {row['floor']:9.1f}  "
                  f"ratio {row['ratio']:5.2f}{goal}")
    for line in details(runs, spiff):
        print(line, file=sys.stderr if args.json else sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
