"""`python -m bench --json`: one JSON object per metric, its ratio the value over a floor from the same run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two benchmark processes

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"metric", "engine", "n", "value", "unit", "floor", "ratio", "goal"}


def run_bench(*args: str) -> list[dict]:
    env = dict(os.environ, DO_NOT_TRACK="1")
    if "LOSTCONTACT_TEST_PG" in os.environ:  # the suite's server, where the bench makes and drops its own database
        env["LOSTCONTACT_BENCH_PG"] = os.environ["LOSTCONTACT_TEST_PG"]
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_every_metric_line_carries_its_floor_ratio_and_goal():
    rows = run_bench("--only", "lifecycle", "--n", "40") + run_bench("--only", "tally", "--n", "4000")
    assert {row["metric"] for row in rows} == {"lifecycle_step", "tally_today", "tally_past"}
    for row in rows:
        assert set(row) == KEYS
        assert row["value"] > 0 and row["floor"] > 0.0005 and row["goal"] > 0
        half = 0.0005  # value and floor are printed to three decimals; the ratio is of the unrounded figures
        low, high = (row["value"] - half) / (row["floor"] + half), (row["value"] + half) / (row["floor"] - half)
        assert low - 0.005 <= row["ratio"] <= high + 0.005
    if os.environ.get("LOSTCONTACT_TEST_PG"):
        assert {row["engine"] for row in rows if row["metric"].startswith("tally")} == {"sqlite", "postgresql"}
