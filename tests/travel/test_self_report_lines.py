"""What the checks read of the self-reports: only the current submission's lines of reports confirmed by the
day — not an earlier submission's, not an unconfirmed report's."""
from __future__ import annotations

from datetime import date

from sqlalchemy import literal, select

from lostcontact.services.travel import self_reports
from lostcontact.services.travel.self_report_lines import (confirmed_documents, confirmed_trips, document_reported,
                                                           exit_reported)
from models import Person
from statemachines.travel.self_report import DocumentLine, TripLine

from .conftest import TODAY

PASSPORT = DocumentLine("passport_private", "E12345678", date(2029, 4, 30))
HKMO = DocumentLine("hkmo_private", "C1234567", date(2027, 1, 1))
TRIP = TripLine(date(2018, 2, 10), date(2018, 2, 17), ("泰国",), "旅游", approved=True)


def step(travel, person, campaign, trigger, day, **kw):
    if trigger == "submit":
        self_reports.submit_report(travel.db, person, campaign, pledge_signed=True, actor_login="cadre1", today=TODAY,
                                   at=day, **kw)
    else:
        self_reports.review_report(travel.db, person, campaign, trigger, actor_login="cadre1", today=TODAY, at=day,
                                   **kw)


def rows(travel, query):
    with travel.db.engine.connect() as conn:
        return conn.execute(query).all()


def test_the_checks_read_the_confirmed_report_s_current_lines_only(travel):
    campaign = self_reports.open_campaign(travel.db, "自查", org_code="C1", trips_since=date(2016, 1, 1),
                                          documents_expired_since=date(2018, 1, 1), due_on=date(2024, 5, 31),
                                          actor_login="cadre1", today=TODAY, at=date(2024, 5, 6))
    wang, li = travel.person("王五"), travel.person("李四", org="B2")
    step(travel, wang, campaign, "submit", date(2024, 5, 10), documents=(PASSPORT,))
    step(travel, wang, campaign, "return", date(2024, 5, 11), note="漏报通行证和出国情况")
    step(travel, wang, campaign, "submit", date(2024, 5, 12), documents=(PASSPORT, HKMO), trips=(TRIP,))
    step(travel, wang, campaign, "confirm", date(2024, 5, 13))
    step(travel, li, campaign, "submit", date(2024, 5, 10), documents=(DocumentLine("taiwan", "T7654321",
                                                                                   date(2030, 1, 1)),))
    assert rows(travel, confirmed_documents(date(2024, 5, 12))) == []
    documents = rows(travel, confirmed_documents(date(2024, 5, 13)))
    assert sorted((r.kind, r.number) for r in documents) == [("hkmo_private", "C1234567"),
                                                             ("passport_private", "E12345678")]
    assert [(r.departure_on, r.return_on) for r in rows(travel, confirmed_trips(date(2024, 6, 1)))] == [
        (date(2018, 2, 10), date(2018, 2, 17))]
    day = date(2024, 6, 1)

    def asked(clause):
        return dict(rows(travel, select(Person.name, clause).order_by(Person.name)))
    assert asked(document_reported(Person.id, literal("hkmo_private"), literal("C1234567"), day)) == {
        "王五": True, "李四": False}
    assert asked(document_reported(Person.id, literal("taiwan"), literal("T7654321"), day)) == {
        "王五": False, "李四": False}  # 李四's report is not confirmed
    assert asked(exit_reported(Person.id, literal(date(2018, 2, 12)), day)) == {"王五": True, "李四": False}
    assert asked(exit_reported(Person.id, literal(date(2018, 3, 1)), day)) == {"王五": False, "李四": False}
