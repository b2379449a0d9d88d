"""超期预警 of a past day reads `case_steps` (models/case_steps.py), the spans derived from the history. Whatever
the history — steps on any day, several on one day, new due dates within a step (also effective before an
earlier one), closing and reopening — the spans standing on a day are exactly what replaying the history
gives: per case, its latest record effective by then and that step's newest deadline effective by then."""
from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import insert, literal, select, text, union_all

from lostcontact.queries.overdue import CaseSource, overdue_overview
from lostcontact.uow import UnitOfWork
from models import Case, CaseEvent, Deadline, Org
from models.case_steps import refresh_steps
from statemachines.lifecycle import STATES, TERMINAL_OR_CLOSED
from tests.builders import build_world

BASE = date(2016, 1, 4)
OPEN = [s for s in STATES if s not in TERMINAL_OR_CLOSED]


def replayed(events, deadlines, day: date) -> dict[int, tuple[str, date | None]]:
    """The oracle, from the history alone: case id -> (state, due date) of the cases open on `day`.
    events: (case_id, seq, to_state, effective_on); deadlines: (id, case_id, step_seq, due_on, effective_on)."""
    standing = {}
    for case_id, seq, state, effective in events:
        if effective <= day and seq > standing.get(case_id, (0, None))[0]:
            standing[case_id] = (seq, state)
    found = {}
    for case_id, (seq, state) in standing.items():
        if state in TERMINAL_OR_CLOSED:
            continue
        newest = max(((i, due) for i, c, s, due, effective in deadlines
                      if c == case_id and s == seq and effective <= day), default=(0, None))
        found[case_id] = (state, newest[1])
    return found


def read_from_steps_on_each(db, days: list[date], case_ids) -> dict[date, dict[int, tuple[str, date | None]]]:
    """Per day, case id -> (state, due date) of the given cases as `CaseSource.as_of(day)` reads them (a case
    standing in two steps on one day fails), every day in one statement: each day's read one arm of a UNION
    ALL tagged with the day, one round trip where a query a day cost a hundred on PostgreSQL."""
    found: dict[date, dict[int, tuple[str, date | None]]] = {day: {} for day in days}
    with UnitOfWork(db, write=False) as uow:
        for start in range(0, len(days), 400):  # below SQLite's 500 arms of one compound SELECT
            arms = []
            for n, day in enumerate(days[start:start + 400], start=start):
                then = CaseSource.as_of(day).table
                arms.append(select(literal(n).label("n"), then.c.id, then.c.state, then.c.due_on)
                            .where(then.c.id.in_(case_ids)))
            for n, case_id, state, due in uow.session.execute(union_all(*arms)):
                assert case_id not in found[days[n]], f"case {case_id} stands in two steps on {days[n]}"
                found[days[n]][case_id] = (state, due)
    return found


def history_of(db, case_ids=None):
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        events = s.execute(select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.to_state, CaseEvent.effective_on)).all()
        deadlines = s.execute(select(Deadline.id, Deadline.case_id, Deadline.step_seq, Deadline.due_on,
                                     Deadline.effective_on)).all()
    return [tuple(e) for e in events], [tuple(d) for d in deadlines]


def boundaries(events, deadlines) -> list[date]:
    """Every day on which something changes, with the day before it: the steps standing stay the same from
    one such day to the day before the next, so these are both ends of every stretch."""
    days = {e[3] for e in events} | {d[4] for d in deadlines}
    return sorted({day + timedelta(days=k) for day in days for k in (-1, 0)})


# one step: (days after the previous one (0: the same day), the state it enters, its due dates: (days after
# the step is entered that the deadline takes effect (it may precede an earlier one), days it grants))
a_step = st.tuples(st.sampled_from([0, 0, 1, 3, 15, 16, 17, 40, 70]), st.sampled_from(list(STATES)),
                   st.lists(st.tuples(st.integers(-3, 50), st.integers(-10, 60)), max_size=2))
a_case = st.tuples(st.integers(0, 40), st.integers(1, 30), st.lists(a_step, max_size=7))


@pytest.fixture
def member_in_b1(db):
    """The builders' tree and one member of B1, to whom every generated case belongs (its case rows say
    closed: the case row plays no part in the steps, and a member may have one open case only)."""
    build_world(db).add_member("历史", last_contact=date(2015, 6, 1))


