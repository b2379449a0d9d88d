"""A transition changes only the case's running span of `case_steps` (services/case_step_spans.py), yet the
rows stay exactly what a rebuild from the history (models/case_steps.py `refresh_steps`) makes: after an
opening, after every step — on the day of the last one or later, several on a day, back-dated before a due
date the sweep recounted, closing, voiding, reopening — and after every refusal."""
from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from hypothesis import event, given, settings, strategies as st
from sqlalchemy import insert, select, text, update

from lostcontact.services.cases import fire, log_search, open_case
from lostcontact.uow import UnitOfWork
from models import Case, CaseStep, Deadline
from models.case_steps import refresh_steps
from statemachines.codes import CHANNELS, OUTCOMES
from statemachines.errors import Refused
from statemachines.lifecycle import OPEN_STATES, TRIGGERS, roles_for, triggers_from

from .conftest import LOST
from .driver import OPINIONS, USER_FOR_ROLE, failing_meeting, passing_meeting

TODAY = date(2019, 12, 31)
GAPS = (0, 0, 0, 1, 3, 15, 16, 17, 40, 200)  # days after the case's last event (several steps on a day, a cell's edge)
# for a reached and for an unreached member, those that a reopening follows (R7, R8) drawn more often
DISPOSITIONS = ("normal_management", "correct_within_deadline", "correct_within_deadline", "suspend_unreachable",
                "suspend_unreachable", "removal_self_withdrawal")
ONWARD = {"start_search", "reach", "exhaust", "propose", "submit", "agree", "resolve", "approve", "reopen"}
_serials = count(100)


def rows_of(conn, case_id: int) -> list[tuple]:
    steps = CaseStep.__table__.c
    return [tuple(r) for r in conn.execute(
        select(steps.entered_on, steps.cell, steps.left_on, steps.seq, steps.state, steps.due_on, steps.branch_id)
        .where(steps.case_id == case_id).order_by(steps.entered_on, steps.cell))]


def assert_as_rebuilt(db, case_id: int) -> None:
    with db.engine.connect() as conn, conn.begin() as rebuilding:  # rolled back: only compared
        kept = rows_of(conn, case_id)
        conn.execute(text("DELETE FROM case_steps WHERE case_id = :case_id"), {"case_id": case_id})
        refresh_steps(conn, ":case_id", {"case_id": case_id})
        rebuilt = rows_of(conn, case_id)
        rebuilding.rollback()
    assert kept == rebuilt


def case_now(db, case_id: int):
    """The case's state and last event day, and the day its running span began (None once it has ended)."""
    running = select(CaseStep.entered_on).where(CaseStep.case_id == Case.id, CaseStep.cell == -1).scalar_subquery()
    with UnitOfWork(db, write=False) as uow:
        return uow.connection.execute(select(Case.state, Case.last_event_on, running.label("running_since"))
                                      .where(Case.id == case_id)).one()


def recount_due_date(db, case_id: int, effective: date, due: date) -> None:
    """What the sweep's recount (services/sweep/deadlines.py) writes for a case in an open step: a new
    deadline of the step effective on the sweep's day, the case's due date, and the case's steps rebuilt."""
    with UnitOfWork(db) as uow:
        conn = uow.connection
        case = conn.execute(select(Case.state, Case.step_seq, Case.step_entered_on).where(Case.id == case_id)).one()
        conn.execute(insert(Deadline).values(case_id=case_id, step_seq=case.step_seq, state=case.state,
                                             entered_on=case.step_entered_on, due_on=due, provisional=False,
                                             policy_version="recounted", effective_on=effective))
        conn.execute(update(Case).where(Case.id == case_id).values(due_on=due, version=Case.version + 1))
        refresh_steps(conn, ":case_id", {"case_id": case_id})
        uow.commit()


