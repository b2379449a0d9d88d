"""Flight risk (PROGRAMMES.md §6): on the register as 失联/出走 or in an open lost-contact case, AND a private
document outside custody, an exit after the last contact, or an M1 finding — shown with its reasons, and F1
raised to the person's org exactly once per person and reason, closed when the reason goes."""
from __future__ import annotations

from datetime import date

from lostcontact.importing import import_file
from lostcontact.queries.discipline import flight_risks, show_entry
from lostcontact.services.discipline.register import add_entry, record_unit_contact
from lostcontact.services.travel.documents import fire_custody
from lostcontact.services.travel.persons import add_person
from models import Alert, Org
from sqlalchemy import select

from ..travel.police_files import CROSSINGS_EN, write
from ..workflows.helpers import sweep
from .conftest import TODAY

RECONTACT = dict(recontact_on=date(2024, 5, 6), recontact_note="再次联系未果")


def f1_alerts(db):
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Alert.subject_id, Alert.step_seq, Alert.due_on, Org.code, Alert.raised_on, Alert.closed_on)
            .join(Org, Org.id == Alert.org_id).where(Alert.rule == "F1").order_by(Alert.id))]


def reasons(db, **kw) -> dict[str, list[str]]:
    return {r["person_name"]: [x["reason"] for x in r["reasons"]]
            for r in flight_risks(db, actor_login="discipline1", today=TODAY, **kw)}


def test_a_lost_person_holding_a_passport_outside_custody_is_a_risk_until_it_is_handed_in(register):
    number = register.person("张三", person_type=None)
    passport = register.document(number, at=date(2024, 1, 10))
    record_unit_contact(register.db, number, on=date(2024, 1, 2), note=None, actor_login="discipline1", today=TODAY)
    assert reasons(register.db) == {}  # a passport alone is no risk
    entry = add_entry(register.db, number, "lost", since_on=date(2024, 1, 2), actor_login="discipline1",
                      today=TODAY, at=date(2024, 5, 6), **RECONTACT)
    assert reasons(register.db) == {"张三": ["document"]}
    assert reasons(register.db, as_of=date(2024, 5, 5)) == {}  # not yet on the register then
    assert show_entry(register.db, entry.id, actor_login="discipline1", today=TODAY)["flight_risk"][0]["words"] == \
        "持有有效因私出国（境）证件未交组织保管（因私护照（普通护照））"
    sweep(register.db, date(2024, 5, 7))
    sweep(register.db, date(2024, 5, 8))
    person_id = f1_alerts(register.db)[0][0]
    assert f1_alerts(register.db) == [(person_id, 1, date(2024, 5, 6), "B1", date(2024, 5, 7), None)]  # once
    fire_custody(register.db, passport, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 5, 9),
                 kept_at="档案室")
    sweep(register.db, date(2024, 5, 10))
    assert f1_alerts(register.db)[0][-1] == date(2024, 5, 10) and reasons(register.db) == {}


def test_a_member_in_an_open_case_who_left_the_country_after_the_last_contact_is_a_risk(register, tmp_path):
    from workflows.orchestration import run_in_process

    number = register.world.add_member("李四", branch="B1", last_contact=date(2023, 6, 1))
    run_in_process(register.db, date(2024, 1, 2))  # the member's lost-contact case
    add_person(register.db, number, name="李四", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    crossings = write(tmp_path, "crossings.csv", CROSSINGS_EN,
                      f"{number},passport_private,E77777777,exit,2023-05-01,深圳湾,香港",   # before the last contact
                      f"{number},passport_private,E77777777,exit,2023-08-15,深圳湾,香港")
    import_file(register.db, "police_crossings", crossings, today=TODAY, actor="liaison1")
    [row] = flight_risks(register.db, actor_login="discipline1", today=TODAY)
    assert [r["reason"] for r in row["reasons"]] == ["exit"] and row["reasons"][0]["detail"] == "2023-08-15"
    assert "最后一次联系后有出境记录（2023-08-15 出境）" == row["reasons"][0]["words"]
    assert flight_risks(register.db, actor_login="discipline1", today=TODAY, as_of=date(2023, 12, 31)) == []


def test_risks_are_scoped_to_the_reader(register):
    number = register.person("王五", person_type=None)
    register.document(number, at=date(2024, 1, 10))
    add_entry(register.db, number, "absconded", since_on=date(2024, 3, 1), actor_login="discipline1", today=TODAY,
              **RECONTACT)
    assert list(reasons(register.db)) == ["王五"]
    assert flight_risks(register.db, actor_login="discipline2", today=TODAY) == []


def test_the_case_shows_the_register_entry_and_the_flight_risk(register, tmp_path):
    from lostcontact.queries.cases import show_case
    from workflows.orchestration import run_in_process

    number = register.world.add_member("赵六", branch="B1", last_contact=date(2023, 6, 1))
    run_in_process(register.db, date(2024, 1, 2))
    add_person(register.db, number, name="赵六", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    register.document(number, at=date(2024, 1, 10))
    made = add_entry(register.db, number, "lost", since_on=date(2023, 6, 1), actor_login="discipline1", today=TODAY,
                     **RECONTACT)
    case = show_case(register.db, made.case_id, today=TODAY, actor_login="officer1")
    assert case["discipline_entries"] == [{"id": made.id, "category": "lost", "state": "open",
                                           "opened_on": TODAY.isoformat()}]
    assert case["flight_risk"] == ["持有有效因私出国（境）证件未交组织保管（因私护照（普通护照））"]
