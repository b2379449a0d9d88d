"""证件管理 · 自查自报, 问题, 表格 over HTTP: a campaign's progress by unit and its reports in words; the problems
list with its filters and a problem handled with measures or dismissed through the same service as `problem
handle|dismiss` (refusals beside the form, a stale version a conflict keeping the typing); the forms page and
its downloads; scope: a campaign or problem outside the subtree is an unknown one."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services.travel import problems as problem_services
from lostcontact.services.travel import self_reports
from lostcontact.uow import UnitOfWork
from models import Problem
from tests.web.travel.conftest import TODAY, in_world, section


def build_campaign(travel) -> int:
    """C1's campaign due at the end of May: 周九 (B1) confirmed, 李四 (B2) submitted, 王五 (B1) owes."""
    campaign = self_reports.open_campaign(travel.db, "2024年自查自报", org_code="C1", trips_since=date(2016, 1, 1),
                                          documents_expired_since=date(2018, 1, 1), due_on=date(2024, 5, 31),
                                          actor_login="cadre1", today=TODAY, at=date(2024, 5, 6))
    travel.person("王五", org="B1")
    li, zhou = travel.person("李四", org="B2"), travel.person("周九", org="B1")
    for person in (li, zhou):
        self_reports.submit_report(travel.db, person, campaign, zero_report=True, pledge_signed=True,
                                   actor_login="cadre1", today=TODAY, at=date(2024, 5, 20))
    self_reports.review_report(travel.db, zhou, campaign, "confirm", actor_login="cadre1", today=TODAY,
                               at=date(2024, 5, 30))
    return campaign


def build_problem(travel) -> int:
    wang = travel.person("王五", registered_on=date(2024, 2, 1))
    return problem_services.record_problem(travel.db, wang, "Q1", evidence="持伪造证件出境", actor_login="liaison1",
                                           today=TODAY, at=date(2024, 6, 1))


@pytest.fixture
def campaign(built) -> int:
    return built


@pytest.fixture
def problem(built) -> int:
    return built


def status_of(travel, problem_id: int) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Problem.status).where(Problem.id == problem_id))


@pytest.mark.reads_only
@in_world(build_campaign)
def test_a_campaigns_progress_by_unit_and_its_reports(browser_as, campaign):
    cadre = browser_as("cadre1")
    assert "2024年自查自报" in cadre.client.get("/travel/self-reports").text
    html = cadre.client.get(f"/travel/self-reports/{campaign}").text
    units = section(html, "status-by-unit")
    assert "第一党支部" in units and "第二党支部" in units and "合计" in units
    reports = section(html, "reports")
    assert "王五" in reports and "待报" in reports and "已审核确认" in reports and "赵干部" in reports
    assert "逾期" in reports
    owed = section(cadre.client.get(f"/travel/self-reports/{campaign}?status=owed").text, "reports")
    assert "王五" in owed and "周九" not in owed


@pytest.mark.reads_only
@in_world(build_campaign)
def test_a_campaign_outside_the_subtree_is_unknown(browser_as, campaign):
    other = browser_as("cadre2")
    assert 'data-testid="no-campaigns"' in other.client.get("/travel/self-reports").text
    response = other.client.get(f"/travel/self-reports/{campaign}")
    assert response.status_code == 404 and f"未知自查自报活动 {campaign}" in response.text


@pytest.mark.reads_only
@in_world(build_problem)
def test_the_problems_list_filters_by_kind_and_status(browser_as, problem):
    cadre = browser_as("cadre1")
    listing = cadre.client.get("/travel/problems?kind=Q1").text.split('data-testid="problems"', 1)[1]
    assert "王五" in listing and "弄虚作假" in listing and "已发现" in listing
    assert 'data-testid="no-problems"' in cadre.client.get("/travel/problems?status=handled").text
    assert cadre.client.get("/travel/problems?kind=Z9").status_code == 400


@in_world(build_problem)
def test_a_cadre_supervisor_verifies_then_handles_a_problem_with_measures(browser_as, travel, problem):
    cadre = browser_as("cadre1")
    path = f"/travel/problems/{problem}"
    assert 'data-testid="problem-handle"' not in cadre.client.get(path).text  # verified first
    assert cadre.post_form(f"{path}/fire", {"trigger": "verify", "version": "1"}, token_from=path).status_code == 303
    refused = cadre.post_form(f"{path}/fire", {"trigger": "handle", "version": "2"}, token_from=path)
    assert refused.status_code == 400 and "处理须至少选择一种处理方式" in section(refused.text, "problem-actions")
    assert status_of(travel, problem) == "verifying"
    done = cadre.client.post(f"{path}/fire", data={"csrf_token": cadre.csrf(path), "trigger": "handle", "version": "2",
                                                   "measure": ["admonition", "transfer"], "self_corrected": "no"})
    assert done.status_code == 303
    html = cadre.client.get(path).text
    assert "问题状态：已处理" in html and "诫勉谈话、调离岗位" in section(html, "problem-record")
    assert "赵干部" in section(html, "problem-history") and status_of(travel, problem) == "handled"


@in_world(build_problem)
def test_a_stale_dismissal_is_a_conflict_that_keeps_the_reason(browser_as, travel, problem):
    cadre = browser_as("cadre1")
    path = f"/travel/problems/{problem}"
    cadre.post_form(f"{path}/fire", {"trigger": "verify", "version": "1"}, token_from=path)
    response = cadre.post_form(f"{path}/fire", {"trigger": "dismiss", "version": "1", "note": "经核实系误报"},
                               token_from=path)
    assert response.status_code == 409
    dismiss = response.text.split('data-testid="problem-dismiss"', 1)[1].split("</details>", 1)[0]
    assert "操作冲突" in dismiss and "经核实系误报" in dismiss and status_of(travel, problem) == "verifying"


@pytest.mark.reads_only
@in_world(build_problem)
def test_a_problem_outside_the_subtree_is_unknown_and_a_reader_gets_no_form(browser_as, travel, problem):
    other = browser_as("cadre2")
    outside, unknown = other.client.get(f"/travel/problems/{problem}"), other.client.get("/travel/problems/9999")
    assert outside.status_code == unknown.status_code == 404
    assert f"未知问题编号 {problem}（或不在您的管理范围内）" in outside.text and "王五" not in outside.text
    posted = other.post_form(f"/travel/problems/{problem}/fire", {"trigger": "dismiss", "note": "x"})
    assert posted.status_code == 404 and status_of(travel, problem) == "found"
    assert 'data-testid="problem-actions"' not in browser_as("discipline1").client.get(
        f"/travel/problems/{problem}").text


def test_the_forms_page_links_the_management_form_in_three_formats(browser_as, travel):
    travel.person("王五", registered_on=date(2024, 2, 1))
    cadre = browser_as("cadre1")
    assert 'data-testid="form-management-xlsx"' in cadre.client.get("/travel/forms").text
    html = cadre.client.get("/travel/forms/management?format=html")
    assert html.status_code == 200 and "干部因私出国（境）管理工作有关情况统计表" in html.text and "打印" in html.text
    xlsx = cadre.client.get("/travel/forms/management?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert cadre.client.get("/travel/forms/nonsense").status_code == 404
    assert browser_as("officer1").client.get("/travel/forms/management").status_code == 404


@pytest.mark.reads_only
def test_the_pdf_download_is_a_pdf_and_the_liaison_gets_the_form_too(browser_as, travel):
    pdf = browser_as("cadre1").client.get("/travel/forms/management?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert pdf.headers["content-type"] == "application/pdf"
    assert browser_as("liaison1").client.get("/travel/forms/management?format=html").status_code == 200
