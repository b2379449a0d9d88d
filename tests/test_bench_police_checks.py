"""bench/police_checks.py: the bare-SQL floor finds exactly what the checks find (else its ratio would compare
different work), and the rows carry the ratio and the memory."""
from __future__ import annotations

from bench import police_checks


def test_the_floor_finds_what_the_checks_find_and_the_rows_say_how_they_compare(tmp_path):
    rows = {row["metric"]: row for row in police_checks.measure(tmp_path, 5_000, rounds=1)}
    first = rows["police_checks_first"]
    found = {kind: rows[f"police_checks_{kind}"]["found"] for kind in police_checks.FLOORED}
    assert first["found"] == sum(found.values())
    # of 5,000 persons, 1,000 registered: M1 one in 1,000 persons; P2 5% held and 1% not back of the registered,
    # and the unrecorded 往来港澳通行证 of one person in 250, which is P1 too
    assert (found["M1"], found["P2"], found["P1"]) == (5, 50 + 10 + 20, 20)
    assert all(found[kind] > 0 for kind in ("P3", "P4", "P5", "P6", "P7"))  # the trips and reports planted too
    # the ratio is of the unrounded times; value and floor are printed to the millisecond, the ratio to 0.01
    low = (first["value"] - 0.0005) / (first["floor"] + 0.0005) - 0.005
    high = (first["value"] + 0.0005) / (first["floor"] - 0.0005) + 0.005
    assert low <= first["ratio"] <= high and first["goal"] == police_checks.GOAL
    assert rows["police_checks_again"]["floor"] > 0
    assert 0 < rows["police_checks_rss"]["value"] < police_checks.RSS_LIMIT_MB




def test_the_floor_and_the_checks_find_the_same_problems_kind_by_kind(tmp_path):
    import shutil

    path = tmp_path / "police.db"
    police_checks.build(path, 2_000)
    shutil.copyfile(path, tmp_path / "checks.db")
    floor = police_checks.run_floor(path, police_checks.TODAY, police_checks.hand_in_bound(path))
    _seconds, checks = police_checks._checks_side(tmp_path / "checks.db", police_checks.FLOORED)
    assert floor == checks and all(floor[kind] > 0 for kind in police_checks.FLOORED)
    assert police_checks.run_floor(path, police_checks.TODAY, police_checks.hand_in_bound(path)) == \
        dict.fromkeys(police_checks.FLOORED, 0)   # the floor, too, finds nothing twice
