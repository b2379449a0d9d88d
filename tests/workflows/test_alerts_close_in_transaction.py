"""An alert closes in the same unit of work as the action that removed its cause — a step left, a contact
recorded, a case submitted or reopened, a milestone reported — on that action's day, before any sweep; a
refused action closes nothing; and the next sweep raises nothing twice and closes nothing more."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.services import campaigns
from lostcontact.services.cases import fire, log_search
from lostcontact.services.members import add_contact
from statemachines.errors import Refused
from statemachines.guards import Meeting
from tests.builders import build_world

from .helpers import alert_rows, case_id_of, sweep

OPENED = date(2016, 3, 1)  # a last contact on 2015-08-31 is six months old on 1 March


def open_of(db, rule):
    return [a for a in alert_rows(db, rule=rule) if a["closed_on"] is None]


def then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, day, rule):
    before = alert_rows(db, rule=rule)
    report = sweep(db, day)
    assert report.counts.get("closed", 0) == 0
    assert alert_rows(db, rule=rule) == before


def searched_everywhere(db, case_id, day, outcome="no_answer"):
    for channel in ("phone", "relatives", "household_registry"):
        log_search(db, case_id, channel=channel, outcome=outcome, actor_login="officer1", today=day)


def test_leaving_a_step_closes_its_reminder_and_overdue_alert_in_the_same_transaction(db):
    world = build_world(db)
    idn = world.add_member("乙", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    sweep(db, date(2016, 3, 9))  # lost_contact was due on 8 March: reminded, then overdue
    case_id = case_id_of(db, idn)
    assert [a["level"] for a in open_of(db, "R5")] == ["reminder", "overdue"]

    fire(db, case_id, "start_search", actor_login="officer1", today=date(2016, 3, 11), at=date(2016, 3, 10))

    assert [(a["level"], a["closed_on"]) for a in alert_rows(db, rule="R5")] == [
        ("reminder", date(2016, 3, 10)), ("overdue", date(2016, 3, 10))]  # the action's day, not today
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 3, 11), "R5")


def test_a_refused_transition_closes_nothing(db):
    world = build_world(db)
    idn = world.add_member("丙", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    sweep(db, date(2016, 3, 9))
    case_id = case_id_of(db, idn)
    with pytest.raises(Refused):  # a branch officer cannot void a case: the committee does
        fire(db, case_id, "void", actor_login="officer1", opinion="认错人", today=date(2016, 3, 10))
    with pytest.raises(Refused):  # nor exhaust a search that has not begun
        fire(db, case_id, "exhaust", actor_login="officer1", cause=1, today=date(2016, 3, 10))
    assert [(a["level"], a["closed_on"]) for a in alert_rows(db, rule="R5")] == [("reminder", None),
                                                                                  ("overdue", None)]


def test_a_contact_closes_the_five_month_warning_on_the_contacts_day(db):
    world = build_world(db)
    idn = world.add_member("戊", branch="B3", last_contact=date(2015, 9, 30))
    sweep(db, date(2016, 3, 1))
    assert [a["org"] for a in open_of(db, "R2")] == ["B3"]

    add_contact(db, idn, on=date(2016, 3, 4), kind="dues", actor_login="officer3", today=date(2016, 3, 7))

    assert [a["closed_on"] for a in alert_rows(db, rule="R2")] == [date(2016, 3, 4)]
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 3, 7), "R2")


def test_a_contact_after_leaving_takes_a_mobile_member_off_the_out_of_control_list(db):
    world = build_world(db)
    idn = world.add_member("己", last_contact=date(2016, 1, 10), mobile=True, away_since=date(2016, 1, 11))
    sweep(db, date(2016, 2, 15))
    assert len(open_of(db, "R3")) == 1

    add_contact(db, idn, on=date(2016, 2, 16), kind="other", actor_login="officer1", today=date(2016, 2, 16))

    assert [a["closed_on"] for a in alert_rows(db, rule="R3")] == [date(2016, 2, 16)]
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 2, 16), "R3")


def test_a_contact_of_another_member_closes_nothing(db):
    world = build_world(db)
    world.add_member("庚", last_contact=date(2015, 9, 30))
    other = world.add_member("辛", last_contact=date(2016, 1, 5))
    sweep(db, date(2016, 3, 1))
    add_contact(db, other, on=date(2016, 3, 2), kind="dues", actor_login="officer1", today=date(2016, 3, 2))
    assert [a["closed_on"] for a in alert_rows(db, rule="R2")] == [None]


def test_submitting_a_probationary_members_case_closes_the_unreachable_alert(db):
    world = build_world(db)
    idn = world.add_member("癸", standing="probationary", join=date(2015, 6, 1), last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    case_id = case_id_of(db, idn)
    fire(db, case_id, "start_search", actor_login="officer1", today=OPENED)
    searched_everywhere(db, case_id, date(2016, 3, 2))
    fire(db, case_id, "exhaust", actor_login="officer1", cause=1, today=date(2016, 3, 3))
    sweep(db, date(2016, 3, 3))
    fire(db, case_id, "propose", actor_login="officer1", opinion="意见", today=date(2016, 3, 4))
    assert [a["closed_on"] for a in alert_rows(db, rule="R9")] == [None]  # still being proposed

    fire(db, case_id, "submit", actor_login="officer1", disposition="annul_probationary", today=date(2016, 3, 7))

    assert [a["closed_on"] for a in alert_rows(db, rule="R9")] == [date(2016, 3, 7)]
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 3, 7), "R9")


def close_case(db, case_id, disposition, on):
    fire(db, case_id, "start_search", actor_login="officer1", today=on)
    log_search(db, case_id, channel="phone", outcome="reached", actor_login="officer1", today=on)
    fire(db, case_id, "reach", actor_login="officer1", cause=1, today=on)
    fire(db, case_id, "propose", actor_login="officer1", opinion="意见", today=on)
    fire(db, case_id, "submit", actor_login="officer1", disposition=disposition, today=on)
    fire(db, case_id, "agree", actor_login="reviewer1", today=on)
    fire(db, case_id, "resolve", actor_login="officer1", meeting=Meeting(on, 20, 18, 15, 2, 1), today=on)
    fire(db, case_id, "approve", actor_login="reviewer1", today=on)


def test_reopening_a_case_at_the_end_of_its_correction_period_closes_that_alert(db):
    world = build_world(db)
    idn = world.add_member("壬", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    case_id = case_id_of(db, idn)
    close_case(db, case_id, "correct_within_deadline", date(2016, 3, 31))
    sweep(db, date(2016, 10, 1))
    assert [a["due_on"] for a in open_of(db, "R7")] == [date(2016, 9, 30)]

    fire(db, case_id, "reopen", actor_login="officer1", opinion="期满考察", today=date(2016, 10, 8))

    assert [a["closed_on"] for a in alert_rows(db, rule="R7")] == [date(2016, 10, 8)]
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 10, 8), "R7")


def test_a_milestone_report_closes_that_orgs_alerts_for_that_milestone_only(db):
    build_world(db)
    campaigns.add_campaign(db, "2016年集中排查", start=date(2016, 3, 1), end=date(2016, 6, 30))
    campaigns.add_milestone(db, "2016年集中排查", "registers", due=date(2016, 3, 20), level="committee",
                            title="报送名册")
    sweep(db, date(2016, 3, 22))
    assert sorted(a["org"] for a in open_of(db, "R10")) == ["C1", "C2"]

    campaigns.submit(db, "2016年集中排查", "registers", org_code="C1", actor_login="reviewer1",
                     today=date(2016, 3, 23))

    assert sorted((a["org"], a["closed_on"]) for a in alert_rows(db, rule="R10")) == [
        ("C1", date(2016, 3, 23)), ("C2", None)]
    then_the_sweep_raises_nothing_twice_and_closes_nothing_more(db, date(2016, 3, 23), "R10")
