"""The small world of the member-form tests (seed 003 附件1, 2, 4, 8): tests/builders.py's tree with

    B1 甲 (full details, family of two)        乙 mobile ④ 跨省流动, card, 农村外出务工 → 附件4 职业④
    B2 丙 probationary, mobile, no occupation nor direction recorded
    B3 丁 mobile, lost (searching since 2016-03-01)   → not in 附件4/8 (note 6), 失联 in 附件2
       戊 abroad (出国（境） block filled)              己 mobile, reached after being lost → back in 附件4
       庚 mobile, gone only after AS_OF                → not yet in 附件4/8
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import update

from lostcontact.uow import UnitOfWork
from models import Org

from ..builders import World, build_world
from ..tally.driver import Driver

TODAY = date(2016, 6, 20)
AS_OF = date(2016, 5, 31)
FAMILY = [{"relation": "配偶", "name": "李某", "birth": "1986-03", "political": "群众", "work": "平顶山市某公司职员"},
          {"relation": "儿子", "name": "甲小", "birth": "2012-09", "political": None, "work": None}]


@dataclass
class MemberWorld:
    world: World
    lost_case: int


def build_member_world(db) -> MemberWorld:
    world = build_world(db)
    with UnitOfWork(db) as uow:  # 党组织类别: C1 党政机关 (④ → 附件4 ③), C2 街道社区 (⑦ → 附件4 ②)
        uow.session.execute(update(Org).where(Org.code == "C1").values(org_type=4))
        uow.session.execute(update(Org).where(Org.code == "C2").values(org_type=7))
        uow.commit()
    add = world.add_member
    add("甲", branch="B1", sex="M", ethnicity="汉族", birth_date=date(1980, 1, 1), phone="13800000001",
        marital_status="married", work_start_date=date(2002, 7, 1), education="大学本科", degree="学士",
        school="郑州大学", party_post="党支部组织委员", family=json.dumps(FAMILY, ensure_ascii=False),
        last_contact=date(2016, 5, 1))
    add("乙", branch="B1", occupation=3, mobile=True, flow_direction=4, flow_reason="外出务工",
        flow_card_no="豫流字0001", receiving_unit="广州市某电子厂", away_since=date(2016, 1, 5),
        last_contact=date(2016, 5, 2))
    add("丙", branch="B2", standing="probationary", join=date(2015, 12, 1), mobile=True, last_contact=date(2016, 5, 3))
    lost_id = add("丁", branch="B3", occupation=1, mobile=True, flow_direction=3, away_since=date(2015, 6, 1),
                  last_contact=date(2015, 8, 31))
    add("戊", branch="B3", abroad=True, abroad_date=date(2015, 9, 1), abroad_reason="留学", abroad_contact="regular",
        membership_handling="retain_2y", return_date=date(2016, 3, 1), life_resumption="applied",
        last_contact=date(2016, 5, 4))
    reached_id = add("己", branch="B3", occupation=4, mobile=True, flow_direction=1, flow_card_no="豫流字0002",
                     away_since=date(2015, 5, 1), last_contact=date(2015, 8, 31))
    add("庚", branch="B3", occupation=8, mobile=True, flow_direction=6, away_since=date(2016, 6, 10),
        last_contact=date(2016, 5, 5))
    drive = Driver(db, TODAY)
    lost_case = drive.open(lost_id, date(2016, 3, 1), "B3")
    drive.fire(lost_case, "start_search", date(2016, 3, 2), "officer3")
    drive.reach(drive.open(reached_id, date(2016, 3, 1), "B3"), date(2016, 3, 5), "B3", cause=1)
    return MemberWorld(world, lost_case)
