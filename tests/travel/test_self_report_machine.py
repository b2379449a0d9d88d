"""The self-report machine on its own (no database): one shared Machine(model=None) for every report; whatever
steps are tried in whatever order, a refused step changes nothing, a confirmed report never changes again, and
the submission number counts the submissions that were taken."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from statemachines.errors import Refused
from statemachines.travel import self_report as machine

WINDOW = machine.Window(date(2024, 5, 6), date(2016, 1, 1), date(2018, 1, 1))
PASSPORT = machine.DocumentLine("passport_private", "E12345678", date(2029, 4, 30))


def ctx(day: date, **kw) -> machine.ReportContext:
    return machine.ReportContext(day, WINDOW, **kw)


def test_the_machine_is_shared_and_holds_no_report():
    assert machine.MACHINE.models == []
    first, second = machine.ReportState(), machine.ReportState()
    machine.fire(first, "submit", ctx(date(2024, 5, 10), zero_report=True, pledge_signed=True))
    assert (first.state, second.state) == ("submitted", "owed")


def test_each_state_offers_the_documented_steps():
    assert {s: machine.triggers_from(s) for s in machine.STATES} == {
        "owed": ["submit"], "submitted": ["confirm", "return"], "confirmed": [], "returned": ["submit"]}


STEP = st.sampled_from([
    ("submit", dict(zero_report=True, pledge_signed=True)),
    ("submit", dict(documents=(PASSPORT,), pledge_signed=True)),
    ("submit", dict(zero_report=True)),                    # unsigned: refused
    ("submit", dict(pledge_signed=True)),                  # nothing and not zero: refused
    ("confirm", {}),
    ("return", dict(note="补报证件")),
    ("return", {}),                                        # no reason: refused
])


@settings(max_examples=200, deadline=None)
@given(st.lists(STEP, max_size=12))
def test_any_sequence_of_steps_keeps_the_report_s_invariants(steps):
    report, taken, day = machine.ReportState(), 0, date(2024, 5, 6)
    for trigger, kw in steps:
        day += timedelta(days=1)
        before = replace(report)
        try:
            machine.fire(report, trigger, ctx(day, **kw))
        except Refused:
            assert report == before
            continue
        assert before.state != "confirmed"
        taken += trigger == "submit"
        assert report.submission_seq == taken
        assert (report.confirmed_on is not None) == (report.state == "confirmed")
        if trigger == "submit":
            assert report.submitted_on == day
