"""The fixed scenario of the tally and report tests: ten members of tests/builders.py's world, every
case driven through the service layer on fixed dates, so every figure and every form is stable.

    B1 张三   reached, normal_management approved 2016-03-09            → C
    B1 李四   not reached, suspend_unreachable approved 2016-04-10      → S, T
    B1 吴十   voided 2016-03-05                                          → counted nowhere
    B1 郑十一 not reached, expulsion recorded 2016-05-03                 → V
    B2 王五   probationary, not reached, annul_probationary 2016-04-17   → P, R
    B2 赵六   reached, persuade_withdraw (upper chain) approved 05-15    → G, H
    B2 冯十二 pocket member (R4), searching                              → W
    B3 钱七   confirmed dead 2016-04-01                                  → X
    B3 孙八   searching                                                  → W
    B3 周九   abroad, reached, retain_relationship submitted, not final  → N

As of PAST (2016-04-09) 李四, 王五 and 郑十一 are still W and 赵六 is N.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import update

from lostcontact.uow import UnitOfWork
from models import Org

from ..builders import World, build_world
from .driver import OFFICER, REVIEWER, Driver

TODAY = date(2016, 6, 20)
PAST = date(2016, 4, 9)
OPENED = date(2016, 3, 1)
LAST_CONTACT = date(2015, 8, 31)


@dataclass
class Scenario:
    world: World
    cases: dict[str, int] = field(default_factory=dict)  # member name -> case id


def build_scenario(db) -> Scenario:
    world = build_world(db)
    with UnitOfWork(db) as uow:  # 党组织类别 of the committees; their branches inherit them
        uow.session.execute(update(Org).where(Org.code == "C1").values(org_type=4))
        uow.session.execute(update(Org).where(Org.code == "C2").values(org_type=7))
        uow.commit()
    drive = Driver(db, TODAY)
    sc = Scenario(world)

    def member(name: str, branch: str, **extra) -> str:
        extra.setdefault("last_contact", LAST_CONTACT)
        return world.add_member(name, branch=branch, sex=extra.pop("sex", "M"), ethnicity="汉族",
                                birth_date=extra.pop("birth", date(1985, 5, 1)), phone="13800000000",
                                occupation=extra.pop("occupation", 3), **extra)

    def open_(name: str, branch: str, cause: int | None = None) -> int:
        sc.cases[name] = drive.open(world.members[name], OPENED, branch, cause=cause)
        return sc.cases[name]

    member("张三", "B1")
    day = drive.reach(open_("张三", "B1"), date(2016, 3, 2), "B1", cause=1)
    drive.decide(sc.cases["张三"], day, "normal_management", "B1")

    member("李四", "B1", sex="F", occupation=2)
    day = drive.exhaust(open_("李四", "B1"), date(2016, 3, 2), "B1", cause=6)
    drive.decide(sc.cases["李四"], date(2016, 4, 5), "suspend_unreachable", "B1")

    member("吴十", "B1")
    drive.fire(open_("吴十", "B1"), "void", date(2016, 3, 5), REVIEWER["B1"], opinion="身份证号登记错误，立错对象")

    member("郑十一", "B1", occupation=1)
    drive.fire(open_("郑十一", "B1"), "start_search", date(2016, 3, 2), OFFICER["B1"])
    drive.fire(sc.cases["郑十一"], "record_expulsion", date(2016, 5, 3), REVIEWER["B1"],
               opinion="区纪委决定给予开除党籍处分")

    member("王五", "B2", standing="probationary", join=date(2015, 6, 1), last_contact=date(2015, 7, 1))
    day = drive.exhaust(open_("王五", "B2"), date(2016, 3, 2), "B2", cause=3)
    drive.decide(sc.cases["王五"], date(2016, 4, 12), "annul_probationary", "B2")

    member("赵六", "B2", occupation=4)
    day = drive.reach(open_("赵六", "B2"), date(2016, 3, 10), "B2", cause=4)
    drive.decide(sc.cases["赵六"], date(2016, 5, 8), "persuade_withdraw", "B2", upper=True)

    member("冯十二", "B2", last_contact=date(2016, 1, 10), transfer_out_date=date(2015, 10, 1),
           receiving_org="郑州市某公司党支部")
    drive.fire(open_("冯十二", "B2"), "start_search", date(2016, 3, 3), OFFICER["B2"])

    member("钱七", "B3", birth=date(1950, 2, 1), occupation=4)
    drive.fire(open_("钱七", "B3"), "confirm_death", date(2016, 4, 1), OFFICER["B3"], opinion="经民政部门核实已于2015年12月病故")

    member("孙八", "B3", occupation=6)
    drive.fire(open_("孙八", "B3"), "start_search", date(2016, 3, 4), OFFICER["B3"])

    member("周九", "B3", abroad=True, abroad_reason="留学", occupation=5)
    day = drive.reach(open_("周九", "B3", cause=5), date(2016, 3, 3), "B3", cause=5)
    drive.decide(sc.cases["周九"], date(2016, 6, 1), "retain_relationship", "B3", stop_before="agree")
    return sc
