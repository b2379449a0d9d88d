"""The list and search queries on SQLite and PostgreSQL: the same cases, in the same order, whichever way
the scope is read (a few branches by id, a large subtree case by case, the whole tree with no condition),
and a search never reaches past the subtree."""
from __future__ import annotations

import pytest

from lostcontact.queries import case_scope
from lostcontact.queries.case_lists import ListFilters, case_list, export_rows
from lostcontact.queries.case_search import search_cases
from lostcontact.uow import UnitOfWork
from models import User
from tests.builders import World, build_world
from tests.web.case_lists_world import FORMULA_NAME, TODAY, populate


@pytest.fixture
def world(db):
    built = build_world(db)
    return World(db, built.members)


@pytest.fixture
def cases(world):
    return populate(world)


def ids(login: str, db, **filters) -> list[int]:
    return [row.id for row in case_list(db, actor_login=login, today=TODAY, filters=ListFilters(**filters)).rows]


def found(login: str, db, term: str) -> list[int]:
    return [row.id for row in search_cases(db, actor_login=login, today=TODAY, term=term).cases]


SORTS = [dict(sort=s, descending=d) for s in ("activity", "opened", "case", "due") for d in (False, True)]


@pytest.mark.parametrize("order", SORTS, ids=lambda o: f"{o['sort']}-{'desc' if o['descending'] else 'asc'}")
def test_a_subtree_read_branch_by_branch_or_case_by_case_gives_the_same_page(db, world, cases, monkeypatch, order):
    by_branch = ids("reviewer1", db, **order)
    monkeypatch.setattr(case_scope, "PER_BRANCH_MAX", 0)  # every subtree is "large": checked case by case
    assert ids("reviewer1", db, **order) == by_branch
    assert set(by_branch) == {cases[n] for n in ("张三", "张三丰", "王五", "赵六", FORMULA_NAME, "钱七")}


@pytest.mark.parametrize("order", SORTS, ids=lambda o: f"{o['sort']}-{'desc' if o['descending'] else 'asc'}")
def test_the_whole_tree_needs_no_scope_and_still_sorts_alike(db, world, cases, monkeypatch, order):
    every = ids("admin1", db, **order)
    assert sorted(every) == sorted(cases.values())
    monkeypatch.setattr(case_scope, "PER_BRANCH_MAX", 0)
    assert ids("supervisor1", db, **order) == every  # 410402 holds every case of this world, but is no root


def test_due_order_puts_the_cases_without_a_due_date_last_both_ways(db, world, cases):
    closed = {cases["王五"], cases["赵六"]}
    for descending in (False, True):
        assert set(ids("admin1", db, sort="due", descending=descending)[-2:]) == closed


def test_mine_and_done(db, world, cases):
    assert set(ids("officer1", db, view="mine")) == {cases[n] for n in ("张三", "张三丰", "王五", "赵六", FORMULA_NAME)}
    assert ids("reviewer1", db, view="mine") == [cases["王五"]]
    assert set(ids("upper1", db, view="done")) == {cases["王五"], cases["赵六"]}


def test_the_export_streams_the_list_in_its_order(db, world, cases):
    filters = ListFilters(sort="case", descending=False)
    assert [r.id for r in export_rows(db, actor_login="admin1", today=TODAY, filters=filters)] == sorted(cases.values())


def test_search_by_every_kind_of_term_stays_inside_the_subtree(db, world, cases):
    zhang = world.members["张三"]
    for term in ("张三", zhang, zhang[-4:], zhang[-6:], str(cases["张三"])):
        assert cases["张三"] in found("officer1", db, term), term
        assert found("officer3", db, term) == [], term
    assert found("officer1", db, "张") == [cases["张三"], cases["张三丰"]]
    result = search_cases(db, actor_login="officer1", today=TODAY, term="张无忌")
    assert [m.name for m in result.members_without_case] == ["张无忌"]
    assert search_cases(db, actor_login="officer3", today=TODAY, term="张无忌").empty


def test_a_user_without_any_grant_finds_and_lists_nothing(db, world, cases):
    with UnitOfWork(db) as uow:
        uow.session.add(User(login="nobody"))
        uow.commit()
    assert ids("nobody", db) == []
    assert found("nobody", db, "张") == []