def test_the_steps_standing_on_any_day_are_the_replayed_history(db, member_in_b1):
    """Generated histories: 20 on each engine (on PostgreSQL, in the slow tier, each example reads up to a
    hundred days one query at a time: 40 cost three minutes of the suite)."""
    many = 20
    settings(max_examples=many, deadline=None)(given(histories=st.lists(a_case, min_size=1, max_size=4))(
        steps_are_the_replayed_history))(db)


def steps_are_the_replayed_history(db, histories):
    with UnitOfWork(db, write=False) as uow:
        member_id = uow.session.scalar(text("SELECT min(id) FROM members"))
        first = uow.session.scalar(text("SELECT coalesce(max(id), 0) FROM cases")) + 1
        branch = uow.session.scalar(select(Org.id).where(Org.code == "B1"))
    events, deadlines, case_ids = [], [], []
    with db.engine.begin() as conn:
        for n, (opened_after, first_days, steps) in enumerate(histories):
            case_id, day = first + n, BASE + timedelta(days=opened_after)
            case_ids.append(case_id)
            conn.execute(insert(Case), [dict(id=case_id, member_id=member_id, branch_id=branch, state="closed",
                                             origin="R1", opened_on=day, lost_since=day - timedelta(days=200),
                                             step_seq=1, step_entered_on=day, policy_version="t", last_event_on=day,
                                             last_seq=1, version=1)])
            history = [(0, "lost_contact", [(0, first_days)])] + steps
            for seq, (after, state, dues) in enumerate(history, start=1):
                day += timedelta(days=after)
                conn.execute(insert(CaseEvent), [dict(case_id=case_id, seq=seq, trigger="t", to_state=state,
                                                      actor="t", role="t", effective_on=day)])
                events.append((case_id, seq, state, day))
                for takes_effect, grants in (dues if state in OPEN else []):
                    row = dict(case_id=case_id, step_seq=seq, state=state, entered_on=day,
                               due_on=day + timedelta(days=grants), provisional=False, policy_version="t",
                               effective_on=day + timedelta(days=takes_effect))
                    new_id = conn.execute(insert(Deadline).returning(Deadline.id), [row]).scalar_one()
                    deadlines.append((new_id, case_id, seq, row["due_on"], row["effective_on"]))
        refresh_steps(conn, "SELECT id FROM cases WHERE id >= :first", {"first": first})
    days = boundaries(events, deadlines)
    standing = read_from_steps_on_each(db, days, case_ids)
    for day in days:
        assert standing[day] == replayed(events, deadlines, day), day


@pytest.mark.parametrize("walked", [False, True], ids=["branch_by_branch", "walked_by_due"])
def test_the_write_path_keeps_the_steps_as_a_rebuild_from_the_history_makes_them(db, tmp_path, monkeypatch, walked):
    """Opened by the sweep and by hand, moved on (also back-dated, several steps on one day), closed,
    reopened, and due dates recounted under a new policy: the steps written alongside equal the steps
    rebuilt from scratch, and the replayed history on every day; so does 超期预警 of each day."""
    if walked:  # the page of a large subtree, walked along the due dates, whatever the subtree's size
        monkeypatch.setattr("lostcontact.queries.overdue_page.PER_BRANCH_MAX", 0)
    case_ids = the_write_path_scenario(db, tmp_path)
    written = steps_rows(db)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM case_steps"))
        refresh_steps(conn, "SELECT id FROM cases")
    assert steps_rows(db) == written and written
    events, deadlines = history_of(db)
    days = boundaries(events, deadlines)
    standing = read_from_steps_on_each(db, days, case_ids)
    for day in days:
        then = replayed(events, deadlines, day)
        assert standing[day] == then, day
        if day < date(2016, 11, 1):
            overdue = sorted((due, case_id) for case_id, (_state, due) in then.items() if due and due < day)
            for sort, descending in (("due", False), ("due", True), ("case", False), ("opened", True)):
                shown = overdue_overview(db, actor_login="supervisor1", today=date(2016, 11, 1), as_of=day,
                                         sort=sort, descending=descending)
                assert shown.org.open == len(then) and shown.overdue_total == len(overdue)
                if sort == "due":
                    assert [c.id for c in shown.cases] == [i for _d, i in sorted(overdue, reverse=descending)]
                else:
                    assert sorted(c.id for c in shown.cases) == sorted(i for _d, i in overdue)


