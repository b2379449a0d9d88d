"""Cases for the list and search tests, on the builders' world (tests/builders.py), through the services:

    B1  张三 (opened 2016-03-01, long overdue)   张三丰 (opened today, submitted: 正常管理, officer1 searched)
        王五 (voided by reviewer1)              赵六 (deceased, confirmed by officer1)
        =HYPERLINK(...) (opened today)         张无忌 (a member without a case)
    B2  钱七 (opened by officer2 on 2016-05-10)
    B3  李四 (opened by officer3 on 2016-04-01)
"""
from __future__ import annotations

from datetime import date

from lostcontact.services.cases import fire, log_search, open_case
from tests.builders import World

TODAY = date(2016, 6, 20)
LOST = date(2015, 6, 1)
FORMULA_NAME = '=HYPERLINK("http://evil.example","点我")'


def populate(world: World) -> dict[str, int]:
    """The case id of each member's case (by name)."""
    cases: dict[str, int] = {}

    def opened(name: str, branch: str, actor: str, serial: int, at: date | None = None) -> int:
        id_number = world.add_member(name, branch=branch, last_contact=LOST, serial=serial)
        cases[name] = open_case(world.db, id_number, actor_login=actor, today=TODAY, at=at)
        return cases[name]

    opened("张三", "B1", "officer1", 11, at=date(2016, 3, 1))
    case = opened("张三丰", "B1", "officer1", 12)
    fire(world.db, case, "start_search", actor_login="officer1", today=TODAY)
    log_search(world.db, case, channel="phone", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, case, "reach", actor_login="officer1", today=TODAY)
    fire(world.db, case, "propose", actor_login="officer1", today=TODAY, opinion="恢复正常管理", cause=1)
    fire(world.db, case, "submit", actor_login="officer1", today=TODAY, disposition="normal_management")
    fire(world.db, opened("王五", "B1", "officer1", 13), "void", actor_login="reviewer1", today=TODAY,
         opinion="重复立案")
    fire(world.db, opened("赵六", "B1", "officer1", 14), "confirm_death", actor_login="officer1", today=TODAY)
    opened(FORMULA_NAME, "B1", "officer1", 15)
    world.add_member("张无忌", branch="B1", last_contact=LOST, serial=16)
    opened("钱七", "B2", "officer2", 21, at=date(2016, 5, 10))
    opened("李四", "B3", "officer3", 31, at=date(2016, 4, 1))
    return cases
