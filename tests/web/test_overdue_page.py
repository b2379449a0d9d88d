"""超期预警's list of overdue cases: whichever way it is read — branch by branch, along the due dates, or by
sorting the subtree's whole backlog — it is the same page: the subtree's open cases due before today,
earliest first, ties broken by case id."""
from __future__ import annotations

import random
import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from lostcontact.queries import overdue_page as pages
from lostcontact.queries.overdue_page import choose, overdue_page, page_query
from models import Case, Member, Org
from models.db import open_database
from tests.builders import build_world
from tests.conftest import _empty_tables

TODAY = date(2016, 6, 20)
# overdue open cases per branch: B1 fills more than a page on its own, so a per-branch cut really cuts
OVERDUE = {"B1": 70, "B2": 30, "B3": 25}
DUE_DAYS = [TODAY - timedelta(days=d) for d in (40, 33, 21, 21, 9, 2, 1)]  # few days: many ties across branches


def _case(case_id: int, member_id: int, branch_id: int, state: str, due_on: date | None) -> dict:
    opened = date(2016, 1, 4)
    return {"id": case_id, "member_id": member_id, "branch_id": branch_id, "state": state, "origin": "R1",
            "opened_on": opened, "lost_since": date(2015, 6, 1), "step_seq": 1, "step_entered_on": opened,
            "due_on": due_on, "due_provisional": False, "policy_version": "test", "last_event_on": opened,
            "last_seq": 1, "version": 1}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backlog(request, tmp_path_factory):
    """The builders' tree with, per branch, overdue open cases (due dates drawn from a handful of days, in
    no order of id) and the cases the page must leave out: closed ones with a stale due date older than
    any, open ones due today or later, an open one with no due date. Built once per engine for this module,
    whose tests only read it. Returns (the database, path of each org, the (due_on, id, branch code) of
    every case that belongs on some page)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("overdue-page") / "backlog.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        db = open_database(f"sqlite:///{path}")
    else:
        db = request.getfixturevalue("pg_database")
        _empty_tables(db)
    yield (db, *_build_backlog(db))
    if request.param == "sqlite":
        db.dispose()


def _build_backlog(db):
    build_world(db)
    rng = random.Random(7)
    with Session(db.engine) as s:
        orgs = {code: (org_id, path) for code, org_id, path in s.execute(select(Org.code, Org.id, Org.path))}
    members, cases, listed = [], [], []

    def add(branch: str, state: str, due_on: date | None) -> None:
        n = len(cases) + 1
        members.append({"id": n, "id_number": f"{n:018d}", "name": f"党员{n}", "join_date": date(2000, 1, 1),
                        "standing": "full", "branch_id": orgs[branch][0], "last_contact_on": date(2015, 6, 1)})
        cases.append(_case(n, n, orgs[branch][0], state, due_on))
        if state not in ("closed", "deceased", "voided") and due_on is not None and due_on < TODAY:
            listed.append((due_on, n, branch))

    for branch, count in OVERDUE.items():
        for _ in range(count):
            add(branch, rng.choice(["lost_contact", "searching", "committee_prereview"]), rng.choice(DUE_DAYS))
        add(branch, "closed", TODAY - timedelta(days=400))
        add(branch, "voided", TODAY - timedelta(days=300))
        add(branch, "searching", TODAY)
        add(branch, "verifying", TODAY + timedelta(days=3))
        add(branch, "lost_contact", None)
    order = list(range(len(cases)))
    rng.shuffle(order)  # ids in no order of branch or due date
    for case, new_id in zip(cases, order):
        case["id"] = 1000 + new_id
    listed = [(due, 1000 + order[n - 1], branch) for due, n, branch in listed]
    with db.engine.begin() as conn:
        conn.execute(insert(Member), members)
        conn.execute(insert(Case), cases)
    return {code: path for code, (_id, path) in orgs.items()}, listed


def expected(listed, paths: dict, root: str, descending: bool, limit: int) -> list[int]:
    inside = {code for code, path in paths.items() if path.startswith(paths[root])}
    rows = sorted(((due, case_id) for due, case_id, branch in listed if branch in inside), reverse=descending)
    return [case_id for _due, case_id in rows[:limit]]


@pytest.mark.parametrize("root", ["410000", "C1", "GB1", "B3", "C2"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("limit", [50, 7])
def test_every_strategy_reads_the_same_page(backlog, root, descending, limit):
    db, paths, listed = backlog
    want = expected(listed, paths, root, descending, limit)
    assert len(want) == min(limit, sum(1 for *_x, b in listed if paths[b].startswith(paths[root])))
    with Session(db.engine) as s:
        for strategy in ("per_branch", "due_scan", "sort"):
            page = overdue_page(s, paths[root], TODAY, descending=descending, limit=limit, strategy=strategy)
            assert [row.id for row in page] == want, strategy


def test_the_page_carries_the_member_and_branch_of_each_case(backlog):
    db, paths, listed = backlog
    branch_of = {case_id: branch for _due, case_id, branch in listed}
    with Session(db.engine) as s:
        page = overdue_page(s, paths["C1"], TODAY, limit=10)
    assert len(page) == 10
    for row in page:
        assert row.code == branch_of[row.id] and row.code in ("B1", "B2")
        assert row.name.startswith("党员") and row.due_on < TODAY


def test_a_small_subtree_is_read_branch_by_branch_and_a_large_one_along_the_due_dates(backlog, monkeypatch):
    db, paths, _listed = backlog
    with Session(db.engine) as s:
        assert choose(s, paths["C1"], "due")[0] == "per_branch"
        assert choose(s, paths["410000"], "branch") == ("sort", [])
        monkeypatch.setattr(pages, "PER_BRANCH_MAX", 3)
        assert choose(s, paths["410000"], "due") == ("due_scan", [])
        assert choose(s, paths["GB1"], "due")[0] == "per_branch"  # the general branch and B2


def test_a_sort_the_indexes_cannot_give_is_refused_to_a_forced_strategy(backlog):
    db, paths, _listed = backlog
    with Session(db.engine) as s, pytest.raises(ValueError):
        overdue_page(s, paths["C1"], TODAY, sort="branch", strategy="per_branch")


def test_on_sqlite_neither_strategy_sorts_a_branch_s_backlog(sqlite_db):
    """Index-bound: each branch's range comes from the partial index alone in due order, and the due-date
    walk from the due-date index; what is left to sort is the merge of the per-branch firsts (at most
    orgs × limit rows) and the page itself."""
    build_world(sqlite_db)
    with Session(sqlite_db.engine) as s:
        path = s.scalar(select(Org.path).where(Org.code == "C1"))
        for strategy, index in (("per_branch", "ix_cases_open_branch_due"), ("due_scan", "ix_cases_due_on")):
            query, params = page_query(s, path, TODAY, strategy=strategy)
            compiled = query.compile(s.get_bind())
            values = compiled.construct_params(params)
            args = tuple(str(v) if isinstance(v, date) else v for v in (values[k] for k in compiled.positiontup))
            plan = [row[-1] for row in s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", args)]
            reads = [step for step in plan if "cases" in step and "USING" in step and "PRIMARY KEY" not in step]
            assert reads and all(index in step for step in reads), (strategy, plan)
            sorts = [step for step in plan if "TEMP B-TREE" in step]
            assert len(sorts) <= (2 if strategy == "per_branch" else 1), (strategy, plan)
