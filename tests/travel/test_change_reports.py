"""Reporting registration changes to the exit-entry administration: each change due by its month's report day
(the 25th), carried by exactly one report, recorded by the liaison; T3/T4 raised once per level, escalated,
and closed in the very transaction that submits or records."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import select

from lostcontact.queries.travel.change_reports import list_reports, registration_changes
from lostcontact.services.sweep.change_report_alerts import latest_overdue_change_day
from lostcontact.services.travel.change_reports import record_report, submit_report
from lostcontact.services.travel.persons import edit_person, fire_registration
from models import Alert, Org, RegistrationReportItem
from statemachines.errors import BadInput, Conflict, Refused
from statemachines.travel.change_reports import report_due_on

from ..workflows.helpers import sweep
from .conftest import TODAY


def change_alerts(db):
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Alert.rule, Alert.level, Alert.due_on, Org.code, Alert.raised_on, Alert.closed_on)
            .join(Org, Org.id == Alert.org_id).where(Alert.rule.in_(("T3", "T4"))).order_by(Alert.id))]


def items(db) -> int:
    with db.engine.connect() as conn:
        return len(conn.execute(select(RegistrationReportItem.id)).all())


@pytest.mark.parametrize("changed_on,due", [(date(2024, 3, 1), date(2024, 3, 25)), (date(2024, 3, 25), date(2024, 3, 25)),
                                            (date(2024, 3, 26), date(2024, 4, 25)),
                                            (date(2024, 12, 31), date(2025, 1, 25))])
def test_a_change_is_due_by_its_month_s_report_day_or_the_next_month_s(changed_on, due):
    assert report_due_on(changed_on, 25) == due


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 28),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_a_change_is_past_due_on_a_day_exactly_when_it_was_made_by_the_last_overdue_change_day(changed_on, report_day,
                                                                                               as_of):
    due = report_due_on(changed_on, report_day)
    assert changed_on <= due and (due - changed_on).days < 31
    assert (as_of > due) == (changed_on <= latest_overdue_change_day(as_of, report_day))


def test_the_changes_listed_are_filings_changes_and_revocations_each_due_by_the_25th(travel):
    number = travel.person("王五", registered_on=date(2024, 3, 10))
    edit_person(travel.db, number, post="副局长", actor_login="cadre1", today=TODAY, at=date(2024, 3, 28))
    fire_registration(travel.db, number, "revoke", actor_login="cadre1", today=TODAY, at=date(2024, 4, 2), note="调离")
    travel.person("未备案者")  # recorded, never filed: nothing to report
    rows = registration_changes(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 4, 26))
    assert [(r["person_name"], r["change"], r["changed_on"], r["due_on"], r["overdue"]) for r in rows] == [
        ("王五", "registered", "2024-03-10", "2024-03-25", True),
        ("王五", "changed", "2024-03-28", "2024-04-25", True),
        ("王五", "revoked", "2024-04-02", "2024-04-25", True)]
    assert rows[0]["person_id_number_masked"] == number[:6] + "********" + number[-4:]


def test_a_report_carries_every_unreported_change_of_the_subtree_once_and_ends_their_alerts(travel):
    travel.person("王五", org="B1", registered_on=date(2024, 3, 10))
    travel.person("李四", org="B3", actor="cadre2", registered_on=date(2024, 3, 12))  # another committee
    sweep(travel.db, date(2024, 3, 26))
    assert change_alerts(travel.db) == [("T3", "overdue", date(2024, 3, 25), "B1", date(2024, 3, 26), None),
                                        ("T3", "overdue", date(2024, 3, 25), "B3", date(2024, 3, 26), None)]
    report = submit_report(travel.db, "C1", actor_login="cadre1", today=TODAY, at=date(2024, 3, 27))
    assert report.changes == 1
    assert change_alerts(travel.db)[0][-1] == date(2024, 3, 27) and change_alerts(travel.db)[1][-1] is None
    with pytest.raises(Refused, match="no registration change to report"):  # nothing left in C1's subtree; nothing is kept
        submit_report(travel.db, "C1", actor_login="cadre1", today=TODAY, at=date(2024, 3, 28))
    assert items(travel.db) == 1
    listed = registration_changes(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 3, 28))
    assert [(r["person_name"], r["report_id"], r["reported_on"], r["overdue"]) for r in listed] == [
        ("王五", report.id, "2024-03-27", True)]  # reported, but after the 25th
    before = registration_changes(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 3, 26),
                                  unreported_only=True)
    assert [(r["person_name"], r["report_id"]) for r in before] == [("王五", None)]
    assert registration_changes(travel.db, actor_login="cadre1", today=TODAY, unreported_only=True) == []


def test_unreported_changes_escalate_to_the_parent_after_the_lag_once(travel):
    travel.person("王五", org="B1", registered_on=date(2024, 3, 10))
    for day in (date(2024, 3, 26), date(2024, 4, 2), date(2024, 4, 2), date(2024, 4, 3)):
        sweep(travel.db, day)
    # 2024-03-25 + 5 working days = 2024-04-01 (no holiday then)
    assert change_alerts(travel.db) == [("T3", "overdue", date(2024, 3, 25), "B1", date(2024, 3, 26), None),
                                        ("T3", "escalated", date(2024, 3, 25), "C1", date(2024, 4, 2), None)]


def test_a_report_not_recorded_in_a_working_day_is_t4_until_the_liaison_records_it(travel):
    travel.person("王五", org="B1", registered_on=date(2024, 3, 10))
    report = submit_report(travel.db, "C1", actor_login="cadre1", today=TODAY, at=date(2024, 3, 22))  # a Friday
    sweep(travel.db, date(2024, 3, 25))  # due the next working day, Monday 25th
    assert change_alerts(travel.db) == []
    sweep(travel.db, date(2024, 3, 26))
    assert change_alerts(travel.db) == [("T4", "overdue", date(2024, 3, 25), "C1", date(2024, 3, 26), None)]
    with pytest.raises(Refused, match="exit_entry_liaison"):
        record_report(travel.db, report.id, actor_login="cadre1", today=TODAY)
    with pytest.raises(Refused, match="before the report was sent"):
        record_report(travel.db, report.id, actor_login="liaison1", today=TODAY, at=date(2024, 3, 21))
    with pytest.raises(Conflict):
        record_report(travel.db, report.id, actor_login="liaison1", today=TODAY, expected_version=7)
    recorded = record_report(travel.db, report.id, actor_login="liaison1", today=TODAY, at=date(2024, 3, 27),
                             expected_version=1)
    assert recorded.version == 2 and change_alerts(travel.db)[0][-1] == date(2024, 3, 27)
    with pytest.raises(Refused, match="recorded on 2024-03-27"):
        record_report(travel.db, report.id, actor_login="liaison1", today=TODAY)
    [listed] = list_reports(travel.db, actor_login="liaison1", today=TODAY)
    assert (listed["changes"], listed["record_due_on"], listed["recorded_on"], listed["overdue"]) == (
        1, "2024-03-25", "2024-03-27", True)
    [before] = list_reports(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 3, 25))
    assert before["recorded_on"] is None and before["overdue"] is False


def test_the_sweep_closes_what_a_step_did_not_on_the_day_of_the_report(travel):
    travel.person("王五", org="B1", registered_on=date(2024, 3, 10))
    sweep(travel.db, date(2024, 3, 26))
    submit_report(travel.db, "C1", actor_login="cadre1", today=TODAY, at=date(2024, 3, 27))
    with travel.db.engine.begin() as conn:  # as if the alert had been raised by a sweep running concurrently
        conn.execute(Alert.__table__.update().values(closed_on=None))
    sweep(travel.db, date(2024, 3, 28))
    assert [a[-1] for a in change_alerts(travel.db)] == [date(2024, 3, 27)]


def test_reports_and_changes_are_scoped_and_refusals_reveal_nothing(travel):
    travel.person("李四", org="B3", actor="cadre2", registered_on=date(2024, 3, 12))
    report = submit_report(travel.db, "C2", actor_login="cadre2", today=TODAY, at=date(2024, 3, 20))
    assert registration_changes(travel.db, actor_login="cadre1", today=TODAY) == []
    assert list_reports(travel.db, actor_login="cadre1", today=TODAY) == []
    with pytest.raises(BadInput, match="unknown or outside your subtrees"):
        submit_report(travel.db, "C2", actor_login="cadre1", today=TODAY)
    with pytest.raises(BadInput) as outside:
        record_report(travel.db, report.id, actor_login="cadre1", today=TODAY)
    with pytest.raises(BadInput) as unknown:
        record_report(travel.db, 999, actor_login="cadre1", today=TODAY)
    assert str(outside.value).replace(str(report.id), "N") == str(unknown.value).replace("999", "N")
    with pytest.raises(Refused):
        submit_report(travel.db, "C2", actor_login="discipline1", today=TODAY)  # reads, may not report
