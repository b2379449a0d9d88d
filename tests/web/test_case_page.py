"""案件详情: only the actions I may take now, refusals in Chinese next to the form, conflicts reload."""
from __future__ import annotations

import re
from datetime import date

import pytest

from lostcontact.queries.cases import show_case
from lostcontact.services.cases import fire
from tests.lifecycle.driver import CaseDriver
from tests.web.conftest import TODAY


def offered(html: str) -> set[str]:
    return set(re.findall(r'data-testid="action-([a-z_]+)"', html))


def version_of(world, case_id) -> int:
    return show_case(world.db, case_id, today=TODAY)["version"]


@pytest.mark.parametrize("user,actions", [
    ("officer1", {"start_search", "confirm_death"}),
    ("reviewer1", {"confirm_death", "record_expulsion", "void"}),
    ("upper1", set()),
    ("supervisor1", set()),
    ("admin1", set()),
])
def test_a_new_case_offers_each_user_only_the_triggers_of_their_role(browser_as, b1_case, user, actions):
    html = browser_as(user).client.get(f"/cases/{b1_case}").text
    assert offered(html) == actions
    assert ('data-testid="no-actions"' in html) is (not actions)


def test_while_searching_the_officer_may_log_attempts_with_channels_grouped_by_tier(world, browser_as, b1_case):
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    html = browser_as("officer1").client.get(f"/cases/{b1_case}").text
    assert offered(html) == {"log", "reach", "exhaust", "confirm_death"}
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    assert groups == ["直接联系", "知情人", "12371热线", "部门信息比对", "接收单位"]
    assert 'value="household_registry"' in html.split('label="部门信息比对"')[1].split("</optgroup>")[0]


def test_a_logged_attempt_appears_in_the_timeline_between_the_steps(world, browser_as, b1_case):
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    response = officer.post_form(f"/cases/{b1_case}/log", {"channel": "relatives", "outcome": "lead",
                                                           "note": "其兄称其在外省务工", "witness": "张大"},
                                 token_from=f"/cases/{b1_case}")
    assert response.status_code == 303
    page = officer.client.get(f"/cases/{b1_case}").text
    assert "已记录查找情况" in page
    timeline = page.split('data-testid="timeline"')[1]
    assert timeline.index("开始查找") < timeline.index("亲属：获得线索") and "证明人：张大" in timeline


def test_a_refused_action_says_why_in_chinese_next_to_its_form_and_changes_nothing(world, browser_as, b1_case):
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    response = officer.post_form(f"/cases/{b1_case}/fire",
                                 {"trigger": "exhaust", "version": version_of(world, b1_case), "cause": "1",
                                  "opinion": "多方查找无果"}, token_from=f"/cases/{b1_case}")
    assert response.status_code == 403
    form = response.text.split('data-testid="action-exhaust"')[1].split("</details>")[0]
    assert "查找未穷尽：缺少直接联系、知情人、部门信息比对渠道的查找记录" in form
    assert "多方查找无果" in form  # what was typed is still there
    assert show_case(world.db, b1_case, today=TODAY)["state"] == "searching"


def test_a_stale_form_is_a_conflict_and_the_page_is_drawn_in_its_new_state(world, browser_as, b1_case):
    officer = browser_as("officer1")
    stale_version = version_of(world, b1_case)
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)  # someone else, first
    response = officer.post_form(f"/cases/{b1_case}/fire", {"trigger": "start_search", "version": stale_version},
                                 token_from=f"/cases/{b1_case}")
    assert response.status_code == 409
    assert 'data-testid="conflict"' in response.text and "其他用户已先办理" in response.text
    assert 'data-state="searching"' in response.text
    assert "data-testid=\"conflict\"" not in officer.client.get(f"/cases/{b1_case}").text  # shown once


def _to_branch_proposal(world, id_number, *, reached: bool) -> int:
    case = CaseDriver(world.db, id_number, today=TODAY)
    case.to_proposal(reached=reached)
    return case.case_id


@pytest.mark.parametrize("standing,reached,abroad,expected", [
    ("full", False, False, {"removal_self_withdrawal", "suspend_unreachable"}),
    ("full", False, True, {"removal_self_withdrawal", "suspend_unreachable", "suspend_abroad_unreachable"}),
    ("probationary", False, False, {"annul_probationary"}),
    ("probationary", True, False, {"normal_management", "non_recognition", "annul_probationary"}),
])
def test_submit_offers_only_the_dispositions_that_apply_to_the_member(world, browser_as, standing, reached, abroad,
                                                                      expected):
    id_number = world.add_member("党员甲", branch="B1", standing=standing, abroad=abroad,
                                 last_contact=date(2015, 8, 31))
    case_id = _to_branch_proposal(world, id_number, reached=reached)
    html = browser_as("officer1").client.get(f"/cases/{case_id}").text
    select = html.split('name="disposition"')[1].split("</select>")[0]
    assert set(re.findall(r'<option value="([a-z_]+)"', select)) == expected
    assert "expelled" not in select  # recorded by the discipline organ, never submitted


def test_the_meeting_form_records_the_vote_and_a_failing_vote_is_refused_with_its_numbers(world, browser_as):
    id_number = world.add_member("党员乙", branch="B1", last_contact=date(2015, 8, 31))
    case_id = _to_branch_proposal(world, id_number, reached=False)
    fire(world.db, case_id, "submit", actor_login="officer1", today=TODAY, disposition="suspend_unreachable")
    fire(world.db, case_id, "agree", actor_login="reviewer1", today=TODAY)
    officer = browser_as("officer1")
    meeting = {"meeting_date": TODAY.isoformat(), "meeting_entitled": "20", "meeting_present": "15",
               "meeting_for": "10", "meeting_against": "3", "meeting_abstain": "2"}
    refused = officer.post_form(f"/cases/{case_id}/fire",
                                {"trigger": "resolve", "version": version_of(world, case_id), **meeting},
                                token_from=f"/cases/{case_id}")
    assert refused.status_code == 403 and "表决未通过（应到正式党员 20 人，赞成 10 人" in refused.text
    too_many = officer.post_form(f"/cases/{case_id}/fire",
                                 {"trigger": "resolve", "version": version_of(world, case_id),
                                  **meeting, "meeting_present": "25"}, token_from=f"/cases/{case_id}")
    assert too_many.status_code == 400 and "实到人数 25 超过应到人数 20" in too_many.text
    done = officer.post_form(f"/cases/{case_id}/fire",
                             {"trigger": "resolve", "version": version_of(world, case_id), **meeting,
                              "meeting_for": "11", "meeting_against": "2"}, token_from=f"/cases/{case_id}")
    assert done.status_code == 303
    assert show_case(world.db, case_id, today=TODAY)["state"] == "final_approval"


def test_a_required_opinion_left_empty_is_a_usage_error_in_chinese(world, browser_as, b1_case):
    response = browser_as("reviewer1").post_form(
        f"/cases/{b1_case}/fire", {"trigger": "void", "version": version_of(world, b1_case), "opinion": " "},
        token_from=f"/cases/{b1_case}")
    assert response.status_code == 400 and "“撤销”须填写意见" in response.text


def test_an_unknown_case_is_a_404_page_in_chinese(browser_as):
    response = browser_as("officer1").client.get("/cases/999999")
    assert response.status_code == 404 and "未知案件编号 999999" in response.text
