"""自查自报 typed in the browser: a cadre supervisor opens a campaign; the unit records a person's paper report
(documents, trips, or a zero report, and the pledge) which is then frozen as submitted; the 审核人 confirms it or
returns it with the reason and the unit submits again; the campaign page counts who has not reported and the
alerts they raise. Every refusal names the field, keeps what was typed and writes nothing; a stale version is a
conflict; a person or campaign outside the subtree is the same 404 as an unknown one; numbers are masked for
whoever may not see them in full."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.policies import policy_as_of
from lostcontact.services.sweep.self_report_alerts import self_report_alerts
from lostcontact.services.travel import self_reports
from lostcontact.uow import UnitOfWork
from models import Person, SelfReport, SelfReportCampaign, SelfReportDocument
from tests.web.travel.conftest import TODAY, section

OPENING = {"name": "2024年自查自报", "org": "C1", "trips_since": "2016-01-01",
           "documents_expired_since": "2018-01-01", "due_on": "2024-07-31"}


@pytest.fixture
def campaign(travel) -> int:
    return self_reports.open_campaign(travel.db, "2024年自查自报", org_code="C1", trips_since=date(2016, 1, 1),
                                      documents_expired_since=date(2018, 1, 1), due_on=date(2024, 6, 20),
                                      actor_login="cadre1", today=TODAY, at=date(2024, 6, 1))


@pytest.fixture
def wang(travel) -> str:
    number = travel.person("王五", registered_on=date(2024, 2, 1))
    travel.document(number, number="E12345678")
    return number


def person_id(travel, number: str) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == number))


def count(travel, table) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(table))


def report_state(travel, number: str) -> str | None:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(SelfReport.state).join(Person, Person.id == SelfReport.person_id)
                                  .where(Person.id_number == number))


def self_reports_query(travel, number: str, campaign: int) -> dict:
    from lostcontact.queries.travel.self_reports import show_report
    return show_report(travel.db, number, campaign, actor_login=None, today=TODAY)


def a_report(**extra) -> dict:
    """The form as the page posts it: one passport, one trip, the pledge signed."""
    return {"version": "0", "doc_rows": "2", "trip_rows": "2", "doc1_kind": "passport_private",
            "doc1_number": "E12345678", "doc1_issued_on": "2020-01-01", "doc1_expires_on": "2030-01-01",
            "doc1_kept_at": "区委组织部", "trip1_departure_on": "2019-02-10", "trip1_return_on": "2019-02-17",
            "trip1_destinations": "泰国、新加坡", "trip1_reason": "旅游", "trip1_approved": "yes",
            "pledge_signed": "on", "action": "submit", **extra}


def test_a_cadre_supervisor_opens_a_campaign_over_their_subtree(browser_as, travel):
    cadre = browser_as("cadre1")
    page = cadre.client.get("/travel/self-reports").text
    assert "发起新的自查自报活动" in section(page, "open-campaign")
    response = cadre.post_form("/travel/self-reports", OPENING, token_from="/travel/self-reports")
    assert response.status_code == 303
    html = cadre.client.get(response.headers["location"]).text
    assert "已发起自查自报活动“2024年自查自报”" in html and "2016-01-01 以来的出行" in html
    assert count(travel, SelfReportCampaign) == 1


@pytest.mark.parametrize("field, value, words", [
    ("due_on", "", "“截止日期”"), ("trips_since", "2016/01/01", "报告出行的起始日期格式应为“年-月-日”"),
    ("name", "", "“活动名称”"), ("due_on", "2024-06-01", "截止日期须不早于开始日期")])
def test_a_refused_opening_names_the_field_keeps_the_typing_and_opens_nothing(browser_as, travel, field, value, words):
    cadre = browser_as("cadre1")
    response = cadre.post_form("/travel/self-reports", {**OPENING, field: value, "name": OPENING["name"]
                                                        if field != "name" else ""},
                               token_from="/travel/self-reports")
    assert response.status_code in (400, 403) and words in section(response.text, "open-campaign")
    if field != "name":
        assert 'value="2024年自查自报"' in response.text
    assert count(travel, SelfReportCampaign) == 0


def test_an_org_outside_the_subtree_is_an_unknown_org_and_a_reader_gets_no_form(browser_as, travel):
    cadre = browser_as("cadre1")
    outside = cadre.post_form("/travel/self-reports", {**OPENING, "org": "C2"}, token_from="/travel/self-reports")
    unknown = cadre.post_form("/travel/self-reports", {**OPENING, "org": "ZZ9"}, token_from="/travel/self-reports")
    assert outside.status_code == unknown.status_code == 400
    assert "组织代码 C2 不存在或不在您的管理范围内" in outside.text and count(travel, SelfReportCampaign) == 0
    discipline = browser_as("discipline1")
    assert 'data-testid="open-campaign"' not in discipline.client.get("/travel/self-reports").text
    refused = discipline.post_form("/travel/self-reports", {**OPENING, "org": "410402"})
    assert refused.status_code == 403 and count(travel, SelfReportCampaign) == 0


def test_the_unit_records_a_report_which_is_frozen_as_submitted(browser_as, travel, campaign, wang):
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    form = section(cadre.client.get(path).text, "report-submit")
    assert 'value="E12345678"' in form  # prefilled from the registry, for the recorder to check
    response = cadre.post_form(f"{path}/submit", a_report(), token_from=path)
    assert response.status_code == 303 and report_state(travel, wang) == "submitted"
    travel.document(wang, kind="hkmo_private", number="C87654321")  # the registry changes afterwards
    html = cadre.client.get(path).text
    lines = section(html, "report-lines")
    assert "E12345678" in lines and "泰国、新加坡" in lines and "C87654321" not in lines
    assert 'data-testid="report-submit"' not in html  # submitted: nothing more to record until returned
    assert count(travel, SelfReportDocument) == 1


def test_a_reader_without_the_full_number_sees_it_masked(browser_as, travel, campaign, wang):
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    cadre.post_form(f"{path}/submit", a_report(), token_from=path)
    html = browser_as("discipline1").client.get(path).text
    assert "E12345678" not in html and wang not in html
    assert wang[:6] + "********" + wang[-4:] in html and 'data-testid="report-submit"' not in html
    assert 'data-testid="report-review"' not in html


@pytest.mark.parametrize("change, words", [
    ({"pledge_signed": ""}, "本人须在承诺栏签名"),
    ({"doc1_expires_on": "2030-13-01"}, "证件第 1 行：有效期至 应为日期"),
    ({"trip1_approved": ""}, "出国（境）第 1 行：须选择“是否经批准”"),
    ({"doc1_number": "E1"}, "证件第 1 行"),
    ({"zero_report": "on"}, "零报告不能填报证件或出国（境）情况"),
    ({"doc_rows": "99"}, "每类最多填 30 行")])
def test_a_refused_report_names_the_row_and_field_keeps_the_typing_and_writes_nothing(browser_as, travel, campaign,
                                                                                       wang, change, words):
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    response = cadre.post_form(f"{path}/submit", a_report(**change), token_from=path)
    assert response.status_code in (400, 403)  # a malformed field, or a rule of the report refusing it
    form = section(response.text, "report-submit")
    assert words in form and 'value="泰国、新加坡"' in form
    assert report_state(travel, wang) is None and count(travel, SelfReportDocument) == 0


def test_a_zero_report_and_another_row_on_request(browser_as, travel, campaign):
    li = travel.person("李四", org="B2")
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, li)}"
    more = cadre.post_form(f"{path}/submit", {"version": "0", "doc_rows": "2", "trip_rows": "2",
                                              "trip1_reason": "探亲", "action": "add_trip"}, token_from=path)
    assert more.status_code == 200 and 'data-testid="trip-row-3"' in more.text and 'value="探亲"' in more.text
    assert report_state(travel, li) is None
    done = cadre.post_form(f"{path}/submit", {"version": "0", "zero_report": "on", "pledge_signed": "on",
                                              "action": "submit"}, token_from=path)
    assert done.status_code == 303 and report_state(travel, li) == "submitted"
    assert "是" in section(cadre.client.get(path).text, "report-submission").split('data-testid="zero-report"')[1][:10]


def test_the_reviewer_returns_with_a_reason_then_confirms_the_second_submission(browser_as, travel, campaign, wang):
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    cadre.post_form(f"{path}/submit", a_report(), token_from=path)
    no_reason = cadre.post_form(f"{path}/review", {"trigger": "return", "version": "1"}, token_from=path)
    assert no_reason.status_code == 400 and "退回原因" in section(no_reason.text, "report-review")
    assert report_state(travel, wang) == "submitted"
    returned = cadre.post_form(f"{path}/review", {"trigger": "return", "version": "1", "note": "漏报一次出行"},
                               token_from=path)
    assert returned.status_code == 303 and report_state(travel, wang) == "returned"
    html = cadre.client.get(path).text
    assert "漏报一次出行" in section(html, "report-submission")
    assert 'value="泰国、新加坡"' in section(html, "report-submit")  # the last submission, to correct
    again = a_report(version="2", trip2_departure_on="2023-05-01", trip2_return_on="2023-05-05",
                     trip2_destinations="日本", trip2_reason="探亲", trip2_approved="no")
    assert cadre.post_form(f"{path}/submit", again, token_from=path).status_code == 303
    assert cadre.post_form(f"{path}/review", {"trigger": "confirm", "version": "3"}, token_from=path).status_code == 303
    html = cadre.client.get(path).text
    assert report_state(travel, wang) == "confirmed" and "日本" in section(html, "report-lines")
    assert "第 1 次报送（已退回）" in html and "赵干部" in section(html, "report-history")


def test_a_stale_confirmation_is_a_conflict(browser_as, travel, campaign, wang):
    cadre = browser_as("cadre1")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    cadre.post_form(f"{path}/submit", a_report(), token_from=path)
    stale = cadre.post_form(f"{path}/review", {"trigger": "return", "version": "0", "note": "请补充"},
                            token_from=path)
    assert stale.status_code == 409 and "操作冲突" in stale.text and "请补充" in stale.text
    assert report_state(travel, wang) == "submitted"
    stale_submit = cadre.post_form(f"{path}/submit", a_report(version="0"), token_from=path)
    assert stale_submit.status_code == 409 and count(travel, SelfReportDocument) == 1
    assert "操作冲突" in stale_submit.text.split('data-testid="report-error"', 1)[1]


def test_a_person_outside_the_subtree_is_the_same_404_as_an_unknown_one(browser_as, travel, campaign, wang):
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    other = browser_as("cadre2")
    outside, unknown = other.client.get(path), other.client.get(f"/travel/self-reports/{campaign}/persons/99999")
    assert outside.status_code == unknown.status_code == 404 and "王五" not in outside.text
    pid = person_id(travel, wang)
    assert f"未知人员编号 {pid}（或不在您的管理范围内）" in outside.text
    assert outside.text.replace(f"编号 {pid}", "编号 N") == unknown.text.replace("编号 99999", "编号 N")
    posted = other.post_form(f"{path}/submit", a_report())
    assert posted.status_code == 404 and report_state(travel, wang) is None
    assert browser_as("liaison1").client.get(path).status_code == 404  # a report is personal data


def test_the_campaign_page_shows_who_has_not_reported_and_their_alerts(browser_as, travel, campaign, wang):
    li = travel.person("李四", org="B2")
    cadre = browser_as("cadre1")
    with UnitOfWork(travel.db) as uow:
        self_report_alerts(uow.session, TODAY, policy_as_of(uow.session, TODAY), None)
        uow.commit()
    html = cadre.client.get(f"/travel/self-reports/{campaign}").text
    alerts = section(html, "campaign-alerts")
    assert "自查自报逾期未确认" in alerts and "第一党支部" in alerts and "第二党支部" in alerts
    assert f"/travel/self-reports/{campaign}/persons/{person_id(travel, li)}" in section(html, "reports")
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    cadre.post_form(f"{path}/submit", a_report(), token_from=path)
    cadre.post_form(f"{path}/review", {"trigger": "confirm", "version": "1"}, token_from=path)
    alerts = section(cadre.client.get(f"/travel/self-reports/{campaign}").text, "campaign-alerts")
    assert "第一党支部" not in alerts and "第二党支部" in alerts  # the confirmation closed 王五's


@pytest.fixture
def zhao(travel, campaign) -> str:
    """赵六, a 非公职党员 of B1 whose zero report the unit recorded: officer1 (B1's secretary) reviews it."""
    number = travel.person("赵六", rank="party_only", person_type=None)
    self_reports.submit_report(travel.db, number, campaign, zero_report=True, pledge_signed=True,
                               actor_login="cadre1", today=TODAY, at=date(2024, 6, 10))
    return number


def test_a_party_secretary_reviews_their_non_official_members_reports_in_the_browser(browser_as, travel, campaign,
                                                                                     wang, zhao):
    officer = browser_as("officer1")
    landing = officer.client.get("/travel")
    assert landing.status_code == 303 and landing.headers["location"] == "/travel/self-reports"
    assert 'data-testid="nav-travel"' in officer.client.get("/travel/self-reports").text
    listing = section(officer.client.get(f"/travel/self-reports/{campaign}").text, "reports")
    assert "赵六" in listing and "王五" not in listing  # a cadre's report is not the secretary's to read
    path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, zhao)}"
    assert 'data-testid="report-review"' in officer.client.get(path).text
    stale = officer.post_form(f"{path}/review", {"trigger": "confirm", "version": "0"}, token_from=path)
    assert stale.status_code == 409 and "操作冲突" in stale.text and report_state(travel, zhao) == "submitted"
    confirmed = officer.post_form(f"{path}/review", {"trigger": "confirm", "version": "1"}, token_from=path)
    assert confirmed.status_code == 303 and report_state(travel, zhao) == "confirmed"
    report = self_reports_query(travel, zhao, campaign)
    assert (report["reviewer"], report["reviewer_role"]) == ("officer1", "branch_officer")
    assert officer.client.get("/travel/persons").status_code == 404  # the rest of 证件管理 is not theirs


def test_a_party_secretary_reaches_no_one_else_and_a_cadre_supervisor_may_not_review_a_party_member(
        browser_as, travel, campaign, wang, zhao):
    wang_path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, wang)}"
    zhao_path = f"/travel/self-reports/{campaign}/persons/{person_id(travel, zhao)}"
    officer = browser_as("officer1")
    assert officer.client.get(wang_path).status_code == 404
    assert officer.post_form(f"{wang_path}/review", {"trigger": "confirm", "version": "0"},
                             token_from=zhao_path).status_code == 404
    assert browser_as("officer3").client.get(zhao_path).status_code == 404  # another committee's branch
    cadre = browser_as("cadre1")
    assert 'data-testid="report-review"' not in cadre.client.get(zhao_path).text
    refused = cadre.post_form(f"{zhao_path}/review", {"trigger": "confirm", "version": "1"}, token_from=zhao_path)
    assert refused.status_code == 403 and "党组织负责人" in refused.text and report_state(travel, zhao) == "submitted"
    assert 'data-testid="nav-travel"' not in browser_as("supervisor1").client.get("/queue").text
