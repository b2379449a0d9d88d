"""超期预警's counts by light: the database counts a subtree's open cases as running totals along the due date
(Lights.tallies, split by Lights.split) instead of labelling each case and grouping by the label. Whatever the
day, the policy's lead and lag and the due dates (on the thresholds, around holidays, missing), the counts are
the lights the lists show case by case; and on SQLite the province's counts sort nothing."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import event, func, insert, select, text

from lostcontact.queries.lights import ORDER, Lights
from statemachines.clocks import last_due_escalated, last_due_reminded
from lostcontact.queries.overdue import overdue_overview
from lostcontact.uow import UnitOfWork
from models import Case, Member
from tests.builders import build_world

TODAY = date(2016, 6, 20)


@pytest.fixture
def member(db) -> tuple[int, int]:
    """A member of B1 in the builders' world: (member id, branch id), for the cases to belong to."""
    build_world(db).add_member("党员", last_contact=date(2015, 6, 1))
    with UnitOfWork(db, write=False) as uow:
        return uow.session.execute(select(Member.id, Member.branch_id)).one()


def store_due_dates(db, member: tuple[int, int], dues: list[date | None]) -> None:
    """The cases of the database become one per due date (closed: a member has one open case at most)."""
    member_id, branch_id = member
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM cases"))
        if dues:
            conn.execute(insert(Case), [
                {"id": n, "member_id": member_id, "branch_id": branch_id, "state": "closed", "origin": "R1",
                 "opened_on": TODAY, "lost_since": date(2015, 6, 1), "step_seq": 1, "step_entered_on": TODAY,
                 "due_on": due, "policy_version": "test", "last_event_on": TODAY, "last_seq": 1, "version": 1}
                for n, due in enumerate(dues, start=1)])


@st.composite
def a_day_and_due_dates(draw):
    """A day, a policy's lead and lag, and due dates: any around the day, and the days on either side of each
    threshold (the last due date escalated, today, the last due date reminded) drawn often."""
    today = draw(st.dates(date(2016, 1, 1), date(2016, 12, 31)))
    lead, lag = draw(st.integers(0, 6)), draw(st.integers(0, 12))
    edges = [edge + timedelta(days=k) for edge in (last_due_escalated(today, lag), today,
                                                   last_due_reminded(today, lead)) for k in (-1, 0, 1)]
    anywhere = st.integers(-25, 15).map(lambda k: today + timedelta(days=k))
    dues = draw(st.lists(st.one_of(st.none(), anywhere, st.sampled_from(edges)), max_size=30))
    return Lights(today, lead, lag), dues


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=a_day_and_due_dates())
def test_the_running_totals_split_into_the_lights_each_case_shows(db, member, drawn):
    lights, dues = drawn
    store_due_dates(db, member, dues)
    with UnitOfWork(db, write=False) as uow:
        counted = lights.split(*uow.session.execute(select(*lights.tallies(Case.due_on))).one())
        label = lights.sql(Case.due_on)
        labelled = dict(uow.session.execute(select(label, func.count()).group_by(label)).all())
    # a case without a due date counts as green, as the SQL label has always counted it
    each = Counter(lights.light(due) or "green" for due in dues)
    assert counted == {light: each[light] for light in ORDER}
    assert counted == {light: labelled.get(light, 0) for light in ORDER}


def test_on_sqlite_the_counts_by_child_org_read_the_partial_index_and_sort_nothing(sqlite_db):
    """The counts are grouped by child org only, read in the order of the parent index, so SQLite adds each
    open case to its child's totals as it passes instead of sorting every open case of the subtree."""
    build_world(sqlite_db)
    statements = []

    def grab(conn, cursor, statement, params, context, many):
        if "FILTER" in statement and "GROUP BY" in statement:
            statements.append((statement, params))

    event.listen(sqlite_db.engine, "before_cursor_execute", grab)
    try:
        overdue_overview(sqlite_db, actor_login="admin1", today=TODAY)
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", grab)
    assert len(statements) == 1
    with sqlite_db.engine.connect() as conn:
        statement, params = statements[0]
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)]
    assert any("ix_cases_open_branch_due" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
