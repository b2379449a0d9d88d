"""我的待办 and 超期预警: what waits on whom, in what order, with which light; counts by org with drill-down."""
from __future__ import annotations

import re
from datetime import date

import pytest

from lostcontact.services.cases import fire, open_case
from tests.web.conftest import TODAY

# Opened on → the lost_contact step (5 working days) is due on → its light on 2016-06-20
# (reminder 3 working days before due, escalated 5 working days after; 2016-06-09/10 are the Dragon Boat
# holiday and Sunday 06-12 a make-up working day).
OPENINGS = [
    ("赵一", "B1", date(2016, 3, 1), "escalated"),   # due 03-08
    ("钱二", "B1", date(2016, 6, 8), "red"),         # due 06-16: 2 working days overdue
    ("孙三", "B1", date(2016, 6, 15), "yellow"),     # due 06-22
    ("李四", "B1", TODAY, "green"),                  # due 06-27
    ("周五", "B2", date(2016, 3, 1), "escalated"),
    ("吴六", "B3", date(2016, 3, 1), "escalated"),
]


@pytest.fixture
def opened(world):
    ids = {}
    for serial, (name, branch, day, _light) in enumerate(OPENINGS, start=50):
        id_number = world.add_member(name, branch=branch, last_contact=date(2015, 8, 20), serial=serial)
        officer = {"B1": "officer1", "B2": "officer2", "B3": "officer3"}[branch]
        ids[name] = open_case(world.db, id_number, actor_login=officer, today=TODAY, at=day)
    return ids


def rows(html: str, testid: str) -> list[str]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    return re.findall(r"<tr class=\"row-[a-z]+\">(.*?)</tr>", table, re.S)


def test_the_work_queue_lists_my_cases_most_urgent_first_with_their_light_and_days(browser_as, opened):
    html = browser_as("officer1").client.get("/queue").text
    listed = rows(html, "queue")
    names = [next(n for n, *_ in OPENINGS if n in row) for row in listed]
    assert names == ["赵一", "钱二", "孙三", "李四"]  # B1 only, by due date
    lights = [re.search(r'data-light="([a-z]+)"', row).group(1) for row in listed]
    assert lights == ["escalated", "red", "yellow", "green"]
    assert "超期 4 天" in listed[1] and "剩 2 天" in listed[2] and "剩 7 天" in listed[3]
    for light, count in (("escalated", 1), ("red", 1), ("yellow", 1), ("green", 1)):
        assert f'data-testid="count-{light}">{count}<' in html


def test_the_queue_filters_by_state_and_branch(world, browser_as, opened):
    fire(world.db, opened["李四"], "start_search", actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    searching = rows(officer.client.get("/queue", params={"state": "searching"}).text, "queue")
    assert len(searching) == 1 and "李四" in searching[0]
    upper = browser_as("upper1").client.get("/queue").text
    assert 'data-testid="queue-empty"' in upper  # nothing is at an upper step yet
    reviewer = browser_as("reviewer1")
    assert 'data-testid="queue-empty"' in reviewer.client.get("/queue").text


def test_a_case_waits_on_the_reviewer_only_at_the_reviewers_steps_and_branch_filter_narrows(world, browser_as,
                                                                                              opened):
    from lostcontact.services.cases import log_search
    case_id = opened["李四"]
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY)
    log_search(world.db, case_id, channel="phone", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, case_id, "reach", actor_login="officer1", today=TODAY, cause=1)
    fire(world.db, case_id, "propose", actor_login="officer1", today=TODAY, opinion="无违纪")
    fire(world.db, case_id, "submit", actor_login="officer1", today=TODAY, disposition="normal_management")
    reviewer = browser_as("reviewer1")
    queued = rows(reviewer.client.get("/queue").text, "queue")
    assert len(queued) == 1 and "李四" in queued[0] and "基层党委预审意见" in queued[0]
    assert rows(reviewer.client.get("/queue", params={"branch": "B1"}).text, "queue") == queued
    assert 'data-testid="queue-empty"' in reviewer.client.get("/queue", params={"branch": "GB1"}).text
    assert 'data-testid="queue-empty"' in browser_as("reviewer2").client.get("/queue").text
    assert browser_as("officer3").client.get("/queue", params={"branch": "B1"}).status_code == 403


