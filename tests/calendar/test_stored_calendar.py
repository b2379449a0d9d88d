"""Holiday years an operator loads: stored as versions, counted with by every unit of work (over the
package's data for the same year), closing the year's `calendar` alert, and recounted by the next sweep."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.services.holiday_calendar import load_calendar, show_calendar
from lostcontact.uow import UnitOfWork
from models import CalendarVersion, Case, Deadline
from statemachines.clocks import DueDate, add_working_days, is_working_day, statutory_year_known
from statemachines.errors import BadInput
from tests.builders import build_world
from tests.workflows.helpers import alert_rows, days, sweep

from .conftest import write_file

LOADED_ON = date(2026, 12, 30)
NEW_YEAR_2027 = '''year = 2027
holidays = ["2027-01-01..2027-01-03"]
workdays = []
'''


def counted(db, start: date, working_days: int) -> DueDate:
    """A due date as a service counts it: inside a unit of work, with the calendar stored at that moment."""
    with UnitOfWork(db, write=False):
        return add_working_days(start, working_days)


def working(db, day: date) -> bool:
    with UnitOfWork(db, write=False):
        return is_working_day(day)


def stored_versions(db) -> list[tuple]:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.execute(select(CalendarVersion.year, CalendarVersion.version, CalendarVersion.holidays)
                                   .order_by(CalendarVersion.id)).all()


def the_case(db):
    with UnitOfWork(db, write=False) as uow:
        return uow.session.execute(select(Case.due_on, Case.due_provisional)).one()


def test_a_2027_day_counts_monday_to_friday_until_the_year_is_loaded(db, tmp_path):
    assert counted(db, date(2026, 12, 31), 1) == DueDate(date(2027, 1, 1), provisional=True)
    loaded = load_calendar(db, write_file(tmp_path, NEW_YEAR_2027), today=LOADED_ON)
    assert (loaded.year, loaded.version, loaded.holidays, loaded.workdays) == (2027, 1, 3, 0)
    assert counted(db, date(2026, 12, 31), 1) == DueDate(date(2027, 1, 4), provisional=False)
    assert statutory_year_known(2027) and not working(db, date(2027, 1, 1))


@pytest.mark.parametrize("text", [
    NEW_YEAR_2027.replace("2027-01-03", "2028-01-03"),                  # a date outside the year
    NEW_YEAR_2027.replace("workdays = []", 'workdays = ["2027-01-02"]'),  # a day both
    NEW_YEAR_2027.replace("2027-01-01..", "2027/01/01.."),              # bad date text
    "year = 2027\nholidays = [\"2027-01-01\"]\n",                       # a missing key
])
def test_a_refused_file_changes_nothing(db, tmp_path, text):
    world = build_world(db)
    world.add_member("跨年", last_contact=date(2026, 6, 27))
    sweep(db, date(2026, 12, 28))
    with pytest.raises(BadInput):
        load_calendar(db, write_file(tmp_path, text), today=LOADED_ON)
    assert stored_versions(db) == []
    assert [a["closed_on"] for a in alert_rows(db, rule="calendar")] == [None]
    assert counted(db, date(2026, 12, 31), 1) == DueDate(date(2027, 1, 1), provisional=True)


def test_a_file_that_cannot_be_read_is_bad_input(db, tmp_path):
    with pytest.raises(BadInput) as refused:
        load_calendar(db, str(tmp_path / "none.toml"), today=LOADED_ON)
    assert "无法读取节假日文件" in refused.value.zh and stored_versions(db) == []


def test_a_stored_year_wins_over_the_package(db, tmp_path):
    assert working(db, date(2026, 1, 5))  # a Monday, and the package's 2026 has it as a working day
    load_calendar(db, write_file(tmp_path, 'year = 2026\nholidays = ["2026-01-05"]\nworkdays = ["2026-01-10"]\n'),
                  today=LOADED_ON)
    assert not working(db, date(2026, 1, 5)) and working(db, date(2026, 1, 10))
    assert working(db, date(2026, 1, 1))  # the stored year is the whole year: the package's New Year is gone
    assert show_calendar(db, 2026)["source"]["kind"] == "stored"


def test_a_second_load_is_a_new_version_that_wins_and_the_first_is_kept(db, tmp_path):
    load_calendar(db, write_file(tmp_path, NEW_YEAR_2027), today=LOADED_ON)
    second = load_calendar(db, write_file(tmp_path, NEW_YEAR_2027.replace("2027-01-03", "2027-01-04"), "v2.toml"),
                           today=LOADED_ON)
    assert second.version == 2
    assert stored_versions(db) == [(2027, 1, "2027-01-01,2027-01-02,2027-01-03"),
                                   (2027, 2, "2027-01-01,2027-01-02,2027-01-03,2027-01-04")]
    assert counted(db, date(2026, 12, 31), 1) == DueDate(date(2027, 1, 5), provisional=False)
    shown = show_calendar(db, 2027)
    assert (shown["source"]["version"], [h["version"] for h in shown["history"]]) == (2, [1, 2])
    assert shown["holidays"] == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]


def test_show_says_where_a_year_comes_from(db):
    package = show_calendar(db, 2026)
    assert package["source"]["kind"] == "package" and "2026-10-01" in package["holidays"]
    assert package["workdays"] == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert show_calendar(db, 2031) == {"year": 2031, "source": {"kind": "unknown"}, "holidays": [], "workdays": [],
                                       "history": []}


def test_loading_a_year_closes_its_calendar_alert_and_the_next_sweep_recounts_its_due_dates(db, tmp_path):
    world = build_world(db)
    world.add_member("跨年", last_contact=date(2026, 6, 27))  # opened on Monday 28 December 2026
    for day in days(date(2026, 12, 27), date(2026, 12, 29)):
        sweep(db, day)
    assert the_case(db) == (date(2027, 1, 4), True)  # 5 working days, 1 January counted as one
    assert [(a["subject_id"], a["closed_on"]) for a in alert_rows(db, rule="calendar")] == [(2027, None)]

    loaded = load_calendar(db, write_file(tmp_path, NEW_YEAR_2027), today=LOADED_ON)
    assert loaded.alerts_closed == 1
    assert [(a["subject_id"], a["closed_on"]) for a in alert_rows(db, rule="calendar")] == [(2027, LOADED_ON)]
    assert the_case(db) == (date(2027, 1, 4), True)  # recounted by the sweep, not by the load

    sweep(db, LOADED_ON)
    assert the_case(db) == (date(2027, 1, 5), False)  # 29, 30, 31 December, 4, 5 January: 1 January is off
    with UnitOfWork(db, write=False) as uow:
        recounted = uow.session.execute(select(Deadline.due_on, Deadline.provisional, Deadline.effective_on)
                                        .order_by(Deadline.id)).all()
    assert recounted[-1] == (date(2027, 1, 5), False, LOADED_ON)
    assert [a["closed_on"] for a in alert_rows(db, rule="calendar")] == [LOADED_ON]  # not raised again
    sweep(db, date(2026, 12, 31))
    assert len(alert_rows(db, rule="calendar")) == 1


def test_a_year_loaded_anew_recounts_due_dates_that_were_not_provisional(db, tmp_path):
    world = build_world(db)
    world.add_member("十月", last_contact=date(2026, 3, 20))  # opened on Monday 21 September 2026
    sweep(db, date(2026, 9, 21))
    before = the_case(db)
    assert before[1] is False
    load_calendar(db, write_file(tmp_path, 'year = 2026\nholidays = ["2026-09-22..2026-09-23"]\nworkdays = []\n'),
                  today=date(2026, 9, 21))
    sweep(db, date(2026, 9, 22))
    # the package's 25–27 September holiday is gone, 22–23 September are off instead
    assert the_case(db) == (counted(db, date(2026, 9, 21), 5).on, False) != before
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Deadline)) == 2


def test_a_case_opened_by_hand_counts_its_first_step_with_the_stored_year(db, tmp_path):
    from lostcontact.services.cases import open_case

    world = build_world(db)
    early = world.add_member("早", last_contact=date(2026, 6, 27))
    late = world.add_member("晚", last_contact=date(2026, 6, 27))
    open_case(db, early, actor_login="officer1", today=date(2026, 12, 31))
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.execute(select(Case.due_on, Case.due_provisional)).one() == (date(2027, 1, 7), True)
    load_calendar(db, write_file(tmp_path, NEW_YEAR_2027), today=date(2026, 12, 31))
    opened = open_case(db, late, actor_login="officer1", today=date(2026, 12, 31))
    with UnitOfWork(db, write=False) as uow:
        # 1 January is off: 4, 5, 6, 7, 8 January
        assert uow.session.get(Case, opened).due_on == date(2027, 1, 8)
        assert uow.session.get(Case, opened).due_provisional is False
