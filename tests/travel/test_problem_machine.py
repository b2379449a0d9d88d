"""A problem's lifecycle as pure domain rules (statemachines.travel.problems): one shared machine; handling
needs a measure, a dismissal its reason; handled and dismissed are final."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from statemachines.errors import Refused
from statemachines.travel import problems
from statemachines.travel.codes import MEASURES
from statemachines.travel.problems import ProblemContext, ProblemState

DAY = date(2024, 6, 1)


def test_the_machine_is_shared_and_binds_no_problem():
    problem = ProblemState("found")
    problems.fire(problem, "verify", ProblemContext(DAY))
    assert problem.state == "verifying" and problems.MACHINE.models == []


def test_a_problem_is_verified_then_handled_with_its_measures_each_once():
    problem = ProblemState("found")
    problems.fire(problem, "verify", ProblemContext(DAY, self_corrected=True))
    problems.fire(problem, "handle", ProblemContext(DAY, measures=("criticism", "transfer", "criticism")))
    assert (problem.state, problem.measures, problem.self_corrected) == ("handled", ("criticism", "transfer"), True)


@pytest.mark.parametrize("trigger, kw, words", [("handle", {}, "at least one measure"),
                                                 ("handle", {"measures": ("bogus",)}, "unknown measure"),
                                                 ("dismiss", {"reason": "  "}, "needs its reason")])
def test_handling_without_a_measure_or_dismissing_without_a_reason_is_refused(trigger, kw, words):
    problem = ProblemState("verifying")
    with pytest.raises(Refused, match=words):
        problems.fire(problem, trigger, ProblemContext(DAY, **kw))
    assert problem.state == "verifying"


def test_a_problem_is_not_handled_before_it_is_verified_nor_touched_once_final():
    with pytest.raises(Refused, match="cannot handle"):
        problems.fire(ProblemState("found"), "handle", ProblemContext(DAY, measures=("criticism",)))
    for final in problems.FINAL:
        assert problems.triggers_from(final) == []


TRIGGERS = st.sampled_from(list(problems.TRIGGERS))
CONTEXTS = st.builds(ProblemContext, st.just(DAY), measures=st.lists(st.sampled_from([*MEASURES, "bogus"]),
                                                                     max_size=3).map(tuple),
                     reason=st.sampled_from([None, "", "查无此事"]), self_corrected=st.sampled_from([None, True, False]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TRIGGERS, CONTEXTS), max_size=12))
def test_any_sequence_of_steps_keeps_the_lifecycle_s_invariants(steps):
    problem = ProblemState("found")
    fired = []
    for trigger, ctx in steps:
        before = vars(problem).copy()
        try:
            problems.fire(problem, trigger, ctx)
        except Refused:
            assert vars(problem) == before  # a refusal changes nothing
            continue
        fired.append(trigger)
        assert problem.state == problems.MACHINE.events[trigger].transitions[before["state"]][0].dest
    # the path is a prefix of found → verifying → (handled | dismissed), each step at most once
    assert fired in ([], ["verify"], ["verify", "handle"], ["verify", "dismiss"])
    if problem.state == "handled":
        assert problem.measures and set(problem.measures) <= set(MEASURES)
    else:
        assert problem.measures == ()
