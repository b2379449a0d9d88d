"""R1: a case opens by itself on the day a member has been more than six calendar months without contact."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest

from tests.builders import build_world

from .helpers import cases_by_member, days, sweep


def six_months_later(last: date) -> date:
    """The oracle, written out independently: the day after last + 6 calendar months (clamped)."""
    month = last.month + 6
    year, month = last.year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(last.day, calendar.monthrange(year, month)[1])) + timedelta(days=1)


FIRST_SWEEP = date(2015, 9, 1)
BOUNDARIES = [date(2015, 8, 29), date(2015, 8, 30), date(2015, 8, 31), date(2015, 9, 1), date(2015, 3, 31),
              date(2015, 5, 31)]
# contacts recorded on their own day during the replay, each before the member's six months ran out
LATER = [date(2015, 10, 31), date(2015, 12, 31), date(2016, 2, 15), date(2016, 1, 31), date(2015, 11, 30)]


class Roster:
    """Members whose contacts are recorded as the year goes by, as they would be in a real office."""

    def __init__(self, world, every: int):
        self.world, self.later, self.last = world, {}, {}
        first = sorted(set(BOUNDARIES) | set(days(date(2015, 3, 2), FIRST_SWEEP, every)))
        branches = ("B1", "B2", "B3")
        for i, day in enumerate(first):
            idn = world.add_member(f"党员{i}", branch=branches[i % 3], last_contact=day, serial=i + 1)
            self.last[idn] = day
        for j, day in enumerate(LATER):  # a member last seen on 15 August comes back once, on `day`
            idn = world.add_member(f"回归{j}", branch=branches[j % 3], last_contact=date(2015, 8, 15),
                                   serial=len(first) + j + 1)
            self.later.setdefault(day, []).append(idn)
            self.last[idn] = day

    def record_contacts_of(self, db, day: date) -> None:
        from lostcontact.services.members import add_contact
        for idn in self.later.get(day, []):
            add_contact(db, idn, on=day, kind="org_life", actor_login="admin1", today=day)


def test_last_contact_on_31_august_opens_on_1_march_and_1_september_on_2_march(db):
    world = build_world(db)
    august = world.add_member("八月", last_contact=date(2015, 8, 31))
    september = world.add_member("九月", last_contact=date(2015, 9, 1))
    sweep(db, date(2016, 2, 29))
    assert cases_by_member(db) == {}
    sweep(db, date(2016, 3, 1))
    assert cases_by_member(db) == {august: (date(2016, 3, 1), date(2015, 8, 31), "R1")}
    sweep(db, date(2016, 3, 2))
    assert cases_by_member(db)[september] == (date(2016, 3, 2), date(2015, 9, 1), "R1")


def days_where_something_changes(roster, first: date, last: date) -> set[date]:
    """Each day a case is due to open and the day before it (so a case opened a day early or late shows), the
    first and last day of every month (where the six months are clamped) and the first and last day: a day
    outside these changes nothing, and any case a sweep would open there wrongly is opened by the next one,
    on a day before the case's own, and shows."""
    due = {six_months_later(last_contact) for last_contact in roster.last.values()}
    turns = {d for d in days(first, last) if d.day == 1 or (d + timedelta(days=1)).day == 1}
    return {d for d in due | {d - timedelta(days=1) for d in due} | turns | {first, last} if first <= d <= last}


@pytest.mark.slow  # a year of sweeps (the other tests here cover the rule in a few)
def test_a_year_replayed_day_by_day_opens_every_case_exactly_on_its_day(db):
    roster = Roster(build_world(db), every=4)
    last = date(2016, 8, 31)
    sweeps = days_where_something_changes(roster, FIRST_SWEEP, last)
    for day in days(FIRST_SWEEP, last):
        roster.record_contacts_of(db, day)
        if day in sweeps:
            sweep(db, day)
    assert cases_by_member(db) == {idn: (six_months_later(last), last, "R1") for idn, last in roster.last.items()}


@pytest.mark.parametrize("every", [pytest.param(6, marks=pytest.mark.slow), 31])  # every 6th day: 60 sweeps
def test_skipped_days_are_caught_up_by_the_next_sweep(db, every):
    roster = Roster(build_world(db), every=11)
    sweeps = set(days(FIRST_SWEEP, date(2016, 9, 1), every)) | {date(2016, 9, 1)}  # the last one catches up
    for day in days(FIRST_SWEEP, date(2016, 9, 1)):
        roster.record_contacts_of(db, day)
        if day in sweeps:
            sweep(db, day)
    expected = {idn: (min(d for d in sweeps if d >= six_months_later(last)), last, "R1")
                for idn, last in roster.last.items()}
    assert cases_by_member(db) == expected


def test_a_member_with_a_later_contact_is_not_opened_and_a_replayed_past_day_sees_only_its_records(db):
    world = build_world(db)
    idn = world.add_member("补录", last_contact=date(2015, 8, 31))
    from lostcontact.services.members import add_contact
    add_contact(db, idn, on=date(2016, 3, 10), kind="dues", actor_login="officer1", today=date(2016, 3, 10))
    sweep(db, date(2016, 3, 20))   # the contact of 10 March counts: not lost
    assert cases_by_member(db) == {}
    sweep(db, date(2016, 3, 5))    # replaying 5 March: the contact was not yet effective
    assert cases_by_member(db) == {idn: (date(2016, 3, 5), date(2015, 8, 31), "R1")}


def test_no_case_for_a_member_with_a_case_opened_after_the_replayed_day(db, today):
    from lostcontact.services.cases import open_case
    world = build_world(db)
    idn = world.add_member("手工", last_contact=date(2015, 8, 31))
    open_case(db, idn, actor_login="officer1", today=today, at=date(2016, 3, 10))
    sweep(db, date(2016, 3, 5))
    assert cases_by_member(db)[idn][0] == date(2016, 3, 10)
