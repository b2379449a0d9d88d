"""应交尽交 as of any day: the valid private documents of persons on file that are outside custody, with the
day each was due and whether it is past."""
from __future__ import annotations

from datetime import date

from lostcontact.queries.travel.custody import custody_gaps, list_documents
from lostcontact.services.travel.documents import fire_custody

from .conftest import TODAY


def outside(travel, day, **kw):
    return [(r["person_name"], r["kind"], r["state"], r["due_on"], r["overdue"])
            for r in custody_gaps(travel.db, actor_login="cadre1", today=TODAY, as_of=day, **kw)]


def act(travel, document_id, trigger, day, **kw):
    fire_custody(travel.db, document_id, trigger, actor_login="cadre1", today=TODAY, at=day, **kw)


def test_a_registered_person_s_private_passport_is_outside_custody_until_received(travel):
    person = travel.person("甲", registered_on=date(2024, 1, 10))
    passport = travel.document(person, at=date(2024, 1, 10))
    travel.document(person, kind="passport_official", number="G00000001")  # not private: never listed
    assert outside(travel, date(2024, 1, 9)) == []  # not yet recorded, not yet on file
    assert outside(travel, date(2024, 1, 24)) == [("甲", "passport_private", "held", "2024-01-24", False)]
    assert outside(travel, date(2024, 1, 25)) == [("甲", "passport_private", "held", "2024-01-24", True)]
    assert outside(travel, date(2024, 1, 25), overdue_only=True) != []
    act(travel, passport, "receive", date(2024, 2, 1))
    assert outside(travel, date(2024, 2, 1)) == []
    assert outside(travel, date(2024, 1, 31))[0][2] == "held"  # the past is still as it was


def test_a_checked_out_document_is_outside_until_returned_and_overdue_after_its_return_day(travel):
    person = travel.person("甲", registered_on=date(2024, 1, 10))
    passport = travel.document(person)
    act(travel, passport, "receive", date(2024, 1, 20))
    act(travel, passport, "check_out", date(2024, 3, 6), trip_id=travel.trip(person, passport))
    assert outside(travel, date(2024, 3, 30)) == [("甲", "passport_private", "checked_out", "2024-03-30", False)]
    assert outside(travel, date(2024, 3, 31))[0][4] is True
    act(travel, passport, "return", date(2024, 4, 2))
    assert outside(travel, date(2024, 4, 2)) == []


def test_unregistered_persons_expired_and_lost_documents_are_not_listed(travel):
    travel.document(travel.person("未备案"))
    travel.document(travel.person("过期", registered_on=date(2024, 1, 10)), expires=date(2024, 2, 1))
    lost = travel.document(travel.person("报失", registered_on=date(2024, 1, 10)))
    act(travel, lost, "report_lost", date(2024, 1, 15), note="说明")
    assert [r[0] for r in outside(travel, date(2024, 1, 12))] == ["报失", "过期"]
    assert [r[0] for r in outside(travel, date(2024, 1, 15))] == ["过期"]
    assert outside(travel, date(2024, 2, 2)) == []


def test_the_document_list_shows_the_custody_state_of_the_day_asked(travel):
    passport = travel.document(travel.person("甲", registered_on=date(2024, 1, 10)))
    act(travel, passport, "receive", date(2024, 2, 1))
    states = [[r["state"] for r in list_documents(travel.db, actor_login="cadre1", today=TODAY, as_of=day)]
              for day in (date(2024, 1, 9), date(2024, 1, 31), date(2024, 2, 1))]
    assert states == [[], ["held"], ["in_custody"]]
