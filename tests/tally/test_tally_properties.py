"""Property: for random case histories (dispositions, returns, reopenings, deaths, voids, later cases, dates)
every tally adds up, equals a naive case-by-case replay, rolls up exactly, and a past tally does not move
when events effective after its date are recorded (DOMAIN.md §6.2, §8)."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import pytest
from sqlalchemy import delete, select

from lostcontact.policies import ensure_default_policy
from lostcontact.queries.tally import tally
from lostcontact.uow import UnitOfWork
from models import Base, Case, Member, PolicyVersion
from statemachines.dispositions import DISPOSITIONS, REOPEN_ALLOWED
from statemachines.errors import Refused
from statemachines.lifecycle import triggers_from

from ..builders import build_world
from .driver import EXHAUSTING_CHANNELS, OFFICER, REVIEWER, UPPER, Driver, meeting_on
from .oracle import naive_tally

TODAY = date(2030, 12, 31)  # far enough that a random history never runs into it
START = date(2015, 9, 1)
BRANCHES = ("B1", "B2", "B3")
GAPS = st.sampled_from([0, 1, 1, 3, 3, 10, 10, 40, 200])
# officers mostly move cases forward; terminal triggers are rarer, so histories get to dispositions
WEIGHTS = {"confirm_death": 1, "record_expulsion": 1, "void": 1, "return": 3, "reject": 3, "reopen": 20,
           "withdraw_reopen": 4}


def weighted(triggers: list[str]) -> list[str]:
    return [t for t in triggers for _ in range(WEIGHTS.get(t, 30))]


def submittable(reached: bool | None, reopen_kind: str | None) -> list[str]:
    allowed = REOPEN_ALLOWED[reopen_kind] if reopen_kind else DISPOSITIONS
    return sorted(d for d in allowed if DISPOSITIONS[d].submittable and bool(reached) in DISPOSITIONS[d].reached)


def reset(db) -> None:
    with UnitOfWork(db) as uow:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name != PolicyVersion.__tablename__:
                uow.session.execute(delete(table))
        ensure_default_policy(uow.session)
        uow.commit()


class History:
    """Random officers' work on a few members, through the service layer, on an advancing date."""

    def __init__(self, db, data):
        self.db, self.data, self.drive = db, data, Driver(db, TODAY)
        self.day = START
        world = build_world(db)
        self.members = [(world.add_member(f"党员{i}", branch=BRANCHES[i % 3], last_contact=date(2015, 1, 1),
                                          standing="probationary" if i == 3 else "full", abroad=i == 2),
                         BRANCHES[i % 3]) for i in range(4)]
        self.event_days: set[date] = set()

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.day = min(self.day + timedelta(days=self.data.draw(GAPS)), TODAY - timedelta(days=1))
            index = self.data.draw(st.integers(0, len(self.members) - 1))
            try:
                self.act(index)
                self.event_days.add(self.day)
            except Refused:
                pass  # the random officer tried something the rules forbid: nothing changed

    def act(self, index: int) -> None:
        id_number, branch = self.members[index]
        officer, reviewer = OFFICER[branch], REVIEWER[branch]
        case = self._case_of(id_number)
        triggers = triggers_from(case[1]) if case else []
        if not triggers or (case[1] == "closed" and self.data.draw(st.booleans())):
            self.drive.open(id_number, self.day, branch)  # a first case, or the member lost again
            return
        trigger = self.data.draw(st.sampled_from(weighted(triggers)))
        d, (cid, state, reached, reopen_kind) = self.day, case
        upper_step = state in ("upper_prereview", "upper_approval")
        if trigger == "start_search":
            self.drive.fire(cid, trigger, d, officer)
        elif trigger == "reach":
            self.drive.log(cid, d, "phone", "reached", branch)
            self.drive.fire(cid, trigger, d, officer, cause=self.data.draw(st.integers(1, 7)))
        elif trigger == "exhaust":
            for channel, _note in EXHAUSTING_CHANNELS:
                self.drive.log(cid, d, channel, "no_answer", branch)
            self.drive.fire(cid, trigger, d, officer, cause=self.data.draw(st.integers(1, 7)))
        elif trigger == "propose":
            self.drive.fire(cid, trigger, d, officer, opinion="查明情况", cause=5)
        elif trigger == "submit":
            self.drive.fire(cid, trigger, d, officer, disposition=self.data.draw(st.sampled_from(submittable(reached, reopen_kind))))
        elif trigger in ("agree", "approve", "return"):
            self.drive.fire(cid, trigger, d, UPPER if upper_step else reviewer, opinion="意见")
        elif trigger in ("resolve", "reject"):
            votes = 20 if trigger == "resolve" else 3
            self.drive.fire(cid, trigger, d, officer, meeting=meeting_on(d, votes_for=votes))
        elif trigger in ("record_expulsion", "void"):
            self.drive.fire(cid, trigger, d, reviewer, opinion="决定")
        else:  # confirm_death, reopen, withdraw_reopen
            self.drive.fire(cid, trigger, d, officer, opinion="说明")

    def _case_of(self, id_number: str) -> tuple | None:
        """(id, state, reached, reopen_kind) of the member's newest case."""
        with UnitOfWork(self.db, write=False) as uow:
            row = uow.session.execute(select(Case.id, Case.state, Case.reached, Case.reopen_kind).join(Member, Member.id == Case.member_id)
                                      .where(Member.id_number == id_number).order_by(Case.id.desc()).limit(1)).first()
            return tuple(row) if row else None


def check(db, as_of: date) -> dict:
    tree, _ = tally(db, today=TODAY, as_of=as_of)  # raises if any invariant is broken
    expected = naive_tally(db, as_of)
    for _depth, node in tree.walk():
        assert node.columns == expected[node.code], (node.code, as_of)
        for column, value in node.columns.items():
            assert value == node.own[column] + sum(c.columns[column] for c in node.children)
    return tree.as_json(as_of)


@pytest.mark.slow  # 25 random histories of up to 110 steps, each on both engines
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_random_histories_always_add_up_and_past_tallies_never_move(db, data):
    reset(db)
    history = History(db, data)
    history.run(data.draw(st.integers(20, 80)))
    frozen_day = history.day
    frozen = check(db, frozen_day)
    earlier = check(db, frozen_day - timedelta(days=data.draw(st.integers(1, 120))))
    history.day += timedelta(days=1)
    history.run(data.draw(st.integers(1, 30)))
    assert check(db, frozen_day) == frozen
    for day in sorted(history.event_days)[-6:]:
        check(db, day)
    assert earlier == check(db, date.fromisoformat(earlier["as_of"]))
