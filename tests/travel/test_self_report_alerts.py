"""The sweep's missing self-reports S1 (overdue, to the person's org) and S2 (escalated, to its parent): raised
exactly once per person and campaign once the milestone's day is past with no confirmed report, closed by the
confirmation in its own transaction; a submitted but unconfirmed report still counts as missing."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lostcontact.services.travel import self_reports
from models import Alert, Org, Person

from ..workflows.helpers import sweep
from .conftest import TODAY

DUE = date(2024, 5, 31)  # a Friday; + 5 working days = 2024-06-07


def s_alerts(db):
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Alert.rule, Alert.level, Person.name, Alert.step_seq, Alert.due_on, Org.code, Alert.raised_on,
                   Alert.closed_on).join(Org, Org.id == Alert.org_id).join(Person, Person.id == Alert.subject_id)
            .where(Alert.subject_kind == "person").order_by(Alert.id))]


def open_campaign(travel) -> int:
    return self_reports.open_campaign(travel.db, "自查自报", org_code="C1", trips_since=date(2016, 1, 1),
                                      documents_expired_since=date(2018, 1, 1), due_on=DUE, actor_login="cadre1",
                                      today=TODAY, at=date(2024, 5, 6))


def zero_report(travel, person, campaign, day):
    self_reports.submit_report(travel.db, person, campaign, zero_report=True, pledge_signed=True,
                               actor_login="cadre1", today=TODAY, at=day)


def confirm(travel, person, campaign, day):
    self_reports.review_report(travel.db, person, campaign, "confirm", actor_login="cadre1", today=TODAY, at=day)


def test_a_missing_report_is_overdue_once_then_escalated_and_closed_on_the_day_it_is_confirmed(travel):
    campaign = open_campaign(travel)
    wang, li = travel.person("王五", org="B1"), travel.person("李四", org="B2")
    travel.person("钱七", org="B3", actor="cadre2")  # outside the campaign's scope
    confirmed_in_time = travel.person("周九", org="B1")
    zero_report(travel, confirmed_in_time, campaign, date(2024, 5, 20))
    confirm(travel, confirmed_in_time, campaign, date(2024, 5, 31))
    zero_report(travel, li, campaign, date(2024, 5, 30))  # submitted, never confirmed
    sweep(travel.db, DUE)
    assert s_alerts(travel.db) == []
    for day in (date(2024, 6, 1), date(2024, 6, 1), date(2024, 6, 3)):
        sweep(travel.db, day)
    wang_overdue = ("S1", "overdue", "王五", campaign, DUE, "B1", date(2024, 6, 1))
    li_overdue = ("S1", "overdue", "李四", campaign, DUE, "B2", date(2024, 6, 1))
    assert sorted(s_alerts(travel.db)) == sorted([(*wang_overdue, None), (*li_overdue, None)])
    zero_report(travel, wang, campaign, date(2024, 6, 4))
    confirm(travel, wang, campaign, date(2024, 6, 5))  # closes his S1 in its own transaction
    assert (*wang_overdue, date(2024, 6, 5)) in s_alerts(travel.db)
    sweep(travel.db, date(2024, 6, 7))
    assert len(s_alerts(travel.db)) == 2
    sweep(travel.db, date(2024, 6, 8))
    li_escalated = ("S2", "escalated", "李四", campaign, DUE, "GB1", date(2024, 6, 8), None)
    assert s_alerts(travel.db)[-1] == li_escalated and len(s_alerts(travel.db)) == 3
    sweep(travel.db, date(2024, 6, 9))
    assert len(s_alerts(travel.db)) == 3
    confirm(travel, li, campaign, date(2024, 6, 11))
    assert [a[-1] for a in s_alerts(travel.db) if a[2] == "李四"] == [date(2024, 6, 11)] * 2


def test_the_reviewer_reads_s1_in_the_alert_list_and_an_officer_elsewhere_does_not(travel):
    from lostcontact.queries.alerts import open_alerts
    open_campaign(travel)
    travel.person("王五", org="B1")
    sweep(travel.db, date(2024, 6, 3))
    [alert] = open_alerts(travel.db, today=TODAY, actor_login="cadre1", as_of=date(2024, 6, 3))
    assert (alert["rule"], alert["level"], alert["subject_kind"]) == ("S1", "overdue", "person")
    assert "王五" in alert["message"] and "自查自报" in alert["message"]
    assert open_alerts(travel.db, today=TODAY, actor_login="cadre2", as_of=date(2024, 6, 3)) == []


def test_a_person_recorded_after_the_sweep_s_day_is_not_alerted_for_that_day(travel):
    open_campaign(travel)
    travel.person("吴十", org="B1", at=date(2024, 6, 20))
    sweep(travel.db, date(2024, 6, 3))
    assert s_alerts(travel.db) == []


def test_a_person_moved_out_of_the_scope_has_their_alert_closed_by_the_next_sweep(travel):
    from lostcontact.services.travel.persons import edit_person
    campaign = self_reports.open_campaign(travel.db, "第一党支部自查", org_code="B1", trips_since=date(2016, 1, 1),
                                          documents_expired_since=date(2018, 1, 1), due_on=DUE, actor_login="cadre1",
                                          today=TODAY, at=date(2024, 5, 6))
    moved = travel.person("王五", org="B1")
    travel.person("李四", org="B1")
    sweep(travel.db, date(2024, 6, 3))
    edit_person(travel.db, moved, org_code="B2", actor_login="cadre1", today=TODAY, at=date(2024, 6, 4))
    sweep(travel.db, date(2024, 6, 5))
    assert sorted((a[2], a[3], a[-1]) for a in s_alerts(travel.db)) == [
        ("李四", campaign, None), ("王五", campaign, date(2024, 6, 5))]
