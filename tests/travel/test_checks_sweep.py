"""The daily sweep runs the automatic checks as of its day, as the system, over the whole tree: a planted
violation is found by the sweep and counted under its kind; a second sweep that day, or the next, finds nothing
twice. SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

from lostcontact.services.travel.checks import CHECKS

from ..workflows.helpers import sweep
from .check_world import crossing, found, import_crossings


def test_the_sweep_finds_an_unapproved_exit_once_and_counts_it_under_p4(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    import_crossings(travel, tmp_path, crossing(wang, "2024-03-12"))
    first = sweep(travel.db, date(2024, 3, 13)).counts
    assert first["P4"] == 1 and set(CHECKS) <= set(first)
    assert sweep(travel.db, date(2024, 3, 13)).counts["P4"] == 0
    assert sweep(travel.db, date(2024, 3, 14)).counts["P4"] == 0
    [problem] = found(travel, "P4")
    assert problem["found_on"] == "2024-03-13" and problem["person_name"] == "王五"


def test_a_sweep_before_the_exit_finds_nothing(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    import_crossings(travel, tmp_path, crossing(wang, "2024-03-12"))
    assert sweep(travel.db, date(2024, 3, 11)).counts["P4"] == 0
