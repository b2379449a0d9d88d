"""Every check the registry can run is one the sweep runs: `CHECKS` (what the sweep and `run_checks` run) is
built from `AUTOMATIC_CHECKS`, so a check written into `_CHECK_OF` but left out of `AUTOMATIC_CHECKS` would
never run, silently. The kinds recorded by hand are the rest of the problem kinds."""
from __future__ import annotations

from lostcontact.services.travel import checks
from statemachines.travel.codes import AUTOMATIC_CHECKS, PROBLEM_KINDS, RECORDED_BY_HAND


def test_every_written_check_is_an_automatic_check_and_every_automatic_check_is_written():
    assert sorted(checks._CHECK_OF) == sorted(AUTOMATIC_CHECKS)


def test_the_sweep_runs_every_automatic_check_once_in_the_order_given():
    assert tuple(checks.CHECKS) == AUTOMATIC_CHECKS
    assert len(set(AUTOMATIC_CHECKS)) == len(AUTOMATIC_CHECKS)


def test_the_problem_kinds_are_the_automatic_checks_and_those_recorded_by_hand():
    assert sorted(PROBLEM_KINDS) == sorted((*AUTOMATIC_CHECKS, *RECORDED_BY_HAND))
    assert not set(AUTOMATIC_CHECKS) & set(RECORDED_BY_HAND)