def fire_drawn(db, case_id: int, state: str, at: date, data) -> None:
    # mostly a trigger that moves the case on (so chains reach closing and reopening), sometimes another the
    # state has (returns, endings, withdrawals), now and then any at all
    has = triggers_from(state)
    onward = [t for t in has if t in ONWARD] or has or sorted(TRIGGERS)
    pool = data.draw(st.sampled_from([onward] * 6 + [has or onward, sorted(TRIGGERS)]), label="pool")
    trigger = data.draw(st.sampled_from(pool), label="trigger")
    options = {}
    if trigger in OPINIONS:
        options["opinion"] = f"{trigger} 意见"
    if trigger in ("reach", "exhaust"):  # the search the guard asks for, logged on the step's day first
        for channel in (("phone",) if trigger == "reach" else ("phone", "relatives", "household_registry")):
            log_search(db, case_id, channel=channel, outcome="reached" if trigger == "reach" else "no_answer",
                       actor_login="officer1", today=TODAY, at=at)
        options["cause"] = 1 if trigger == "reach" else 6
    if trigger == "submit":
        options["disposition"] = data.draw(st.sampled_from(DISPOSITIONS), label="disposition")
    if trigger in ("resolve", "reject"):
        options["meeting"] = (passing_meeting if trigger == "resolve" else failing_meeting)(at)
    actor = USER_FOR_ROLE[roles_for(trigger, state)[0]]
    fire(db, case_id, trigger, actor_login=actor, today=TODAY, at=at, **options)
    event(f"fired {trigger} from {state}")


# few histories on SQLite, which the fast tier runs; the long run on PostgreSQL, in the full suite
HISTORIES = {"sqlite": 20, "postgresql": 80}


def test_steps_kept_in_place_equal_the_steps_rebuilt_from_the_history(db, world):
    @settings(max_examples=HISTORIES[db.engine.dialect.name], deadline=None)
    @given(opened=st.integers(0, 60), data=st.data())
    def a_drawn_history(opened, data):
        serial = next(_serials)
        id_number = world.add_member(f"成员{serial}", last_contact=LOST, serial=serial)
        case_id = open_case(db, id_number, actor_login="officer1", today=TODAY,
                            at=date(2016, 3, 1) + timedelta(days=opened))
        assert_as_rebuilt(db, case_id)
        for _ in range(data.draw(st.integers(1, 24), label="actions")):
            take_a_drawn_action(db, case_id, data)
            assert_as_rebuilt(db, case_id)
    a_drawn_history()


def take_a_drawn_action(db, case_id: int, data) -> None:
    case = case_now(db, case_id)
    gaps = (0, 200, 400) if case.state == "closed" else GAPS  # a reopening waits out its period
    at = case.last_event_on + timedelta(days=data.draw(st.sampled_from(gaps), label="gap"))
    action = data.draw(st.sampled_from(["fire"] * 6 + ["log", "recount"]), label="action")
    try:
        if action == "recount" and case.state in OPEN_STATES:
            # effective from a day on or after the case's last event: a later step may be back-dated before it
            recount_due_date(db, case_id, at, at + timedelta(days=data.draw(st.integers(-5, 40), label="due")))
            event("recounted")
        elif action == "log":
            log_search(db, case_id, channel=data.draw(st.sampled_from(sorted(CHANNELS)), label="channel"),
                       outcome=data.draw(st.sampled_from(sorted(OUTCOMES)), label="outcome"),
                       actor_login="officer1", today=TODAY, at=at)
        else:
            if case.running_since is not None and at < case.running_since:
                event("back-dated before the running span began")
            fire_drawn(db, case_id, case.state, at, data)
    except Refused as refusal:
        event(f"refused: {refusal.en[:60]}")


def test_a_step_back_dated_before_a_recounted_due_date_cuts_the_spans_after_it(db, world):
    """The rare path: the step's running span began after the day the next step is recorded on."""
    id_number = world.add_member("回溯", last_contact=LOST)
    case_id = open_case(db, id_number, actor_login="officer1", today=TODAY, at=date(2016, 3, 1))
    recount_due_date(db, case_id, date(2016, 4, 20), date(2016, 5, 20))   # cells after 2016-03-10's
    recount_due_date(db, case_id, date(2016, 5, 2), date(2016, 6, 1))
    fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=date(2016, 3, 10))
    assert_as_rebuilt(db, case_id)
    with db.engine.connect() as conn:
        assert [(r[0], r[2], r[4]) for r in rows_of(conn, case_id) if r[1] == -1] == [
            (date(2016, 3, 10), None, "searching")]
        assert {r[2] for r in rows_of(conn, case_id) if r[1] != -1} == {date(2016, 3, 10)}
