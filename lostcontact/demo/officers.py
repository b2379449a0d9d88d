"""Simulated officers: each day they work on the open cases through the service layer, the way the
branch, the committee and the county would — most on time, some late (so that alerts fire), a few
never. Deterministic for a seed."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from models import Case, Member, Org
from models.db import Database
from statemachines.errors import LostContactError
from statemachines.guards import Meeting

from ..services.cases import fire, log_search
from ..uow import UnitOfWork
from .roster import DemoOrgs

SEARCH_PLAN = (("phone", "direct"), ("relatives", "informant"), ("household_registry", "agency"),
               ("home_visit", "direct"), ("colleagues", "informant"), ("social_security", "agency"))


@dataclass
class Officers:
    db: Database
    orgs: DemoOrgs
    seed: int

    def _rng(self, case_id: int, seq: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + case_id * 101 + seq)

    def work(self, day: date) -> int:
        """One working day: every open case whose officer is due to act does the next step."""
        with UnitOfWork(self.db, write=False) as uow:
            rows = uow.session.execute(
                select(Case.id, Case.state, Case.step_seq, Case.step_entered_on, Case.due_on, Case.reached,
                       Member.standing, Member.abroad, Org.code)
                .join(Member, Member.id == Case.member_id).join(Org, Org.id == Case.branch_id)
                .where(Case.state.not_in(("closed", "deceased", "voided"))).order_by(Case.id)).all()
        done = 0
        for case_id, state, seq, entered_on, due_on, reached, standing, abroad, branch in rows:
            rng = self._rng(case_id, seq)
            temper = rng.random()
            if temper < 0.12:
                continue  # this step is left lying: its alerts escalate
            late = temper < 0.35
            wait = (due_on - entered_on).days + rng.randint(2, 12) if late and due_on else rng.randint(1, 6)
            if (day - entered_on).days < wait:
                continue
            try:
                done += self._act(case_id, state, reached, standing, abroad, branch, day, rng)
            except LostContactError:
                continue  # a refused step is simply tried again another day
        return done

    def _act(self, case_id, state, reached, standing, abroad, branch, day, rng) -> int:
        officer, reviewer, upper = self.orgs.officer[branch], self.orgs.reviewer[branch], self.orgs.upper
        go = lambda trigger, actor, **kw: fire(self.db, case_id, trigger, actor_login=actor, today=day, **kw)  # noqa: E731
        if state == "lost_contact":
            go("start_search", officer)
        elif state == "searching":
            reachable = rng.random() < 0.6
            for channel, _tier in SEARCH_PLAN[: 3 if reachable else 6]:
                log_search(self.db, case_id, channel=channel, outcome="no_answer", actor_login=officer, today=day,
                           note="查找未果", witness="支部委员")
            if reachable:
                log_search(self.db, case_id, channel="relatives", outcome="reached", actor_login=officer, today=day,
                           note="经亲属联系上本人", witness="支部委员")
                go("reach", officer, cause=rng.choice((1, 3, 4, 6)))
            else:
                go("exhaust", officer, cause=rng.choice((1, 2, 6, 7)))
        elif state == "verifying":
            go("propose", officer, opinion="经核实，提出初步处置意见")
        elif state == "branch_proposal":
            go("submit", officer, disposition=self._disposition(reached, standing, rng))
        elif state in ("committee_prereview", "final_approval"):
            go("agree" if state == "committee_prereview" else "approve", reviewer, opinion="同意")
        elif state in ("upper_prereview", "upper_approval"):
            go("agree" if state == "upper_prereview" else "approve", upper, opinion="同意")
        elif state == "meeting_resolution":
            entitled = rng.randint(15, 40)
            go("resolve", officer, meeting=Meeting(day, entitled, entitled - 2, entitled - 3, 1, 0))
        return 1

    @staticmethod
    def _disposition(reached, standing, rng) -> str:
        if standing == "probationary":
            return "normal_management" if reached else "annul_probationary"
        if reached:
            return rng.choices(("normal_management", "correct_within_deadline", "persuade_withdraw"), (6, 2, 1))[0]
        return rng.choices(("suspend_unreachable", "removal_self_withdrawal"), (3, 1))[0]


