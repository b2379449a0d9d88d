"""A small, fixed world for service tests: an org tree, users with grants and members.

    410000 河南省 (province)
      410400 平顶山市 (city)
        410402 新华区委组织部 (county)            upper1: upper_reviewer, supervisor1: supervisor
          C1 区直机关党委 (committee)             reviewer1: committee_reviewer
            B1 第一党支部 (branch)                officer1: branch_officer
            GB1 党总支 (general_branch)
              B2 第二党支部 (branch)              officer2
          C2 街道党委 (committee)                 reviewer2
            B3 社区党支部 (branch)                officer3
      admin1: admin at 410000
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lostcontact.importing.values import with_check_digit

from lostcontact.services.orgs import add_org
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import ContactEvent, Member
from models.db import Database

ORGS = [
    ("410000", "河南省", "province", None),
    ("410400", "平顶山市", "city", "410000"),
    ("410402", "新华区委组织部", "county", "410400"),
    ("C1", "区直机关党委", "committee", "410402"),
    ("B1", "第一党支部", "branch", "C1"),
    ("GB1", "机关党总支", "general_branch", "C1"),
    ("B2", "第二党支部", "branch", "GB1"),
    ("C2", "街道党委", "committee", "410402"),
    ("B3", "社区党支部", "branch", "C2"),
]
USERS = [
    ("officer1", "branch_officer", "B1"), ("officer2", "branch_officer", "B2"), ("officer3", "branch_officer", "B3"),
    ("reviewer1", "committee_reviewer", "C1"), ("reviewer2", "committee_reviewer", "C2"),
    ("upper1", "upper_reviewer", "410402"), ("supervisor1", "supervisor", "410402"), ("admin1", "admin", "410000"),
]


def make_id_number(serial: int, birth: date = date(1980, 1, 1)) -> str:
    """A valid 18-character resident ID (GB 11643 checksum) for test member `serial`."""
    body = f"410402{birth:%Y%m%d}{serial % 1000:03d}"
    return with_check_digit(body)


@dataclass
class World:
    db: Database
    members: dict[str, str] = field(default_factory=dict)  # name -> ID number

    def add_member(self, name: str, *, branch: str = "B1", standing: str = "full", join: date = date(2005, 7, 1),
                   last_contact: date | None = None, abroad: bool = False, serial: int | None = None,
                   **extra) -> str:
        serial = serial if serial is not None else len(self.members) + 1
        id_number = make_id_number(serial)
        with UnitOfWork(self.db) as uow:
            s = uow.session
            from lostcontact.orgtree import org_by_code
            branch_org = org_by_code(s, branch)
            member = Member(id_number=id_number, name=name, join_date=join, standing=standing, branch_id=branch_org.id,
                            abroad=abroad, last_contact_on=last_contact or join,
                            probation_start=join if standing == "probationary" else None, **extra)
            s.add(member)
            s.flush()
            if last_contact:
                s.add(ContactEvent(member_id=member.id, on_date=last_contact, kind="org_life", source="test"))
            uow.commit()
        self.members[name] = id_number
        return id_number

    def open_case_in(self, branch: str, *, today: date) -> int:
        """A case of a new member of `branch`, opened on `today` by that branch's officer: B1 (under C1) for 张三
        by officer1, B3 (the other committee's subtree, under C2) for 李四 by officer3."""
        from lostcontact.services.cases import open_case
        name, officer = {"B1": ("张三", "officer1"), "B3": ("李四", "officer3")}[branch]
        id_number = self.add_member(name, branch=branch, last_contact=date(2015, 8, 31))
        return open_case(self.db, id_number, actor_login=officer, today=today)


def build_world(db: Database) -> World:
    with UnitOfWork(db) as uow:
        for code, name, level, parent in ORGS:
            add_org(uow.session, code=code, name=name, level=level, parent_code=parent)
        uow.commit()
    for login, role, org in USERS:
        add_user(db, login, role=role, org_code=org)
    return World(db)
