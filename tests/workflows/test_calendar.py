"""Step deadlines on the statutory calendar: holidays and make-up working days, and a year whose holiday
data is not published yet (Monday–Friday, provisional, one `calendar` alert, recounted when it arrives)."""
from __future__ import annotations

from datetime import date

import chinese_calendar.constants as holiday_data
import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Case, Deadline
from statemachines.clocks import PACKAGE_ONLY, StatutoryCalendar, install_calendar, package_year_known
from tests.builders import build_world

from .helpers import alert_rows, days, sweep


def the_case(db):
    with UnitOfWork(db, write=False) as uow:
        return uow.session.execute(select(Case.opened_on, Case.due_on, Case.due_provisional)).one()


def test_a_step_due_across_the_spring_festival_counts_make_up_days_and_skips_the_holiday(db):
    world = build_world(db)
    world.add_member("春节", last_contact=date(2024, 7, 23))  # six months run out on Friday 24 January 2025
    for day in days(date(2025, 1, 24), date(2025, 2, 20)):
        sweep(db, day)
    case = the_case(db)
    # 5 working days: Sun 26 Jan (make-up), Mon 27, then the holiday 28 Jan–4 Feb, then 5, 6, 7 Feb
    assert (case.opened_on, case.due_on, case.due_provisional) == (date(2025, 1, 24), date(2025, 2, 7), False)
    raised = {a["level"]: a["raised_on"] for a in alert_rows(db, rule="R5")}
    assert raised == {"reminder": date(2025, 1, 27),    # 3rd working day before 7 Feb, across the holiday
                      "overdue": date(2025, 2, 8),      # the make-up Saturday is already a day past due
                      "escalated": date(2025, 2, 14)}   # after 8, 10, 11, 12, 13 Feb
    assert alert_rows(db, rule="calendar") == []


@pytest.fixture
def publish_2027():
    """Installs holiday data for 2027 (New Year's Day) when called, as a new chinesecalendar would."""
    added = []

    def forget_what_was_counted():
        package_year_known.cache_clear()
        install_calendar(StatutoryCalendar())  # a new calendar: nothing counted with the old package data is reused

    def publish():
        holiday_data.holidays[date(2027, 1, 1)] = holiday_data.Holiday.new_years_day.value
        added.append(date(2027, 1, 1))
        forget_what_was_counted()

    forget_what_was_counted()
    yield publish
    for day in added:
        del holiday_data.holidays[day]
    package_year_known.cache_clear()
    install_calendar(PACKAGE_ONLY)


def test_a_missing_year_counts_monday_to_friday_raises_one_calendar_alert_and_recounts_when_published(
        db, publish_2027):
    world = build_world(db)
    world.add_member("跨年", last_contact=date(2026, 6, 27))  # opened on Monday 28 December 2026
    for day in days(date(2026, 12, 27), date(2026, 12, 29)):
        sweep(db, day)
    case = the_case(db)
    assert (case.due_on, case.due_provisional) == (date(2027, 1, 4), True)  # 1 January counted as a working day
    calendar = alert_rows(db, rule="calendar")
    assert [(a["subject_kind"], a["subject_id"], a["org"], a["raised_on"], a["closed_on"]) for a in calendar] == [
        ("system", 2027, "410000", date(2026, 12, 27), None)]

    publish_2027()
    sweep(db, date(2026, 12, 30))
    case = the_case(db)
    with UnitOfWork(db, write=False) as uow:
        deadlines = uow.session.execute(select(Deadline.due_on, Deadline.provisional, Deadline.effective_on)
                                        .order_by(Deadline.id)).all()
    assert (case.due_on, case.due_provisional) == (date(2027, 1, 5), False)
    assert deadlines == [(date(2027, 1, 4), True, date(2026, 12, 28)), (date(2027, 1, 5), False, date(2026, 12, 30))]
    assert alert_rows(db, rule="calendar")[0]["closed_on"] == date(2026, 12, 30)
