"""Drive one case through the service layer with deterministic dates, the right user for each step."""
from __future__ import annotations

from datetime import date, timedelta

from lostcontact.queries.cases import show_case
from lostcontact.services.cases import FireResult, fire, log_search, open_case
from statemachines.guards import Meeting
from statemachines.lifecycle import roles_for

USER_FOR_ROLE = {"branch_officer": "officer1", "committee_reviewer": "reviewer1", "upper_reviewer": "upper1"}
OPINIONS = {"propose", "return", "void", "record_expulsion", "reopen", "withdraw_reopen"}


def passing_meeting(on: date) -> Meeting:
    return Meeting(on, entitled=23, present=19, votes_for=17, against=1, abstain=1)


def failing_meeting(on: date) -> Meeting:
    return Meeting(on, entitled=23, present=19, votes_for=11, against=6, abstain=2)


class CaseDriver:
    """A case of one member, each action a day after the previous one."""

    def __init__(self, db, id_number: str, *, opened: date = date(2016, 3, 1), today: date = date(2016, 6, 20),
                 branch_officer: str = "officer1"):
        self.db, self.today, self.day = db, today, opened
        self.users = dict(USER_FOR_ROLE, branch_officer=branch_officer)
        self.case_id = open_case(db, id_number, actor_login=branch_officer, today=today, at=opened)

    def next_day(self) -> date:
        self.day += timedelta(days=1)
        return self.day

    def log(self, channel: str, outcome: str = "no_answer", actor: str | None = None) -> None:
        log_search(self.db, self.case_id, channel=channel, outcome=outcome, actor_login=actor or self.users["branch_officer"],
                   today=self.today, at=self.next_day(), note=f"{channel} 查找", witness="李四")

    def fire(self, trigger: str, *, actor: str | None = None, state: str | None = None, **options) -> FireResult:
        if actor is None:
            current = state or self.view()["state"]
            actor = self.users[roles_for(trigger, current)[0]]
        if trigger in OPINIONS and "opinion" not in options:
            options["opinion"] = f"{trigger} 意见"
        at = options.pop("at", None) or self.next_day()
        self.day = max(self.day, at)
        if trigger in ("resolve", "reject") and "meeting" not in options:
            options["meeting"] = (passing_meeting if trigger == "resolve" else failing_meeting)(at)
        return fire(self.db, self.case_id, trigger, actor_login=actor, today=self.today, at=at, **options)

    def view(self, actor: str | None = None) -> dict:
        return show_case(self.db, self.case_id, today=self.today, actor_login=actor)

    # ---- common paths -----------------------------------------------------------------------------------
    def reach(self, cause: int = 1) -> None:
        self.fire("start_search")
        self.log("phone", "no_answer")
        self.log("relatives", "reached")
        self.fire("reach", cause=cause)

    def exhaust(self, cause: int = 1) -> None:
        self.fire("start_search")
        for channel in ("phone", "relatives", "household_registry"):
            self.log(channel)
        self.fire("exhaust", cause=cause)

    def to_proposal(self, *, reached: bool = True, cause: int = 1) -> None:
        self.reach(cause) if reached else self.exhaust(cause)
        self.fire("propose")

    def through_chain(self, disposition: str) -> list[str]:
        """From branch_proposal: submit and approve through whatever chain the disposition has."""
        states = []
        self.fire("submit", disposition=disposition)
        while (state := self.view()["state"]) != "closed":
            trigger = {"committee_prereview": "agree", "upper_prereview": "agree", "meeting_resolution": "resolve",
                       "final_approval": "approve", "upper_approval": "approve"}[state]
            states.append(state)
            self.fire(trigger)
        return states
