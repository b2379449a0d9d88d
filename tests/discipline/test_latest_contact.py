"""One "latest contact" (lostcontact/queries/contacts.py) for the three that read it: the register's entry check
(`last_contact`), the 失联 candidates and the flight risk's exit after the last contact. As of any day it is the
later of the member's contact with the org as it stood that day and the person's latest unit contact by then;
a contact recorded after the day does not count for that day, in any of the three."""
from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import insert, select

from lostcontact.queries.discipline import candidates, flight_risks
from lostcontact.services.discipline.register import add_entry, last_contact, record_unit_contact
from lostcontact.services.members import add_contact
from lostcontact.services.travel.persons import add_person
from models import Person, PoliceCrossing
from statemachines.clocks import latest_since_crossing_on_or_before

from ..builders import make_id_number
from .conftest import TODAY

JOINED = date(2005, 7, 1)
FIRST_DAY = date(2016, 1, 1)          # the entry (the flight risk's basis) is made that day
days = st.dates(min_value=FIRST_DAY, max_value=TODAY)


class Contacted:
    """One person of the test: recorded in 2015, optionally a member (joined 2005), with an open 出走 entry from
    FIRST_DAY (a basis for the flight risk that reads no contact) and one exit on `exit_on`."""

    def __init__(self, register, name: str, *, member: bool, org_contacts, unit_contacts, exit_on: date):
        self.name = name
        register.serial += 1
        self.number = (register.world.add_member(name, branch="B1", join=JOINED, serial=register.serial) if member
                       else make_id_number(register.serial))
        add_person(register.db, self.number, name=name, org_code="B1", rank="staff", actor_login="cadre1",
                   today=TODAY, at=date(2015, 1, 2))
        for day in org_contacts:
            add_contact(register.db, self.number, on=day, kind="org_life", actor_login="officer1", today=TODAY)
        for day in unit_contacts:
            record_unit_contact(register.db, self.number, on=day, note=None, actor_login="discipline1", today=TODAY)
        add_entry(register.db, self.number, "absconded", since_on=date(2015, 6, 1), recontact_on=date(2015, 12, 1),
                  recontact_note="能联系上，不掌握具体情况", actor_login="discipline1", today=TODAY, at=FIRST_DAY)
        with register.db.engine.begin() as conn:
            conn.execute(insert(PoliceCrossing).values(id_number=self.number, crossed_on=exit_on, direction="exit",
                                                       document_kind="passport_private", document_number="E1",
                                                       port="深圳湾", destination="泰国", recorded_on=TODAY))
            self.id = conn.scalar(select(Person.id).where(Person.id_number == self.number))
        self.org = [JOINED, *org_contacts] if member else []
        self.unit = list(unit_contacts)
        self.exit_on = exit_on

    def expected(self, day: date) -> date | None:
        known = [d for d in self.org + self.unit if d <= day]
        return max(known) if known else None

    def last_contact(self, db, day: date | None = None) -> date | None:
        with db.engine.connect() as conn:
            return last_contact(conn, SimpleNamespace(id=self.id), day)

    def candidate_row(self, db, day: date) -> dict | None:
        rows = [r for r in candidates(db, actor_login="discipline1", today=TODAY, as_of=day)
                if r["person_name"] == self.name]
        return rows[0] if rows else None

    def exit_reason(self, db, day: date) -> bool:
        return any(reason["reason"] == "exit"
                   for row in flight_risks(db, actor_login="discipline1", today=TODAY, as_of=day)
                   if row["person_name"] == self.name for reason in row["reasons"])


def agree(person: Contacted, db, day: date) -> None:
    expected = person.expected(day)
    assert person.last_contact(db, day) == expected
    row = person.candidate_row(db, day)
    if expected is not None and expected <= latest_since_crossing_on_or_before(day, 3):
        assert row is not None and row["last_contact_on"] == expected.isoformat()
    else:
        assert row is None
    assert person.exit_reason(db, day) == (person.exit_on <= day and (expected is None or person.exit_on > expected))


def test_a_contact_after_the_day_counts_for_none_of_the_three_on_that_day(register):
    """The flight risk read the latest contact on record whatever the day: an exit between two contacts was no
    risk on a past day before the second one."""
    person = Contacted(register, "回放", member=True, org_contacts=[date(2020, 1, 10), date(2023, 3, 1)],
                     unit_contacts=[date(2019, 5, 5)], exit_on=date(2021, 2, 1))
    on_the_day = date(2021, 6, 1)
    assert person.last_contact(register.db) == date(2023, 3, 1)          # everything on record
    assert person.last_contact(register.db, on_the_day) == date(2020, 1, 10)
    assert person.candidate_row(register.db, on_the_day)["last_contact_on"] == "2020-01-10"
    assert person.exit_reason(register.db, on_the_day)                    # left after the contact known then
    assert not person.exit_reason(register.db, TODAY)                      # the 2023 contact came after it
    for day in (on_the_day, date(2023, 3, 1), TODAY):
        agree(person, register.db, day)


def test_a_person_no_member_with_no_contact_is_no_candidate_and_any_exit_of_theirs_counts(register):
    person = Contacted(register, "无联系", member=False, org_contacts=[], unit_contacts=[], exit_on=date(2017, 1, 1))
    assert person.last_contact(register.db) is None
    agree(person, register.db, TODAY)
    assert person.exit_reason(register.db, TODAY)


contact_days = st.lists(st.dates(min_value=date(2015, 1, 2), max_value=TODAY), max_size=3, unique=True)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member=st.booleans(), org_contacts=contact_days, unit_contacts=contact_days,
       exit_on=st.dates(min_value=date(2015, 1, 2), max_value=TODAY), as_of=st.lists(days, min_size=1, max_size=4))
def test_the_entry_check_the_candidates_and_the_flight_risk_read_the_same_latest_contact(
        register, member, org_contacts, unit_contacts, exit_on, as_of):
    name = f"人员{register.serial + 1}"
    person = Contacted(register, name, member=member, org_contacts=org_contacts if member else [],
                     unit_contacts=unit_contacts, exit_on=exit_on)
    assert person.last_contact(register.db) == person.expected(date.max)
    for day in as_of + [day + timedelta(days=1) for day in person.org + person.unit if day < TODAY]:
        if day >= FIRST_DAY:
            agree(person, register.db, day)
