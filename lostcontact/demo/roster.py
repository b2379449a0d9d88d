"""The demo organisation tree, users and roster with contact histories, deterministic for a seed.

Members are written directly through the models in bulk (this is data generation, not a user action);
every resident ID carries a valid GB 11643 check digit.
"""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert

from models import ContactEvent, Member
from models.db import Database

from ..importing.values import with_check_digit
from .details import fill_details
from ..orgtree import org_by_code
from ..services.orgs import add_org
from ..services.users import add_user
from ..uow import UnitOfWork

COUNTY = "411001"
# code, name, level, parent, org type (DOMAIN.md §10)
ORGS = [
    (COUNTY, "示范县委组织部", "county", None, 4),
    ("41100101", "县直机关工作委员会", "committee", COUNTY, 4),
    ("4110010101", "县教育局党总支", "general_branch", "41100101", 5),
    ("411001010101", "县第一中学党支部", "branch", "4110010101", 5),
    ("411001010102", "县实验小学党支部", "branch", "4110010101", 5),
    ("411001010103", "县教育局机关党支部", "branch", "41100101", 4),
    ("411001010104", "县人社局党支部", "branch", "41100101", 4),
    ("41100102", "城关镇党委", "committee", COUNTY, 3),
    ("4110010201", "城关镇社区党总支", "general_branch", "41100102", 7),
    ("411001020101", "东关社区党支部", "branch", "4110010201", 7),
    ("411001020102", "西关社区党支部", "branch", "4110010201", 7),
    ("411001020103", "南湖村党支部", "branch", "41100102", 3),
    ("411001020104", "北岗村党支部", "branch", "41100102", 3),
    ("41100103", "示范经济开发区党工委", "committee", COUNTY, 2),
    ("411001030101", "示范机械有限公司党支部", "branch", "41100103", 1),
    ("411001030102", "开发区非公企业联合党支部", "branch", "41100103", 2),
    ("411001030103", "开发区物流园党支部", "branch", "41100103", 2),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
# the logins the demo suggests for a first look at the web app: the whole county, a committee, a branch
SHOWCASE_LOGINS = ("admin", "reviewer_41100101", "officer_411001010101")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建国红梅志强海燕德胜春生"


@dataclass(frozen=True)
class DemoOrgs:
    branches: tuple[str, ...]
    officer: dict[str, str]    # branch code -> branch officer login
    reviewer: dict[str, str]   # branch code -> committee reviewer login
    upper: str


def build_orgs(db: Database, *, password_hash: str | None = None) -> DemoOrgs:
    with UnitOfWork(db) as uow:
        for code, name, level, parent, org_type in ORGS:
            add_org(uow.session, code=code, name=name, level=level, parent_code=parent, org_type=org_type)
        uow.commit()
    committees = {code for code, _n, level, _p, _t in ORGS if level == "committee"}
    parent_of = {code: parent for code, _n, _l, parent, _t in ORGS}
    name_of = {code: name for code, name, _l, _p, _t in ORGS}
    officer, reviewer = {}, {}
    add = functools.partial(add_user, db, password_hash=password_hash)  # one demo password for every user
    for code in committees:
        add(f"reviewer_{code}", role="committee_reviewer", org_code=code, name=f"{name_of[code]}组织委员")
    branches = tuple(code for code, _n, level, _p, _t in ORGS if level == "branch")
    for code in branches:
        officer[code] = f"officer_{code}"
        add(officer[code], role="branch_officer", org_code=code, name=f"{name_of[code]}书记")
        committee = parent_of[code]
        while committee not in committees:
            committee = parent_of[committee]
        reviewer[code] = f"reviewer_{committee}"
    add(f"upper_{COUNTY}", role="upper_reviewer", org_code=COUNTY, name="县委组织部组织科")
    add("admin", role="admin", org_code=COUNTY, name="系统管理员")
    add("supervisor", role="supervisor", org_code=COUNTY, name="督查组")
    return DemoOrgs(branches, officer, reviewer, f"upper_{COUNTY}")


def _id_number(rng: random.Random, used: set[str]) -> tuple[str, date]:
    while True:
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        body = f"411001{birth:%Y%m%d}{rng.randrange(1000):03d}"
        if body not in used:
            used.add(body)
            return with_check_digit(body), birth


def _profile(rng: random.Random) -> str:
    roll = rng.random()
    for name, share in (("lost", 0.06), ("drifting", 0.10), ("mobile", 0.05), ("pocket", 0.02)):
        if roll < share:
            return name
        roll -= share
    return "regular"


def build_roster(db: Database, orgs: DemoOrgs, *, members: int, start: date, seed: int) -> dict[str, int]:
    """`members` members with monthly contacts; some drift away so that the rules fire during the demo."""
    rng = random.Random(seed)
    details = random.Random(seed * 7919 + 1)  # a stream of its own (demo/details.py)
    used: set[str] = set()
    profiles: dict[str, int] = {}
    with UnitOfWork(db) as uow:
        s = uow.session
        branch_ids = {code: org_by_code(s, code).id for code in orgs.branches}
        rows, contacts = [], []
        for serial in range(members):
            profile = _profile(rng)
            profiles[profile] = profiles.get(profile, 0) + 1
            id_number, birth = _id_number(rng, used)
            join = max(birth + timedelta(days=365 * 20), start - timedelta(days=rng.randrange(300, 365 * 30)))
            probationary = profile != "mobile" and rng.random() < 0.06
            last = {"lost": start - timedelta(days=rng.randrange(184, 420)),
                    "drifting": start - timedelta(days=rng.randrange(140, 184)),
                    "mobile": start - timedelta(days=rng.randrange(40, 90)),
                    "pocket": start - timedelta(days=rng.randrange(60, 120)),
                    "regular": start - timedelta(days=rng.randrange(0, 60))}[profile]
            if probationary:
                join = start - timedelta(days=rng.randrange(200, 360))
            last = max(last, join)
            row = dict(id_number=id_number, name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                       sex=rng.choice("MF"), ethnicity="汉族", birth_date=birth, join_date=join,
                       standing="probationary" if probationary else "full",
                       probation_start=join if probationary else None, phone=f"13{rng.randrange(10**9):09d}",
                       branch_id=branch_ids[rng.choice(orgs.branches)], occupation=rng.randint(1, 8),
                       last_contact_on=last)
            if profile == "mobile":
                row.update(mobile=True, flow_direction=rng.randint(1, 4), away_since=last + timedelta(days=1),
                           flow_reason="外出务工", reported=False)
            if profile == "pocket":
                row.update(transfer_out_date=start - timedelta(days=rng.randrange(80, 110)), receipt_returned=False,
                           receiving_org="外县某党支部")
            fill_details(row, profile, details, start)
            rows.append(row)
        s.execute(insert(Member), rows)
        ids = dict(s.execute(Member.__table__.select().with_only_columns(Member.id_number, Member.id)).all())
        for row in rows:
            day, member_id = row["last_contact_on"], ids[row["id_number"]]
            for month in range(12):  # monthly organisational life (and dues) back from the last contact
                if day < row["join_date"]:
                    break
                contacts.append(dict(member_id=member_id, on_date=day, kind="org_life" if month % 3 else "dues",
                                     source="demo"))
                day -= timedelta(days=30)
        s.execute(insert(ContactEvent), contacts)
        uow.commit()
    return profiles
