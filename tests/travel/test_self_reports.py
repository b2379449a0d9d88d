"""Self-report campaigns (自查自报): a person's report is submitted with the signed pledge, returned for correction,
submitted again and confirmed by the person's reviewer; what it reported stays as submitted whatever happens to
the registry's documents afterwards; a report with nothing is a zero report; every refusal changes nothing."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lostcontact.queries.travel import self_reports as views
from lostcontact.services.travel import self_reports
from lostcontact.services.travel.documents import fire_custody
from models import SelfReport, SelfReportDocument, SelfReportEvent
from statemachines.errors import BadInput, Conflict, Refused
from statemachines.travel.self_report import PLEDGE, DocumentLine, TripLine

from .conftest import TODAY

OPENED, DUE = date(2024, 5, 6), date(2024, 5, 31)
PASSPORT = DocumentLine("passport_private", "E12345678", date(2029, 4, 30), issued_on=date(2019, 5, 1),
                        kept_at="区委组织部")
TRIP = TripLine(date(2018, 2, 10), date(2018, 2, 17), ("泰国", "新加坡"), "旅游", approved=True,
                approving_authority="区委组织部")


@pytest.fixture
def campaign(travel) -> int:
    return self_reports.open_campaign(travel.db, "2024年自查自报", org_code="C1", trips_since=date(2016, 1, 1),
                                      documents_expired_since=date(2018, 1, 1), due_on=DUE, actor_login="cadre1",
                                      today=TODAY, at=OPENED)


def submit(travel, person, campaign, day=date(2024, 5, 10), actor="cadre1", **kw):
    kw.setdefault("pledge_signed", True)
    if not kw.get("zero_report"):
        kw.setdefault("documents", (PASSPORT,))
        kw.setdefault("trips", (TRIP,))
    return self_reports.submit_report(travel.db, person, campaign, actor_login=actor, today=TODAY, at=day, **kw)


def review(travel, person, campaign, trigger, day=date(2024, 5, 20), actor="cadre1", **kw):
    return self_reports.review_report(travel.db, person, campaign, trigger, actor_login=actor, today=TODAY, at=day,
                                      **kw)


def show(travel, person, campaign, actor="cadre1"):
    return views.show_report(travel.db, person, campaign, actor_login=actor, today=TODAY)


def counts(db):
    with db.engine.connect() as conn:
        return tuple(conn.scalar(select(func.count()).select_from(t))
                     for t in (SelfReport, SelfReportEvent, SelfReportDocument))


def test_a_report_is_submitted_returned_corrected_and_confirmed_each_step_a_history_record(travel, campaign):
    person = travel.person()
    first = submit(travel, person, campaign)
    assert (first.from_state, first.to_state, first.version) == ("owed", "submitted", 1)
    returned = review(travel, person, campaign, "return", date(2024, 5, 12), note="漏报往来港澳通行证")
    assert (returned.to_state, returned.version) == ("returned", 2)
    hkmo = DocumentLine("hkmo_private", "C1234567", date(2027, 1, 1), kept_at="区委组织部")
    submit(travel, person, campaign, date(2024, 5, 14), documents=(PASSPORT, hkmo))
    confirmed = review(travel, person, campaign, "confirm", date(2024, 5, 20), expected_version=3)
    assert (confirmed.from_state, confirmed.to_state, confirmed.version) == ("submitted", "confirmed", 4)
    data = show(travel, person, campaign)
    assert (data["state"], data["confirmed_on"], data["reviewer"], data["reviewer_role"]) == (
        "confirmed", "2024-05-20", "cadre1", "cadre_supervisor")
    assert [(h["trigger"], h["to_state"], h["on"], h["submission_seq"]) for h in data["history"]] == [
        ("submit", "submitted", "2024-05-10", 1), ("return", "returned", "2024-05-12", 1),
        ("submit", "submitted", "2024-05-14", 2), ("confirm", "confirmed", "2024-05-20", 2)]
    first_lines, current = data["submissions"]
    assert [d["kind"] for d in first_lines["documents"]] == ["passport_private"] and not first_lines["current"]
    assert [d["kind"] for d in current["documents"]] == ["passport_private", "hkmo_private"] and current["current"]
    assert current["trips"][0]["destinations"] == ["泰国", "新加坡"]
    assert data["return_reason"] == "漏报往来港澳通行证"


@pytest.mark.parametrize("step, words, left", [
    (lambda t, p, c: review(t, p, c, "confirm"), "待报", (0, 0)),
    (lambda t, p, c: (submit(t, p, c), review(t, p, c, "confirm"), review(t, p, c, "return", note="x")), "已审核确认",
     (1, 2)),
    (lambda t, p, c: (submit(t, p, c), submit(t, p, c)), "已报送", (1, 1)),
    (lambda t, p, c: (submit(t, p, c), review(t, p, c, "return")), "须说明", (1, 1)),
])
def test_a_step_the_report_s_state_does_not_allow_is_refused_and_changes_nothing(travel, campaign, step, words,
                                                                                  left):
    person = travel.person()
    with pytest.raises(Refused) as refusal:
        step(travel, person, campaign)
    assert words in refusal.value.zh
    assert counts(travel.db)[:2] == left  # (reports, history records): what the steps before it wrote


@pytest.mark.parametrize("kw, words", [
    (dict(pledge_signed=False), "承诺"),
    (dict(documents=(), trips=()), "零报告"),
    (dict(zero_report=True, documents=(PASSPORT,)), "零报告不能"),
    (dict(documents=(DocumentLine("passport_private", "E1234567", date(2017, 12, 31)),)), "不在报告范围"),
    (dict(trips=(TripLine(date(2015, 12, 1), date(2015, 12, 31), ("日本",), "旅游", True),)), "不在报告范围"),
    (dict(trips=(TripLine(date(2018, 2, 10), date(2018, 2, 1), ("日本",), "旅游", True),)), "早于出发"),
    (dict(day=date(2024, 5, 1)), "早于自查自报开始"),
])
def test_a_report_outside_the_rules_is_refused_saying_why_and_nothing_is_written(travel, campaign, kw, words):
    person = travel.person()
    with pytest.raises(Refused) as refusal:
        submit(travel, person, campaign, **kw)
    assert words in refusal.value.zh
    assert counts(travel.db) == (0, 0, 0)


def test_a_zero_report_has_no_lines_and_says_so(travel, campaign):
    person = travel.person()
    submit(travel, person, campaign, zero_report=True)
    data = show(travel, person, campaign)
    assert data["zero_report"] and data["submissions"][0]["documents"] == data["submissions"][0]["trips"] == []
    assert data["pledge_text"] == PLEDGE and data["pledge_signed_on"] == "2024-05-10"


def test_what_was_reported_stays_as_submitted_when_the_registry_s_documents_change(travel, campaign):
    person = travel.person(registered_on=date(2024, 1, 10))
    passport = travel.document(person, number="E12345678", at=date(2024, 1, 10))
    submit(travel, person, campaign, trips=())
    before = show(travel, person, campaign)["submissions"]
    fire_custody(travel.db, passport, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 5, 15),
                 kept_at="档案室")
    fire_custody(travel.db, passport, "report_lost", actor_login="cadre1", today=TODAY, at=date(2024, 5, 16),
                 note="遗失，本人说明已盖章")
    travel.document(person, kind="taiwan", number="T7654321", at=date(2024, 5, 17))
    after = show(travel, person, campaign)["submissions"]
    assert after == before
    assert [(d["kind"], d["number"], d["kept_at"]) for d in after[0]["documents"]] == [
        ("passport_private", "E12345678", "区委组织部")]


def test_a_line_declared_and_corrected_within_the_campaign_is_kept_as_self_corrected(travel, campaign):
    person = travel.person()
    handed_in = DocumentLine("taiwan", "T1234567", date(2030, 1, 1), self_corrected=True,
                             correction="原未交，2024-05-09 已交组织集中保管")
    submit(travel, person, campaign, documents=(PASSPORT, handed_in))
    lines = show(travel, person, campaign)["submissions"][0]["documents"]
    assert [(d["self_corrected"], d["correction"]) for d in lines] == [
        (False, None), (True, "原未交，2024-05-09 已交组织集中保管")]


def test_the_pledge_is_seed_002_s_own_words(travel):
    seed = (Path(__file__).parent / "seed_text" / "self-report-002.txt").read_text("utf-8").splitlines()
    assert PLEDGE in [line.strip() for line in seed]
    assert PLEDGE.startswith("本人郑重承诺")


def test_the_reviewer_of_a_party_only_member_is_the_party_org_s_secretary(travel, campaign):
    member = travel.person("赵六", rank="party_only", person_type=None)
    submit(travel, member, campaign, zero_report=True)
    with pytest.raises(Refused) as refusal:
        review(travel, member, campaign, "confirm", actor="cadre1")
    assert "党组织负责人" in refusal.value.zh
    review(travel, member, campaign, "confirm", actor="officer1")
    assert show(travel, member, campaign, actor="officer1")["reviewer_role"] == "branch_officer"


def test_a_branch_secretary_reviews_only_party_only_members_and_sees_no_one_else(travel, campaign):
    cadre = travel.person()
    submit(travel, cadre, campaign)
    with pytest.raises(BadInput):
        review(travel, cadre, campaign, "confirm", actor="officer1")


def test_a_person_outside_the_campaign_s_scope_owes_nothing_there(travel, campaign):
    street = travel.person("钱七", org="B3", actor="cadre2")
    with pytest.raises(BadInput):  # the campaign is outside cadre2's subtree: not found, like any unknown one
        submit(travel, street, campaign, actor="cadre2")
    branch_only = self_reports.open_campaign(travel.db, "第一党支部自查", org_code="B1", trips_since=date(2016, 1, 1),
                                             documents_expired_since=date(2018, 1, 1), due_on=DUE,
                                             actor_login="cadre1", today=TODAY, at=OPENED)
    with pytest.raises(Refused) as refusal:
        submit(travel, travel.person("孙八", org="B2"), branch_only)
    assert "不在该自查自报活动的范围" in refusal.value.zh


def test_a_stale_version_is_refused(travel, campaign):
    person = travel.person()
    submit(travel, person, campaign)
    with pytest.raises(Conflict):
        review(travel, person, campaign, "confirm", expected_version=0)
    assert show(travel, person, campaign)["state"] == "submitted"


def test_the_campaign_reuses_the_r10_campaign_and_milestone(travel, campaign):
    from models import Campaign, Milestone
    with travel.db.engine.connect() as conn:
        assert conn.execute(select(Campaign.name, Campaign.start_on)).all() == [("2024年自查自报", OPENED)]
        assert conn.execute(select(Milestone.key, Milestone.due_on, Milestone.level)).all() == [
            ("self_report", DUE, "person")]
    with pytest.raises(Refused):
        self_reports.open_campaign(travel.db, "2024年自查自报", org_code="C1", trips_since=date(2016, 1, 1),
                                   documents_expired_since=date(2018, 1, 1), due_on=DUE, actor_login="cadre1",
                                   today=TODAY, at=OPENED)


@pytest.mark.postgresql
def test_on_postgresql_a_report_s_history_refuses_update_delete_and_truncate(pg_server):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from models.db import open_database
    from models.migrate import upgrade

    url = pg_server.create_database()
    database = open_database(url)
    try:
        upgrade(database)
        with database.engine.begin() as conn:
            for statement in (
                    "INSERT INTO orgs (code, name, level, path, depth) VALUES ('B', 'b', 'branch', '/1/', 0)",
                    "INSERT INTO persons (id_number, name, org_id, rank, registration_status, last_seq, last_event_on,"
                    " version, updated_at) VALUES ('x', 'p', 1, 'county', 'unregistered', 1, '2024-01-02', 1, now())",
                    "INSERT INTO campaigns (name, start_on, end_on, created_at) VALUES ('c', '2024-05-06', '2024-05-31',"
                    " now())",
                    "INSERT INTO milestones (campaign_id, key, due_on, level, title) VALUES (1, 'self_report',"
                    " '2024-05-31', 'person', 't')",
                    "INSERT INTO self_report_campaigns (campaign_id, milestone_id, scope_org_id, trips_since,"
                    " documents_expired_since, opened_on, actor, recorded_at) VALUES (1, 1, 1, '2016-01-01',"
                    " '2018-01-01', '2024-05-06', 'a', now())",
                    "INSERT INTO self_reports (campaign_id, person_id, state, submission_seq, zero_report, pledge_text,"
                    " pledge_signed_on, submitted_on, recorded_by, last_seq, last_event_on, version) VALUES (1, 1,"
                    " 'submitted', 1, true, 'p', '2024-05-10', '2024-05-10', 'a', 1, '2024-05-10', 1)",
                    "INSERT INTO self_report_events (report_id, seq, trigger, from_state, to_state, submission_seq,"
                    " effective_on, actor, role, recorded_at) VALUES (1, 1, 'submit', 'owed', 'submitted', 1,"
                    " '2024-05-10', 'a', 'cadre_supervisor', now())"):
                conn.execute(text(statement))
        for statement in ("UPDATE self_report_events SET actor = 'rewritten'", "DELETE FROM self_report_events",
                          "TRUNCATE self_report_events CASCADE"):
            with pytest.raises(DBAPIError, match="append-only"):
                with database.engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        database.dispose()
        pg_server.drop_database(url)


@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
@pytest.mark.parametrize("hold_at, first_step", [("INSERT INTO SELF_REPORTS", None), ("UPDATE SELF_REPORTS", "submit")])
def test_on_postgresql_two_who_read_the_same_report_cannot_both_write_it(travel, campaign, hold_at, first_step):
    from concurrent.futures import ThreadPoolExecutor

    from ..races import HoldAtFirstWrite, outcome
    person = travel.person()
    if first_step:
        submit(travel, person, campaign)

    def act():
        if first_step:
            return review(travel, person, campaign, "confirm")
        return submit(travel, person, campaign, zero_report=True)

    with HoldAtFirstWrite(travel.db.engine, hold_at), ThreadPoolExecutor(2) as pool:
        outcomes = [f.result(timeout=120) for f in [pool.submit(outcome, act) for _ in range(2)]]
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "ReportResult"], outcomes
    assert len(show(travel, person, campaign)["history"]) == (2 if first_step else 1)


def test_a_number_typed_loosely_is_stored_as_the_registry_folds_it(travel, campaign):
    person = travel.person()
    submit(travel, person, campaign, documents=(DocumentLine("passport_private", " ｅ1234 5678", date(2029, 4, 30)),))
    assert show(travel, person, campaign)["submissions"][0]["documents"][0]["number"] == "E12345678"