def test_a_supervisor_is_told_their_role_handles_no_step(browser_as, opened):
    html = browser_as("supervisor1").client.get("/queue").text
    assert "您的角色不办理案件环节" in html


def test_the_dashboard_counts_open_cases_by_child_org_and_drills_down(browser_as, opened):
    upper = browser_as("upper1")
    html = upper.client.get("/alerts").text
    by_org = html.split('data-testid="by-org"')[1].split("</table>")[0]
    c1 = by_org.split("C1 区直机关党委")[1].split("</tr>")[0]
    c2 = by_org.split("C2 街道党委")[1].split("</tr>")[0]
    assert re.findall(r'class="num">(\d+)<', c1) == ["5", "1", "1", "2"]  # open, yellow, red, escalated
    assert re.findall(r'class="num">(\d+)<', c2) == ["1", "0", "0", "1"]
    assert 'data-testid="open-total">6<' in html
    chart = html.split('<svg class="chart"')[1].split("</svg>")[0]
    assert re.findall(r'<rect [^>]*class="light-([a-z]+)"><title>([^<]+)</title>', chart) == [
        ("red", "已超期：1"), ("escalated", "升级督办：2"), ("escalated", "升级督办：1")]  # C1's bar, then C2's
    drilled = upper.client.get("/alerts", params={"org": "C1"}).text
    assert "B1 第一党支部" in drilled and "GB1 机关党总支" in drilled
    assert 'data-testid="open-total">5<' in drilled


def test_the_overdue_list_holds_the_overdue_and_escalated_cases_and_sorts(browser_as, opened):
    upper = browser_as("upper1")
    by_due = rows(upper.client.get("/alerts").text, "overdue-cases")
    assert len(by_due) == 4 and "钱二" in by_due[-1]  # red: the least overdue of the four
    by_branch = rows(upper.client.get("/alerts", params={"sort": "branch", "dir": "desc"}).text, "overdue-cases")
    branches = [re.search(r"(第一党支部|第二党支部|社区党支部)", row).group(1) for row in by_branch]
    assert branches == ["社区党支部", "第二党支部", "第一党支部", "第一党支部"]


def test_a_branch_officer_sees_only_their_own_branch_on_the_dashboard(browser_as, opened):
    officer = browser_as("officer3")
    html = officer.client.get("/alerts").text
    assert "吴六" in html and "赵一" not in html
    assert officer.client.get("/alerts", params={"org": "C1"}).status_code == 403


def test_the_queue_statement_built_once_answers_each_user_day_and_filter_with_their_own(world, opened):
    """我的待办's statements are built once per shape and reused (lostcontact.queries.worklist): each call
    still sees its own actor's branches, its own day's lights and its own filters."""
    from datetime import timedelta

    from lostcontact.queries.worklist import work_queue

    def names(queue) -> list[str]:
        return [row.member_name for row in queue.rows]

    first = work_queue(world.db, actor_login="officer1", today=TODAY)
    assert names(first) == ["赵一", "钱二", "孙三", "李四"] and first.by_light["yellow"] == 1
    assert names(work_queue(world.db, actor_login="officer2", today=TODAY)) == ["周五"]
    assert names(work_queue(world.db, actor_login="officer3", today=TODAY)) == ["吴六"]
    later = work_queue(world.db, actor_login="officer1", today=TODAY + timedelta(days=10))
    assert later.by_light["yellow"] == 0 and later.by_light["green"] == 0  # 孙三 and 李四 overdue by then
    assert names(work_queue(world.db, actor_login="officer1", today=TODAY, limit=2)) == ["赵一", "钱二"]
    fire(world.db, opened["李四"], "start_search", actor_login="officer1", today=TODAY)
    assert names(work_queue(world.db, actor_login="officer1", today=TODAY, state="searching")) == ["李四"]
    assert names(work_queue(world.db, actor_login="officer1", today=TODAY, branch_code="B1")) == names(first)
    assert names(work_queue(world.db, actor_login="officer1", today=TODAY)) == names(first)  # no filter left over
