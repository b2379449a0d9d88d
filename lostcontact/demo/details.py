"""The 党员基本信息表 fields of the demo roster (seed 003 附件1): education and work, a family for some, the
流动 block of the mobile members and the 出国（境） block of a few regular members, so that `lostcontact demo`
fills 附件1, 2, 4 and 8. A random stream of its own: the roster and the cases the demo drives stay as they were."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

from statemachines.member_codes import ABROAD_CONTACTS, LIFE_RESUMPTIONS, MEMBERSHIP_HANDLINGS

EDUCATION = (("大学本科", "学士", "郑州大学"), ("大学本科", "学士", "河南大学"), ("大学专科", None, "平顶山学院"),
             ("研究生", "硕士", "河南理工大学"), ("高中", None, "平顶山市第一中学"))
POSTS = ("党支部书记", "党支部组织委员", "党支部宣传委员", "党支部纪检委员")
FLOW_REASONS = ("外出务工", "经商", "长期居住")
UNITS = ("广州市某电子厂", "郑州市某建筑公司", "深圳市某物流公司", "北京市某餐饮店")
ABROAD_REASONS = ("留学", "探亲", "外派", "因私")


def fill_details(row: dict, profile: str, rng: random.Random, start: date) -> None:
    """Add the 附件1 fields to one member's row (as build_roster inserts it)."""
    birth = row["birth_date"]
    education, degree, school = rng.choice(EDUCATION)
    row.update(marital_status=rng.choice(("unmarried", "married", "married", "married", "divorced")),
               work_start_date=birth + timedelta(days=365 * 22 + rng.randrange(300)), education=education,
               degree=degree, school=school)
    if rng.random() < 0.04:
        row["party_post"] = rng.choice(POSTS)
    if rng.random() < 0.3:
        spouse_born, father_born = birth.year + rng.randint(-3, 3), birth.year - 27
        row["family"] = json.dumps([
            {"relation": "配偶", "name": row["name"][0] + "某", "birth": f"{spouse_born}-0{rng.randint(1, 9)}",
             "political": rng.choice(("群众", "中共党员")), "work": rng.choice(UNITS)},
            {"relation": "父亲", "name": row["name"][0] + "某某", "birth": f"{father_born}-0{rng.randint(1, 9)}",
             "political": "群众", "work": "务农"}], ensure_ascii=False)
    if profile == "mobile":
        row.update(flow_reason=rng.choice(FLOW_REASONS), receiving_unit=rng.choice(UNITS))
        if rng.random() < 0.6:
            row["flow_card_no"] = f"豫流{rng.randrange(10**6):06d}"
    elif profile == "regular" and rng.random() < 0.02:
        left = start - timedelta(days=rng.randrange(100, 900))
        row.update(abroad=True, abroad_date=left, abroad_reason=rng.choice(ABROAD_REASONS),
                   abroad_contact=rng.choice(tuple(ABROAD_CONTACTS)),
                   membership_handling=rng.choice(tuple(MEMBERSHIP_HANDLINGS)))
        if rng.random() < 0.4:
            row.update(return_date=min(start, left + timedelta(days=rng.randrange(60, 400))),
                       life_resumption=rng.choice(tuple(LIFE_RESUMPTIONS)))
