"""附件8 外出流动党员情况汇总表 always agrees with 附件4 and with itself: whatever the roster, each org's row is the
sum of its children's, each split (职业 ①–⑤ + 未填, 外出流向 ①–⑥ + 未填) adds up to the total, and the top row
counts exactly the members 附件4 lists — those flagged mobile who had left by the date."""
from __future__ import annotations

import io
import re
from datetime import date
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from lostcontact.queries.member_forms import mobile_summary
from lostcontact.reports.render import render_register
from lostcontact.uow import UnitOfWork
from models import Org

from ..builders import World, build_world

AS_OF = date(2016, 5, 31)
TODAY = date(2016, 6, 20)
SERIALS = count(1000)

member_strategy = st.fixed_dictionaries({
    "branch": st.sampled_from(("B1", "B2", "B3")),
    "mobile": st.booleans(),
    "occupation": st.one_of(st.none(), st.integers(1, 8)),
    "flow_direction": st.one_of(st.none(), st.integers(1, 6)),
    "flow_card_no": st.sampled_from((None, "", "  ", "豫流0001")),
    "away_since": st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2016, 6, 20))),
    "standing": st.sampled_from(("full", "probationary")),
})


def world_of(db) -> World:
    with UnitOfWork(db, write=False) as uow:
        built = uow.session.scalar(select(Org.id).where(Org.code == "B1")) is not None
    return World(db) if built else build_world(db)


@pytest.mark.slow  # 30 random rosters, each on both engines
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(members=st.lists(member_strategy, max_size=8))
def test_the_mobile_summary_adds_up_and_counts_the_mobile_register(db, members):
    world = world_of(db)
    for m in members:
        branch, standing = m.pop("branch"), m.pop("standing")
        world.add_member(f"员{next(SERIALS)}", branch=branch, standing=standing, serial=next(SERIALS), **m)

    with UnitOfWork(db, write=False) as uow:
        root = uow.session.scalar(select(Org).where(Org.code == "410402"))
        tree = mobile_summary(uow.session, root, AS_OF)
    for _depth, node in tree.walk():
        c = node.columns
        assert sum(c[f"occupation{i}"] for i in range(1, 6)) + c["occupation_unknown"] == c["total"]
        assert sum(c[f"direction{i}"] for i in range(1, 7)) + c["direction_unknown"] == c["total"]
        assert c["card"] <= c["total"] and c["probationary"] <= c["total"]
        if node.children:
            assert all(c[k] == sum(child.columns[k] for child in node.children) for k in c)
    out = io.StringIO()
    render_register(db, "mobile", today=TODAY, as_of=AS_OF, org_code="410402", stdout=out)
    listed = len(re.findall(r"<tr><td>\d+</td>", out.getvalue()))
    assert listed == tree.columns["total"] == world_mobile_count(db)


def world_mobile_count(db) -> int:
    """The model: members flagged mobile who had left by AS_OF (or whose day is not recorded); none is lost."""
    from models import Member
    with UnitOfWork(db, write=False) as uow:
        rows = uow.session.execute(select(Member.mobile, Member.away_since, Member.join_date)).all()
    return sum(1 for mobile, away, joined in rows if mobile and (away is None or away <= AS_OF) and joined <= AS_OF)
