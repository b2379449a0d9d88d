"""`python -m bench.load`: a few simulated users on the real server for a few seconds (the smoke of the
five-minute run), and its history check, which must notice a row no accepted request explains."""
from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from bench import load, load_world
from bench.__main__ import metric

KEYS = {"metric", "engine", "n", "value", "unit", "floor", "ratio", "goal"}


@pytest.mark.slow  # builds a county on PostgreSQL and starts uvicorn in a process of its own
def test_a_short_load_on_postgresql_moves_cases_without_errors_and_the_history_equals_the_accepted_requests(
        pg_server):
    result = load.run(pg_server.admin_url, seconds=6, users=6, cases=30, think=0.05)
    tally = result["tally"]
    assert tally.errors == []
    assert result["mismatch"] == 0
    assert tally.fired and tally.ms["queue"] and tally.ms["alerts"] + tally.ms["tally"]
    assert {trigger for _, trigger, _ in tally.fired} >= {"start_search"}
    rows = {row["metric"]: row for row in load.metrics(result)}
    assert rows["load_errors"]["value"] == 0 and rows["load_history_mismatch"]["value"] == 0
    assert rows["load_queue_p95"]["floor"] == load.READ_MS
    assert all(set(row) == KEYS for row in rows.values())


def test_the_history_check_counts_rows_nobody_was_told_of_and_accepted_requests_that_left_none(monkeypatch):
    tally = load.Tally()
    tally.fired += [(1, "start_search", "searching"), (2, "start_search", "searching")]
    tally.logged += [10]
    written = ([(1, "start_search", "searching"), (3, "reach", "verifying")], [10, 11])
    monkeypatch.setattr(load_world, "written_since", lambda url, marks: written)
    assert load.history_mismatch("unused", {}, tally) == 3  # case 3's step and entry 11 extra, case 2's missing
    written = ([(2, "start_search", "searching"), (1, "start_search", "searching")], [10])
    assert load.history_mismatch("unused", {}, tally) == 0


class Answers:
    """A client that answers each request with the next status of a list."""

    def __init__(self, *statuses: int):
        self.statuses = list(statuses)

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        return httpx.Response(self.statuses.pop(0), json={"error": {"kind": "conflict"}})


def test_only_requests_sent_within_the_window_are_timed_but_errors_and_conflicts_count_from_the_first():
    tally = load.Tally()
    warming = Answers(200, 200, 409, 500)
    for page in ("login", "queue", "fire", "case"):  # before the window: logging in and warming up
        tally.request(warming, page, "GET", "/")
    tally.measure(time.monotonic() - 1, 60)
    tally.request(Answers(200), "queue", "GET", "/")
    assert tally.running()
    tally.measure(time.monotonic() - 10, 5)  # a window already over
    tally.request(Answers(200), "case", "GET", "/")
    assert {page: len(times) for page, times in tally.ms.items()} == {"login": 1, "queue": 1}
    assert tally.conflicts == {"fire": 1} and len(tally.errors) == 1 and tally.errors[0].startswith("case: 500")
    assert not tally.running()


def test_users_are_shared_between_accounts_so_that_two_may_act_on_the_same_case():
    world = load_world.World(officers=("officer0", "officer1"), reviewers=("reviewer0",), supervisor="sup", cases=1)
    plan = load.users_of(world, 50)
    assert len(plan) == 50
    roles = Counter(function.__name__ for function, _ in plan)
    assert roles == {"officer": 30, "reviewer": 10, "supervisor": 10}
    assert Counter(login for function, login in plan if function is load.officer) == {"officer0": 15, "officer1": 15}


def test_percentiles_are_of_the_sorted_samples():
    samples = [float(v) for v in range(100, 0, -1)]
    # nearest rank on 1..100: the sample at index round(p% × 99)
    assert (load.percentile(samples, 50), load.percentile(samples, 95), load.percentile(samples, 99)) == (
        51.0, 95.0, 99.0)
    assert metric("x", "postgresql", 1, 150.0, "ms", load.READ_MS, 1.0)["ratio"] == 0.5
