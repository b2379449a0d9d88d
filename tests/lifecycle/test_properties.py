"""Property tests of the pure lifecycle: whatever is fired, in whatever order, with whatever facts."""
from copy import deepcopy
from datetime import date, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st
import pytest

from statemachines.dispositions import DISPOSITIONS
from statemachines.errors import Refused
from statemachines.guards import Meeting, SearchSummary
from statemachines.lifecycle import OPEN_STATES, STATES, TRIGGERS, CaseState, FireContext, fire, triggers_from
from statemachines.policy import default_policy

pytestmark = pytest.mark.slow  # 400 and 300 random trigger sequences (the other files cover the machine quickly)

POLICY = default_policy()
START = date(2016, 3, 1)
ALL_TRIGGERS = sorted(TRIGGERS)
ENDINGS = ("confirm_death", "void", "record_expulsion")  # reachable from almost anywhere: drawn less often


@settings(max_examples=400, deadline=None)
@given(standing=st.sampled_from(["full", "probationary"]), abroad=st.booleans(), data=st.data())
def test_random_trigger_sequences_stay_inside_the_machine_and_refusals_change_nothing(standing, abroad, data):
    case = CaseState("lost_contact", standing=standing, abroad=abroad, lost_since=date(2015, 8, 31))
    day = START
    for _ in range(data.draw(st.integers(1, 40), label="length")):
        # mostly triggers the state has (so long chains are explored), sometimes any trigger at all
        candidates = [t for t in triggers_from(case.state) if t not in ENDINGS] or ALL_TRIGGERS
        trigger = data.draw(st.one_of(st.sampled_from(candidates), st.sampled_from(ALL_TRIGGERS)), label="trigger")
        day += timedelta(days=data.draw(st.integers(0, 400), label="gap"))
        entitled = data.draw(st.integers(0, 30), label="entitled")
        votes = data.draw(st.integers(0, entitled), label="for")
        ctx = FireContext(
            effective_on=day, policy=POLICY,
            disposition=data.draw(st.sampled_from(sorted(DISPOSITIONS)), label="disposition"),
            cause=data.draw(st.sampled_from([None, 1, 5]), label="cause"),
            meeting=Meeting(day, entitled, votes, votes, 0, 0),
            search=SearchSummary(frozenset(data.draw(st.sets(st.sampled_from(["direct", "informant", "agency"])),
                                                     label="tiers")),
                                 START if data.draw(st.booleans(), label="reached entry") else None),
            meeting_step_entered_on=START)
        before = deepcopy(case)
        try:
            fire(case, trigger, ctx)
        except Refused:
            assert case == before, f"refused {trigger} changed the case"
            continue
        assert case.state in STATES
        assert before.state not in ("deceased", "voided"), "terminal states never move"
        event(f"reached {case.state}")
        if case.state == "closed":
            assert case.disposition in DISPOSITIONS and case.closed_on is not None
            assert standing in DISPOSITIONS[case.disposition].standings
        if case.state not in ("lost_contact", "searching", "voided", "deceased"):
            assert case.reached is not None
        if case.state in OPEN_STATES and case.state not in ("lost_contact", "searching", "verifying",
                                                             "branch_proposal"):
            assert case.disposition is not None and case.chain == POLICY.chain_of(case.disposition)
            if case.chain == "committee":
                assert case.state not in ("upper_prereview", "upper_approval")


class _SearchLogNotLoaded:
    """Stands in for the search summary a caller skipped loading: any read of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError(f"a guard read search.{name} for a trigger outside TRIGGERS_READING_SEARCH")


@settings(max_examples=300, deadline=None)
@given(standing=st.sampled_from(["full", "probationary"]), data=st.data())
def test_only_the_triggers_declared_as_reading_the_search_log_read_it(standing, data):
    from statemachines.lifecycle import TRIGGERS_READING_SEARCH

    case = CaseState("lost_contact", standing=standing, lost_since=date(2015, 8, 31))
    day = START
    for _ in range(data.draw(st.integers(1, 30), label="length")):
        trigger = data.draw(st.sampled_from([t for t in triggers_from(case.state) if t not in ENDINGS]
                                            or ALL_TRIGGERS), label="trigger")
        day += timedelta(days=data.draw(st.integers(0, 200), label="gap"))
        reads_search = trigger in TRIGGERS_READING_SEARCH
        ctx = FireContext(
            effective_on=day, policy=POLICY,
            disposition=data.draw(st.sampled_from(sorted(DISPOSITIONS)), label="disposition"), cause=1,
            meeting=Meeting(day, 10, 10, 10, 0, 0), meeting_step_entered_on=START,
            search=(SearchSummary(frozenset({"direct", "informant", "agency"}),
                                  START if data.draw(st.booleans(), label="reached") else None)
                    if reads_search else _SearchLogNotLoaded()))
        try:
            fire(case, trigger, ctx)
        except Refused:
            continue
