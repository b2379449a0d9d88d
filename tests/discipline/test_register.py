"""The discipline register: the 3-month candidates (month ends clamped), no entry without the failed re-contact,
one open entry per person and category, the lifecycle with its history, the link with the lost-contact case
both ways, and scope."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.queries.discipline import candidates, entries_of_case, list_entries, show_entry
from lostcontact.services.discipline.register import add_entry, fire_entry, record_unit_contact
from lostcontact.services.travel.persons import add_person
from lostcontact.uow import UnitOfWork
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from workflows.orchestration import run_in_process

from .conftest import TODAY

RECONTACT = dict(recontact_on=date(2024, 5, 6), recontact_note="再次拨打电话、走访住所，仍无法取得联系")


def names(rows) -> list[str]:
    return [r["person_name"] for r in rows]


def contact(register, number, on):
    record_unit_contact(register.db, number, on=on, note="单位联系", actor_login="discipline1", today=TODAY)


def test_a_person_is_a_candidate_the_day_after_three_months_without_contact_month_ends_clamped(register):
    number = register.person("张三", person_type=None)
    contact(register, number, date(2023, 11, 30))   # + 3 months = 2024-02-29 (leap year, clamped)
    assert candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 2, 29)) == []
    [row] = candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 3, 1))
    assert (row["person_name"], row["last_contact_on"], row["contact_with"]) == ("张三", "2023-11-30", "unit")
    contact(register, number, date(2024, 2, 1))     # a later contact: no longer, and the past day still was
    assert candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 3, 1)) == []
    assert names(candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 1, 31))) == []
    assert names(candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 5, 2))) == ["张三"]


def test_a_party_member_s_contacts_with_the_org_count_too(register):
    number = register.world.add_member("李四", branch="B1", last_contact=date(2024, 3, 20))
    add_person(register.db, number, name="李四", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    contact(register, number, date(2023, 10, 1))    # the unit lost them, the branch did not
    assert candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 6, 20)) == []
    [row] = candidates(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 6, 21))
    assert (row["last_contact_on"], row["contact_with"]) == ("2024-03-20", "org")


def test_no_entry_without_the_failed_re_contact_nor_before_three_months(register):
    number = register.person("王五", person_type=None)
    contact(register, number, date(2024, 1, 10))
    with pytest.raises(UsageError, match="re-contact"):
        add_entry(register.db, number, "lost", since_on=date(2024, 1, 10), recontact_on=date(2024, 5, 6),
                  recontact_note=" ", actor_login="discipline1", today=TODAY)
    with pytest.raises(Refused, match="more than 3 months"):
        add_entry(register.db, number, "lost", since_on=date(2024, 1, 10), actor_login="discipline1", today=TODAY,
                  at=date(2024, 4, 10), recontact_on=date(2024, 4, 5), recontact_note="仍无法联系")
    with pytest.raises(Refused, match="in contact on 2024-01-10"):
        add_entry(register.db, number, "lost", since_on=date(2024, 1, 5), actor_login="discipline1", today=TODAY,
                  **RECONTACT)
    made = add_entry(register.db, number, "lost", since_on=date(2024, 1, 10), actor_login="discipline1",
                     today=TODAY, at=date(2024, 5, 6), **RECONTACT)
    assert made.state == "open" and made.case_id is None
    assert candidates(register.db, actor_login="discipline1", today=TODAY) == []  # entered: no longer a candidate


def test_one_open_entry_per_person_and_category(register):
    number = register.person("赵六", person_type=None)
    add_entry(register.db, number, "absconded", since_on=date(2024, 3, 1), actor_login="discipline1", today=TODAY,
              at=date(2024, 5, 6), region="广东", **RECONTACT)
    with pytest.raises(Refused, match="already has an open absconded entry"):
        add_entry(register.db, number, "absconded", since_on=date(2024, 3, 2), actor_login="discipline1",
                  today=TODAY, **RECONTACT)
    first = list_entries(register.db, actor_login="discipline1", today=TODAY)[0]["id"]
    fire_entry(register.db, first, "find", actor_login="discipline1", today=TODAY, at=date(2024, 6, 1))
    again = add_entry(register.db, number, "absconded", since_on=date(2024, 6, 10), actor_login="discipline1",
                      today=TODAY, at=date(2024, 6, 20), recontact_on=date(2024, 6, 15), recontact_note="又联系不上")
    assert again.id != first


def test_a_fled_entry_needs_the_case_filed_before_and_ends_returned(register):
    number = register.person("孙七", person_type=None)
    with pytest.raises(UsageError, match="who filed the case and when"):
        add_entry(register.db, number, "fled", since_on=date(2024, 3, 1), actor_login="discipline1", today=TODAY,
                  **RECONTACT)
    with pytest.raises(Refused, match="after a case was filed"):
        add_entry(register.db, number, "fled", since_on=date(2024, 3, 1), case_filed_by="区纪委监委",
                  case_filed_on=date(2024, 3, 5), whereabouts="domestic", actor_login="discipline1", today=TODAY,
                  **RECONTACT)
    made = add_entry(register.db, number, "fled", since_on=date(2024, 3, 1), case_filed_by="区纪委监委",
                     case_filed_on=date(2024, 2, 1), whereabouts="abroad", place="泰国", suspected_offence="贪污罪",
                     amount_wan="125.5", documents_held="因私护照 E1234****", actor_login="discipline1",
                     today=TODAY, at=date(2024, 5, 7), **RECONTACT)
    shown = show_entry(register.db, made.id, actor_login="discipline1", today=TODAY)
    assert (shown["whereabouts"], shown["amount_wan"], shown["case_filed_on"]) == ("abroad", "125.50", "2024-02-01")
    with pytest.raises(Refused):
        fire_entry(register.db, made.id, "find", actor_login="discipline1", today=TODAY, at=date(2024, 5, 1))
    with pytest.raises(Conflict):
        fire_entry(register.db, made.id, "return", actor_login="discipline1", today=TODAY, expected_version=5)
    fire_entry(register.db, made.id, "return", actor_login="discipline1", today=TODAY, at=date(2024, 6, 1),
               expected_version=1)
    before = list_entries(register.db, actor_login="discipline1", today=TODAY, as_of=date(2024, 5, 31))
    after = list_entries(register.db, actor_login="discipline1", today=TODAY)
    assert [(r["state"], r["ended_on"]) for r in before] == [("open", None)]
    assert [(r["state"], r["ended_on"]) for r in after] == [("returned", "2024-06-01")]
    assert [h["trigger"] for h in show_entry(register.db, made.id, actor_login="discipline1", today=TODAY)["history"]] \
        == ["open", "return"]


def test_a_lost_person_is_found_not_returned_and_a_revocation_says_why(register):
    number = register.person("周八", person_type=None)
    made = add_entry(register.db, number, "lost", since_on=date(2024, 1, 2), actor_login="discipline1", today=TODAY,
                     **RECONTACT)
    with pytest.raises(Refused, match="return is for fled or absconded"):
        fire_entry(register.db, made.id, "return", actor_login="discipline1", today=TODAY)
    with pytest.raises(Refused, match="needs a reason"):
        fire_entry(register.db, made.id, "revoke", actor_login="discipline1", today=TODAY)
    assert fire_entry(register.db, made.id, "revoke", actor_login="discipline1", today=TODAY,
                      note="登记对象有误").state == "revoked"


def test_a_member_s_entry_and_lost_contact_case_show_each_other(register):
    number = register.world.add_member("吴九", branch="B1", last_contact=date(2023, 6, 1))
    run_in_process(register.db, date(2024, 1, 2))   # the six-month rule opens the member's case
    add_person(register.db, number, name="吴九", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    made = add_entry(register.db, number, "lost", since_on=date(2023, 6, 1), actor_login="discipline1", today=TODAY,
                     **RECONTACT)
    assert made.case_id is not None
    shown = show_entry(register.db, made.id, actor_login="discipline1", today=TODAY)
    assert shown["case"]["id"] == made.case_id and shown["case"]["state"] == "lost_contact"
    with UnitOfWork(register.db, write=False) as uow:
        assert entries_of_case(uow.session.connection(), made.case_id) == [
            {"id": made.id, "category": "lost", "state": "open", "opened_on": TODAY.isoformat()}]


def test_the_register_is_scoped_and_an_entry_outside_reads_as_unknown(register):
    inside = register.person("郑十", org="B3", actor="cadre2", person_type=None)
    outside = register.person("冯十一", org="B1", person_type=None)
    made = add_entry(register.db, outside, "lost", since_on=date(2024, 1, 2), actor_login="discipline1",
                     today=TODAY, **RECONTACT)
    with pytest.raises(BadInput) as seen:
        add_entry(register.db, outside, "absconded", since_on=date(2024, 1, 2), actor_login="discipline2",
                  today=TODAY, **RECONTACT)
    assert "no person" in str(seen.value)
    with pytest.raises(BadInput) as other:
        fire_entry(register.db, made.id, "find", actor_login="discipline2", today=TODAY)
    with pytest.raises(BadInput) as unknown:
        fire_entry(register.db, 9999, "find", actor_login="discipline2", today=TODAY)
    assert str(other.value).replace(str(made.id), "N") == str(unknown.value).replace("9999", "N")
    assert list_entries(register.db, actor_login="discipline2", today=TODAY) == []
    with pytest.raises(Refused):  # a cadre supervisor records unit contacts, keeps no register
        add_entry(register.db, inside, "lost", since_on=date(2024, 1, 2), actor_login="cadre2", today=TODAY,
                  **RECONTACT)
    with pytest.raises(Refused, match="future"):
        record_unit_contact(register.db, inside, on=date(2024, 7, 1), note=None, actor_login="cadre2", today=TODAY)


@pytest.mark.postgresql
def test_on_postgresql_the_register_s_histories_refuse_update_delete_and_truncate(pg_server):
    """On a migrated database (the tests' own are made from the models, without the triggers)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from models.db import open_database
    from models.migrate import upgrade

    database = open_database(pg_server.create_database())
    try:
        upgrade(database)
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO orgs (code, name, level, path, depth) VALUES ('B', 'b', 'branch', '/1/', 0)"))
            conn.execute(text("INSERT INTO persons (id_number, name, org_id, rank, registration_status, last_seq,"
                              " last_event_on, version, updated_at) VALUES ('x', 'p', 1, 'staff', 'unregistered', 1,"
                              " '2024-01-02', 1, now())"))
            conn.execute(text("INSERT INTO unit_contacts (person_id, on_date, actor, recorded_at) VALUES"
                              " (1, '2024-01-02', 'a', now())"))
            conn.execute(text("INSERT INTO discipline_entries (person_id, category, state, org_id, since_on,"
                              " recontact_on, recontact_note, opened_on, last_seq, last_event_on, version,"
                              " recorded_at) VALUES (1, 'lost', 'open', 1, '2024-01-02', '2024-05-06', 'n',"
                              " '2024-05-06', 1, '2024-05-06', 1, now())"))
            conn.execute(text("INSERT INTO discipline_events (entry_id, seq, trigger, to_state, effective_on, actor,"
                              " role, recorded_at) VALUES (1, 1, 'open', 'open', '2024-05-06', 'a',"
                              " 'discipline_officer', now())"))
        for table in ("discipline_events", "unit_contacts"):
            for statement in (f"UPDATE {table} SET actor = 'b'", f"DELETE FROM {table}", f"TRUNCATE {table}"):
                with pytest.raises(DBAPIError, match="append-only"):
                    with database.engine.begin() as conn:
                        conn.execute(text(statement))
    finally:
        database.dispose()
