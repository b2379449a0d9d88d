"""R5 step clocks and the member/case follow-up alerts: each raised once, on its day, to the right org."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from lostcontact.services.cases import fire, log_search
from lostcontact.services.members import add_contact
from models import Member
from lostcontact.uow import UnitOfWork
from statemachines.clocks import add_working_days
from tests.builders import build_world

from .helpers import alert_rows, case_id_of, days, sweep

OPENED = date(2016, 3, 1)  # last contact 2015-08-31: R1 opens the case as of 1 March


def step_alerts(db):
    return [(a["level"], a["org"], a["raised_on"], a["due_on"]) for a in alert_rows(db, rule="R5")]


def around(first: date, last: date, *turns: date, every: int = 7) -> list[date]:
    """The days to sweep: each day something is due to change and the day before it (so that an alert raised a
    day early or late shows), and every `every`th day between (so that one raised again shows): a sweep raises
    what is due as of its day, so any alert a skipped day would have raised wrongly, the next sweep raises."""
    one = timedelta(days=1)
    return sorted(set(days(first, last, every)) | {d for t in turns for d in (t - one, t)} | {last})


@pytest.mark.slow  # weeks of sweeps up a four-level chain (the other tests here cover each alert quickly)
def test_a_step_left_lying_is_reminded_then_overdue_then_escalated_once_each_up_the_chain(db):
    world = build_world(db)
    world.add_member("甲", branch="B2", last_contact=date(2015, 8, 31))  # B2 → GB1 → C1 → 410402
    due = add_working_days(OPENED, 5).on                                # lost_contact: 5 working days
    reminder_from = add_working_days(due, -3).on
    escalated_from = add_working_days(due, 5).on
    one = timedelta(days=1)
    for day in around(OPENED, date(2016, 4, 15), reminder_from, due + one, escalated_from + one):
        sweep(db, day)
        sweep(db, day)  # a second run the same day changes nothing
    assert step_alerts(db) == [
        ("reminder", "B2", reminder_from, due),
        ("overdue", "C1", date.fromordinal(due.toordinal() + 1), due),
        ("escalated", "410402", date.fromordinal(escalated_from.toordinal() + 1), due),
    ]
    assert all(a["closed_on"] is None for a in alert_rows(db, rule="R5"))


def test_leaving_the_step_closes_its_alerts_and_the_next_step_has_its_own_clock(db, today):
    world = build_world(db)
    idn = world.add_member("乙", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    sweep(db, date(2016, 3, 9))                      # the next sweep finds it overdue: due 8 March
    case_id = case_id_of(db, idn)
    fire(db, case_id, "start_search", actor_login="officer1", today=date(2016, 3, 10))
    sweep(db, date(2016, 3, 10))
    first = alert_rows(db, rule="R5")
    assert [(a["level"], a["closed_on"]) for a in first] == [("reminder", date(2016, 3, 10)),
                                                              ("overdue", date(2016, 3, 10))]
    searching_due = add_working_days(date(2016, 3, 10), 30).on
    reminder_from = add_working_days(searching_due, -3).on
    for day in around(date(2016, 3, 11), searching_due, reminder_from):
        sweep(db, day)
    new = [a for a in alert_rows(db, rule="R5") if a["step_seq"] == 2]
    assert [(a["level"], a["org"], a["due_on"], a["raised_on"]) for a in new] == [
        ("reminder", "B1", searching_due, reminder_from)]


def test_no_step_alert_for_closed_deceased_or_voided_cases(db, today):
    world = build_world(db)
    dead = world.add_member("丙", last_contact=date(2015, 8, 31))
    void = world.add_member("丁", last_contact=date(2015, 8, 31))
    closed = world.add_member("子", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    ended = {case_id_of(db, idn) for idn in (dead, void, closed)}
    fire(db, case_id_of(db, dead), "confirm_death", actor_login="officer1", today=OPENED)
    fire(db, case_id_of(db, void), "void", actor_login="reviewer1", opinion="认错人", today=OPENED)
    fire(db, case_id_of(db, closed), "start_search", actor_login="officer1", today=OPENED)
    _close_with(db, case_id_of(db, closed), "normal_management", on=OPENED)
    for day in days(OPENED, date(2016, 4, 30), 6):  # an alert raised wrongly stays: the next sweep shows it
        sweep(db, day)
    assert [a for a in alert_rows(db, rule="R5") if a["case_id"] in ended] == []
    # the voided case was opened against the wrong member: the member, still lost, gets a new case and clock
    assert {a["case_id"] for a in alert_rows(db, rule="R5")} == {case_id_of(db, void)} - ended


def test_early_warning_at_five_months_closes_on_a_contact(db):
    world = build_world(db)
    idn = world.add_member("戊", branch="B3", last_contact=date(2015, 9, 30))
    for day in days(date(2016, 2, 25), date(2016, 3, 5)):
        sweep(db, day)
    warning = alert_rows(db, rule="R2")
    assert [(a["org"], a["raised_on"], a["due_on"], a["closed_on"]) for a in warning] == [
        ("B3", date(2016, 3, 1), date(2016, 3, 31), None)]
    add_contact(db, idn, on=date(2016, 3, 6), kind="dues", actor_login="officer3", today=date(2016, 3, 6))
    sweep(db, date(2016, 3, 6))
    assert alert_rows(db, rule="R2")[0]["closed_on"] == date(2016, 3, 6)


def test_a_mobile_member_away_over_a_month_unreported_goes_on_the_list_until_reported(db):
    world = build_world(db)
    idn = world.add_member("己", last_contact=date(2016, 1, 10), mobile=True, away_since=date(2016, 1, 11))
    for day in days(date(2016, 2, 8), date(2016, 2, 15)):
        sweep(db, day)
    assert [(a["raised_on"], a["due_on"]) for a in alert_rows(db, rule="R3")] == [(date(2016, 2, 12),
                                                                                  date(2016, 2, 12))]
    with UnitOfWork(db) as uow:
        member = uow.session.query(Member).filter_by(id_number=idn).one()
        member.reported = True
        uow.commit()
    sweep(db, date(2016, 2, 16))
    assert alert_rows(db, rule="R3")[0]["closed_on"] == date(2016, 2, 16)
    assert alert_rows(db, rule="R1") == [] and alert_rows(db, rule="R2") == []


def test_a_pocket_member_gets_one_case_per_transfer_date(db):
    world = build_world(db)
    idn = world.add_member("庚", last_contact=date(2016, 1, 5), transfer_out_date=date(2015, 11, 30))
    for day in days(date(2016, 2, 28), date(2016, 3, 3)):
        sweep(db, day)
    from .helpers import cases_by_member
    assert cases_by_member(db) == {idn: (date(2016, 3, 1), date(2016, 1, 5), "R4")}


def _close_with(db, case_id, disposition, *, reached=True, on):
    log_search(db, case_id, channel="phone", outcome="reached" if reached else "no_answer", actor_login="officer1",
               today=on)
    if not reached:
        log_search(db, case_id, channel="relatives", outcome="no_answer", actor_login="officer1", today=on)
        log_search(db, case_id, channel="household_registry", outcome="no_answer", actor_login="officer1", today=on)
    fire(db, case_id, "reach" if reached else "exhaust", actor_login="officer1", cause=1, today=on)
    fire(db, case_id, "propose", actor_login="officer1", opinion="意见", today=on)
    fire(db, case_id, "submit", actor_login="officer1", disposition=disposition, today=on)
    fire(db, case_id, "agree", actor_login="reviewer1", today=on)
    from statemachines.guards import Meeting
    fire(db, case_id, "resolve", actor_login="officer1", meeting=Meeting(on, 20, 18, 15, 2, 1), today=on)
    fire(db, case_id, "approve", actor_login="reviewer1", today=on)


def test_the_correction_period_and_the_suspension_window_are_raised_the_day_after_they_end(db):
    world = build_world(db)
    corrected = world.add_member("辛", last_contact=date(2015, 8, 31))
    suspended = world.add_member("壬", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    closed_on = date(2016, 3, 31)
    for idn, disposition, reached in ((corrected, "correct_within_deadline", True),
                                      (suspended, "suspend_unreachable", False)):
        case_id = case_id_of(db, idn)
        fire(db, case_id, "start_search", actor_login="officer1", today=closed_on)
        _close_with(db, case_id, disposition, reached=reached, on=closed_on)
    for day in days(date(2016, 9, 28), date(2016, 10, 3)):
        sweep(db, day)
    assert [(a["raised_on"], a["due_on"], a["org"]) for a in alert_rows(db, rule="R7")] == [
        (date(2016, 10, 1), date(2016, 9, 30), "B1")]
    for day in days(date(2018, 3, 29), date(2018, 4, 2)):
        sweep(db, day)
    assert [(a["raised_on"], a["due_on"], a["org"]) for a in alert_rows(db, rule="R8")] == [
        (date(2018, 4, 1), date(2018, 3, 31), "B1")]
    assert alert_rows(db, rule="R1") == []  # the R7 member is not swept again while the period runs


def test_a_probationary_member_who_cannot_be_reached_raises_r9_until_submitted(db):
    world = build_world(db)
    idn = world.add_member("癸", standing="probationary", join=date(2015, 6, 1), last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    case_id = case_id_of(db, idn)
    fire(db, case_id, "start_search", actor_login="officer1", today=OPENED)
    for channel in ("phone", "relatives", "household_registry"):
        log_search(db, case_id, channel=channel, outcome="no_answer", actor_login="officer1", today=date(2016, 3, 2))
    fire(db, case_id, "exhaust", actor_login="officer1", cause=1, today=date(2016, 3, 3))
    sweep(db, date(2016, 3, 3))
    fire(db, case_id, "propose", actor_login="officer1", opinion="意见", today=date(2016, 3, 4))
    sweep(db, date(2016, 3, 4))
    assert [(a["org"], a["raised_on"], a["closed_on"]) for a in alert_rows(db, rule="R9")] == [
        ("B1", date(2016, 3, 3), None)]
    fire(db, case_id, "submit", actor_login="officer1", disposition="annul_probationary", today=date(2016, 3, 7))
    sweep(db, date(2016, 3, 7))
    assert alert_rows(db, rule="R9")[0]["closed_on"] == date(2016, 3, 7)
