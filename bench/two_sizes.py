"""Timing the same calls on a small and a large database, the two interleaved call by call, and the metric
rows that come of it (value = t(large) ms, floor = t(small) ms, ratio against the goal): what the web list
and page benchmarks (bench/web_lists.py, bench/web_pages.py) share."""
from __future__ import annotations

import argparse
import json
import time
from typing import Callable

Calls = dict[str, Callable[[], object]]
# wall: the elapsed time (the goal's measure); cpu: the process's own user + system time over all its threads,
# which other processes' load does not inflate: on SQLite, where the database works inside the process, the
# cost of a page on a shared machine (PostgreSQL's work happens in the server and is not counted)
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def best_interleaved(small: Calls, large: Calls, repeat: int,
                     clock: Callable[[], float] = time.perf_counter) -> dict[str, tuple[float, float]]:
    """Best-of-`repeat` seconds of each named call on both sides, interleaved call by call so that load
    from other processes falls on both alike (the calls take milliseconds); each is warmed up first."""
    best = {}
    for name in small:
        samples: list[list[float]] = [[], []]
        sides = (small[name], large[name])
        for call in sides:
            call()  # warm-up (and any check the call makes)
        for _ in range(repeat):
            for side, call in enumerate(sides):
                started = clock()
                call()
                samples[side].append(clock() - started)
        best[name] = (min(samples[0]), min(samples[1]))
    return best


def metric_rows(prefix: str, engine: str, small: int, large: int, at: dict[str, tuple[float, float]],
                goal: float, suffix: str = "") -> list[dict]:
    return [{"metric": f"{prefix}{name}{suffix}", "engine": engine, "n": large, "value": round(t_large * 1e3, 3),
             "unit": "ms", "floor": round(t_small * 1e3, 3), "ratio": round(t_large / t_small, 2), "goal": goal,
             "floor_n": small} for name, (t_small, t_large) in at.items()]


def arguments(prog: str, doc: str, repeat: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=200_000)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--clock", choices=CLOCKS, default="wall",
                        help="wall (default) or cpu: the process's CPU time, for SQLite on a loaded machine "
                             "(metrics named …_cpu)")
    return parser


def print_rows(rows: list[dict], args: argparse.Namespace, *, goal: float, limit_ms: float, width: int) -> None:
    for row in rows:
        verdict = "ok" if row["ratio"] <= goal and row["value"] <= limit_ms else "OVER GOAL"
        print(json.dumps(row) if args.json else
              f"{row['metric']:{width}} {row['engine']:10} {args.small:>8,} cases {row['floor']:9.2f} ms   "
              f"{args.large:>8,} cases {row['value']:9.2f} ms   ratio {row['ratio']:5.2f}  {verdict}", flush=True)
