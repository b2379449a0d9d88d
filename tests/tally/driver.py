"""Drive cases through the service layer on fixed dates, as officers would (tests only)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lostcontact.services.cases import fire, log_search, open_case
from models.db import Database
from statemachines.guards import Meeting

OFFICER = {"B1": "officer1", "B2": "officer2", "B3": "officer3"}
REVIEWER = {"B1": "reviewer1", "B2": "reviewer1", "B3": "reviewer2"}
UPPER = "upper1"
EXHAUSTING_CHANNELS = (("phone", "拨打本人手机，关机"), ("relatives", "走访其父母，称不知去向"),
                       ("household_registry", "经公安户籍系统比对，无新登记信息"))


def meeting_on(day: date, *, entitled: int = 23, present: int = 19, votes_for: int = 17) -> Meeting:
    return Meeting(day, entitled, present, votes_for, present - votes_for - 1, 1)


@dataclass
class Driver:
    db: Database
    today: date

    def open(self, id_number: str, on: date, branch: str = "B1", cause: int | None = None) -> int:
        return open_case(self.db, id_number, actor_login=OFFICER[branch], today=self.today, cause=cause, at=on)

    def fire(self, case_id: int, trigger: str, on: date, actor: str, **options):
        return fire(self.db, case_id, trigger, actor_login=actor, today=self.today, at=on, **options)

    def log(self, case_id: int, on: date, channel: str, outcome: str, branch: str = "B1", note: str | None = None,
            witness: str | None = None) -> int:
        return log_search(self.db, case_id, channel=channel, outcome=outcome, actor_login=OFFICER[branch],
                          today=self.today, at=on, note=note, witness=witness)

    def reach(self, case_id: int, on: date, branch: str = "B1", cause: int = 1) -> date:
        """start_search, one reached entry, reach; returns the last date used."""
        self.fire(case_id, "start_search", on, OFFICER[branch])
        self.log(case_id, on + timedelta(days=1), "phone", "reached", branch, note="电话联系上本人，说明情况",
                 witness="支部组织委员")
        self.fire(case_id, "reach", on + timedelta(days=2), OFFICER[branch], cause=cause,
                  opinion="本人在外务工，愿意恢复组织生活")
        return on + timedelta(days=2)

    def exhaust(self, case_id: int, on: date, branch: str = "B1", cause: int = 6) -> date:
        self.fire(case_id, "start_search", on, OFFICER[branch])
        for offset, (channel, note) in enumerate(EXHAUSTING_CHANNELS, start=1):
            self.log(case_id, on + timedelta(days=offset), channel, "no_answer", branch, note=note,
                     witness="支部书记")
        self.fire(case_id, "exhaust", on + timedelta(days=4), OFFICER[branch], cause=cause)
        return on + timedelta(days=4)

    def decide(self, case_id: int, on: date, disposition: str, branch: str = "B1", *, upper: bool = False,
               stop_before: str | None = None) -> date:
        """propose … approve on consecutive days; `stop_before` leaves the case before that trigger."""
        officer, reviewer = OFFICER[branch], REVIEWER[branch]
        steps = [("propose", officer, {"opinion": "失联期间无违纪违法行为"}),
                 ("submit", officer, {"disposition": disposition, "opinion": "支委会研究提出"}),
                 ("agree", reviewer, {"opinion": "同意"})]
        if upper:
            steps.append(("agree", UPPER, {"opinion": "同意预审"}))
        steps.append(("resolve", officer, {}))
        steps.append(("approve", reviewer, {"opinion": "批准"}))
        if upper:
            steps.append(("approve", UPPER, {"opinion": "审批同意"}))
        day = on
        for trigger, actor, options in steps:
            if trigger == stop_before:
                break
            day += timedelta(days=1)
            if trigger == "resolve":
                options = {"meeting": meeting_on(day)}
            self.fire(case_id, trigger, day, actor, **options)
        return day
