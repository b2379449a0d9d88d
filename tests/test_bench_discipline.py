"""bench/discipline.py: the candidates it times are exactly the bare-SQL floor's (else its ratios would compare
different work), and its rows say how the candidates scale with the persons, compare with the floor and hold
memory."""
from __future__ import annotations

import pytest

from bench import discipline
from bench.importing import Databases

pytestmark = pytest.mark.slow  # builds two databases and starts two processes


def test_the_rows_carry_the_scaling_the_floor_and_the_memory(tmp_path):
    databases = Databases(None, tmp_path)
    rows = {row["metric"]: row for row in discipline.run(4_000, databases.new, repeat=1)}
    assert set(rows) == {"discipline_candidates_5x", "discipline_candidates_vs_floor", "discipline_candidates_5x_cpu",
                         "discipline_candidates_vs_floor_cpu", "discipline_candidates_rss"}
    scaling, floor = rows["discipline_candidates_5x"], rows["discipline_candidates_vs_floor"]
    assert (scaling["n"], scaling["floor_n"], scaling["goal"]) == (20_000, 4_000, discipline.SCALE_GOAL)
    assert floor["found"] == discipline.CANDIDATES and floor["goal"] == discipline.FLOOR_GOAL
    for row in rows.values():  # the ratio is of the unrounded figures; value and floor printed to three decimals
        low = (row["value"] - 0.0005) / (row["floor"] + 0.0005) - 0.005
        high = (row["value"] + 0.0005) / (row["floor"] - 0.0005) + 0.005
        assert row["floor"] > 0 and low <= row["ratio"] <= high
    assert rows["discipline_candidates_rss"]["unit"] == "MB" and rows["discipline_candidates_rss"]["value"] > 0


def test_the_floor_lists_the_same_persons_on_the_same_days_as_the_candidates(tmp_path):
    from models.db import open_database

    url = Databases(None, tmp_path).new("world")
    discipline.build(url, 3_500)
    db = open_database(url)
    try:
        listed = discipline.listed(db)
        assert len(listed) == discipline.CANDIDATES
        assert [r["last_contact_on"] for r in listed] == [str(row[-1]) for row in discipline.floor(db)]
        assert all(r["last_contact_on"] <= discipline.CUTOFF.isoformat() for r in listed)
    finally:
        db.dispose()