def steps_rows(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT case_id, entered_on, cell, left_on, seq, state, due_on, branch_id FROM case_steps "
            "ORDER BY case_id, entered_on, cell"))]


def the_write_path_scenario(db, tmp_path) -> list[int]:
    """A few cases taken through the services; returns their ids."""
    from lostcontact.services import policy_admin
    from lostcontact.services.cases import fire, log_search
    from statemachines.guards import Meeting
    from statemachines.policy import default_policy_text
    from tests.workflows.helpers import case_id_of, sweep

    world = build_world(db)
    swept = world.add_member("扫描", last_contact=date(2015, 8, 31))
    sweep(db, date(2016, 3, 1))                                     # opened by the sweep
    first = case_id_of(db, swept)
    second = world.open_case_in("B1", today=date(2016, 3, 10))        # by hand
    third = world.open_case_in("B3", today=date(2016, 3, 10))
    today = date(2016, 11, 1)
    fire(db, first, "start_search", actor_login="officer1", today=today, at=date(2016, 3, 20))
    log_search(db, first, channel="phone", outcome="reached", actor_login="officer1", today=today,
               at=date(2016, 3, 20))
    for trigger, options in (("reach", {"cause": 1}), ("propose", {"opinion": "意见"}),
                             ("submit", {"disposition": "correct_within_deadline"})):  # one day, several steps
        fire(db, first, trigger, actor_login="officer1", today=today, at=date(2016, 3, 20), **options)
    fire(db, first, "agree", actor_login="reviewer1", today=today, at=date(2016, 3, 25))
    fire(db, first, "resolve", actor_login="officer1", meeting=Meeting(date(2016, 3, 28), 20, 18, 15, 2, 1),
         today=today, at=date(2016, 3, 28))
    fire(db, first, "approve", actor_login="reviewer1", today=today, at=date(2016, 3, 29))
    fire(db, second, "start_search", actor_login="officer1", today=today, at=date(2016, 4, 1))
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text().replace('version = "default-1"', 'version = "county-2"')
                    .replace("lost_contact = 5\n", "lost_contact = 8\n", 1).replace("searching = 30\n", "searching = 45\n", 1),
                    encoding="utf-8")
    policy_admin.load_policy(db, str(path), actor_login="admin1", today=date(2016, 6, 10))
    assert sweep(db, date(2016, 6, 10)).counts["due_dates_recomputed"] >= 1  # the second and the third
    fire(db, third, "void", actor_login="reviewer2", opinion="误立", today=today, at=date(2016, 6, 15))
    fire(db, first, "reopen", actor_login="officer1", opinion="期满考察", today=today, at=date(2016, 10, 5))
    return [first, second, third]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgresql, pytest.mark.slow])])
def migrated(request, tmp_path):
    """A database built by the migrations (with the default policy), on each engine."""
    from lostcontact.policies import ensure_default_policy
    from models.db import open_database
    from models.migrate import upgrade

    if request.param == "sqlite":  # migrated once a session (tests/conftest.py), copied
        url, server = f"sqlite:///{tmp_path / 'migrated.db'}", None
        shutil.copyfile(request.getfixturevalue("migrated_template"), tmp_path / "migrated.db")
        database = open_database(url)
    else:
        server = request.getfixturevalue("pg_server")
        url = server.create_database()
        database = open_database(url)
        upgrade(database)
        with UnitOfWork(database) as uow:
            ensure_default_policy(uow.session)
            uow.commit()
    yield database
    database.dispose()
    if server is not None:
        server.drop_database(url)


def test_the_migration_backfills_the_steps_the_write_path_wrote(migrated, tmp_path):
    from alembic import command

    from models.migrate import alembic_config

    the_write_path_scenario(migrated, tmp_path)
    written = steps_rows(migrated)
    with migrated.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005")   # the table gone, the history kept
        command.upgrade(alembic_config(conn), "head")      # created again and backfilled
    assert steps_rows(migrated) == written and written
