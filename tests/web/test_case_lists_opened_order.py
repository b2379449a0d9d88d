"""全部案件 sorted by 立案日期: however the scope is read (a few branches by id, a large subtree walked along
ix_cases_opened_on with each case's org checked, the whole tree with no condition), paging through the list
gives every case of the scope exactly once, in the order of a plain ORDER BY opened_on, id — also when many
cases share an opening day and a page ends in the middle of them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import insert, select, text

from lostcontact.orgtree import in_subtree
from lostcontact.queries import case_lists, case_scope
from lostcontact.permissions import load_actor
from lostcontact.policies import policy_as_of
from lostcontact.queries.case_lists import ListFilters, case_list, conditions, page_ids
from lostcontact.queries.lights import Lights
from lostcontact.uow import UnitOfWork
from models import Case, Member, Org
from tests.builders import build_world

TODAY = date(2016, 6, 20)
FIRST_DAY = date(2016, 1, 4)
BRANCHES = ("B1", "B2", "B3")
# (login, whether every subtree counts as large, the org whose subtree the login sees: None for all)
SCOPES = [("reviewer1", False, "C1"),      # C1, GB1, B1, B2: read branch by branch
          ("reviewer1", True, "C1"),       # the same subtree walked along the index
          ("supervisor1", True, "410402"),  # a county walked along the index
          ("admin1", False, None)]         # the whole tree: no scope condition


@pytest.fixture
def tree(db):
    """The builders' tree with one member per branch (closed cases need no member of their own)."""
    build_world(db)
    with UnitOfWork(db, write=False) as uow:
        orgs = {code: (org_id, path) for code, org_id, path in uow.session.execute(select(Org.code, Org.id, Org.path))}
    with db.engine.begin() as conn:
        conn.execute(insert(Member), [{"id": n, "id_number": f"{n:018d}", "name": f"党员{n}", "join_date": date(2000, 1, 1),
                                       "standing": "full", "branch_id": orgs[code][0], "last_contact_on": date(2015, 6, 1)}
                                      for n, code in enumerate(BRANCHES, start=1)])
    return orgs


def replace_cases(db, orgs, cases: list[tuple[str, int]]) -> None:
    """The cases of the world become `cases`: (branch code, days after FIRST_DAY it was opened), ids given in
    the order drawn, so that they follow no order of opening day."""
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM cases"))
        if cases:
            conn.execute(insert(Case), [
                {"id": n, "member_id": BRANCHES.index(code) + 1, "branch_id": orgs[code][0], "state": "closed",
                 "origin": "R1", "opened_on": FIRST_DAY + timedelta(days=days), "lost_since": date(2015, 6, 1),
                 "step_seq": 1, "step_entered_on": FIRST_DAY, "closed_on": TODAY, "policy_version": "test",
                 "last_event_on": TODAY, "last_seq": 1, "version": 1}
                for n, (code, days) in enumerate(cases, start=1)])


def plain_order(db, root_path: str | None, descending: bool) -> list[int]:
    """The scope's cases as a plain ORDER BY opened_on, id gives them (no walk, no paging)."""
    keys = (Case.opened_on.desc(), Case.id.desc()) if descending else (Case.opened_on, Case.id)
    query = select(Case.id).join(Org, Org.id == Case.branch_id).order_by(*keys)
    if root_path is not None:
        query = query.where(in_subtree(Org.path, root_path))
    with UnitOfWork(db, write=False) as uow:
        return list(uow.session.scalars(query))


def paged_through(db, login: str, descending: bool) -> tuple[list[int], set[int]]:
    """Every page of the list in turn, joined, and the totals the pages showed."""
    seen, totals, page = [], set(), 1
    while True:
        listed = case_list(db, actor_login=login, today=TODAY,
                           filters=ListFilters(sort="opened", descending=descending, page=page))
        seen += [row.id for row in listed.rows]
        totals.add(listed.total)
        if page >= listed.pages:
            return seen, totals
        page += 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cases=st.lists(st.tuples(st.sampled_from(BRANCHES), st.integers(0, 4)), max_size=24),
       page_size=st.integers(2, 6), descending=st.booleans(), scope=st.sampled_from(SCOPES))
def test_paging_by_opening_day_skips_and_repeats_no_case_and_keeps_the_plain_order(db, tree, monkeypatch, cases,
                                                                                     page_size, descending, scope):
    login, walked, root = scope
    monkeypatch.setattr(case_lists, "PAGE_SIZE", page_size)
    monkeypatch.setattr(case_scope, "PER_BRANCH_MAX", 0 if walked else 300)
    replace_cases(db, tree, cases)
    want = plain_order(db, tree[root][1] if root else None, descending)
    inside = {code for code in BRANCHES if root is None or tree[code][1].startswith(tree[root][1])}
    drawn = sorted(((FIRST_DAY + timedelta(days=days), n) for n, (code, days) in enumerate(cases, start=1)
                    if code in inside), reverse=descending)
    assert want == [n for _day, n in drawn]  # the plain ORDER BY is the oracle: opening day, then case id
    assert paged_through(db, login, descending) == (want, {len(want)})


def test_a_page_cut_inside_a_day_continues_with_the_next_case_of_that_day(db, tree, monkeypatch):
    """Five cases opened on one day, ids in no order of branch; pages of two, the scope walked."""
    monkeypatch.setattr(case_lists, "PAGE_SIZE", 2)
    monkeypatch.setattr(case_scope, "PER_BRANCH_MAX", 0)
    replace_cases(db, tree, [("B2", 1), ("B1", 1), ("B3", 0), ("B1", 1), ("B2", 1), ("B1", 1)])
    pages = [[row.id for row in case_list(db, actor_login="reviewer1", today=TODAY,
                                          filters=ListFilters(sort="opened", descending=False, page=p)).rows]
             for p in (1, 2, 3)]
    assert pages == [[1, 2], [4, 5], [6]]  # case 3 is B3's: outside C1


def test_on_sqlite_a_walked_subtree_reads_the_opening_day_index_in_order_and_sorts_nothing(sqlite_db, monkeypatch):
    """Index-bound: the page of a large subtree walks ix_cases_opened_on (either way) and checks each case's
    org on its key, with no sort of the subtree's cases; it stops when the page is full."""
    build_world(sqlite_db)
    monkeypatch.setattr(case_scope, "PER_BRANCH_MAX", 0)
    with UnitOfWork(sqlite_db, write=False) as uow:
        s = uow.session
        lights = Lights.of_policy(TODAY, policy_as_of(s, TODAY))
        for descending in (False, True):
            filters = ListFilters(sort="opened", descending=descending, page=3)
            conds = conditions(s, load_actor(s, "supervisor1"), lights, filters)
            compiled = page_ids(conds, "opened", descending, 100, 50).compile(s.get_bind())
            args = tuple(compiled.params[k] for k in compiled.positiontup)
            plan = [row[-1] for row in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args)]
            assert any("ix_cases_opened_on" in step for step in plan), plan
            assert not any("TEMP B-TREE" in step for step in plan), plan
