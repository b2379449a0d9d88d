"""The sweep's custody deadlines T1 (not handed in) and T2 (not returned): raised exactly once per clock and
level, escalated to the parent org after the policy's lag, closed on the day the document comes in."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lostcontact.services.travel.documents import fire_custody
from models import Alert, Org

from ..workflows.helpers import sweep
from .conftest import TODAY


def custody_alerts(db):
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Alert.rule, Alert.level, Alert.subject_id, Alert.step_seq, Alert.due_on, Org.code, Alert.raised_on,
                   Alert.closed_on).join(Org, Org.id == Alert.org_id)
            .where(Alert.subject_kind == "document").order_by(Alert.id))]


def act(travel, document_id, trigger, day, **kw):
    fire_custody(travel.db, document_id, trigger, actor_login="cadre1", today=TODAY, at=day, **kw)


def test_a_passport_not_handed_in_is_overdue_once_then_escalated_then_closed_when_received(travel):
    passport = travel.document(travel.person(registered_on=date(2024, 1, 10)), at=date(2024, 1, 10))
    sweep(travel.db, date(2024, 1, 24))
    assert custody_alerts(travel.db) == []
    for day in (date(2024, 1, 25), date(2024, 1, 25), date(2024, 1, 26)):
        sweep(travel.db, day)
    overdue = ("T1", "overdue", passport, 1, date(2024, 1, 24), "B1", date(2024, 1, 25))
    assert custody_alerts(travel.db) == [(*overdue, None)]
    sweep(travel.db, date(2024, 2, 1))  # 2024-01-24 + 5 working days = 2024-01-31
    escalated = ("T1", "escalated", passport, 1, date(2024, 1, 24), "C1", date(2024, 2, 1))
    assert custody_alerts(travel.db) == [(*overdue, None), (*escalated, None)]
    act(travel, passport, "receive", date(2024, 2, 2))  # closes them in its own transaction
    assert custody_alerts(travel.db) == [(*overdue, date(2024, 2, 2)), (*escalated, date(2024, 2, 2))]
    sweep(travel.db, date(2024, 2, 5))
    assert custody_alerts(travel.db) == [(*overdue, date(2024, 2, 2)), (*escalated, date(2024, 2, 2))]


def test_a_late_return_is_t2_on_the_checkout_s_clock(travel):
    person = travel.person(registered_on=date(2024, 1, 10))
    passport = travel.document(person)
    act(travel, passport, "receive", date(2024, 1, 20))
    act(travel, passport, "check_out", date(2024, 3, 6), trip_id=travel.trip(person, passport))
    sweep(travel.db, date(2024, 3, 30))
    assert custody_alerts(travel.db) == []
    sweep(travel.db, date(2024, 3, 31))
    assert custody_alerts(travel.db) == [("T2", "overdue", passport, 3, date(2024, 3, 30), "B1", date(2024, 3, 31),
                                          None)]
    act(travel, passport, "return", date(2024, 4, 1))
    assert custody_alerts(travel.db)[0][-1] == date(2024, 4, 1)


def test_unregistered_persons_and_documents_in_custody_raise_nothing(travel):
    travel.document(travel.person("未备案"))
    kept = travel.document(travel.person("已交", registered_on=date(2024, 1, 10)))
    act(travel, kept, "receive", date(2024, 1, 12))
    sweep(travel.db, date(2024, 3, 1))
    assert custody_alerts(travel.db) == []


def test_the_custodian_reads_t1_in_the_alert_list_and_an_officer_elsewhere_does_not(travel):
    from lostcontact.queries.alerts import open_alerts
    travel.document(travel.person(registered_on=date(2024, 1, 10)), number="E11112222")
    sweep(travel.db, date(2024, 1, 25))
    [alert] = open_alerts(travel.db, today=TODAY, actor_login="cadre1", as_of=date(2024, 1, 25))
    assert (alert["rule"], alert["level"], alert["subject_kind"]) == ("T1", "overdue", "document")
    assert "逾期未交" in alert["message"] and "E*****222" in alert["message"] and "E11112222" not in alert["message"]
    assert open_alerts(travel.db, today=TODAY, actor_login="cadre2", as_of=date(2024, 1, 25)) == []


def test_the_sweep_closes_an_alert_whose_person_is_no_longer_on_file(travel):
    from lostcontact.services.travel.persons import fire_registration
    person = travel.person(registered_on=date(2024, 1, 10))
    travel.document(person)
    sweep(travel.db, date(2024, 1, 25))
    fire_registration(travel.db, person, "revoke", actor_login="cadre1", today=TODAY, at=date(2024, 1, 30),
                      note="调离")
    sweep(travel.db, date(2024, 2, 1))
    assert [(a[1], a[-1]) for a in custody_alerts(travel.db)] == [("overdue", date(2024, 2, 1))]
