"""超期预警's alert list as the people on the card read it: each row names the member (to users whose subtree
holds them) and links to the member and the case, names orgs, says the rule in words and shows its own
light; it filters, pages and exports; the whole page can be seen as of a past day; nothing crosses a subtree."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from lostcontact.orgtree import org_by_code
from lostcontact.queries import alerts as alert_queries
from lostcontact.uow import UnitOfWork
from lostcontact.web.pages import alerts as alerts_page
from models import Member
from tests.web.conftest import TODAY, without_token
from workflows.orchestration import run_in_process

EARLY = date(2016, 3, 2)


@pytest.fixture
def world_built_with():
    """Every test starts from the world `with_alerts` builds, built and swept once a session and copied."""
    return with_alerts


@pytest.fixture
def swept(world):
    return world


def with_alerts(world) -> None:
    """Three members lost since August (cases opened on 2 March, long overdue by June), two at five months
    without contact (one with a name a spreadsheet would take for a formula), a mobile member away and
    unreported; swept on 2 March and today."""
    for serial, (name, branch, last) in enumerate([("赵一", "B1", date(2015, 8, 20)), ("钱二", "B2", date(2015, 8, 25)),
                                                   ("孙三", "B3", date(2015, 8, 28))], start=101):
        world.add_member(name, branch=branch, last_contact=last, serial=serial)
    run_in_process(world.db, EARLY)
    world.add_member("周五", branch="B1", last_contact=date(2016, 1, 10), serial=201)
    world.add_member("=HYPERLINK(1)", branch="B1", last_contact=date(2016, 1, 12), serial=202)
    world.add_member("吴七", branch="B3", last_contact=date(2016, 5, 1), mobile=True, away_since=date(2016, 5, 2),
                     serial=203)
    run_in_process(world.db, TODAY)


def member_id(world, name: str) -> int:
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(Member.id).where(Member.name == name))


def alert_table(html: str) -> str:
    """The list's table (empty when no alert matches), without the filter form's option words."""
    return html.split('data-testid="alerts"')[1].split("</table>")[0] if 'data-testid="alerts"' in html else ""


def alert_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="alert-row".*?</tr>', alert_table(html), re.S)


def alert_section(html: str) -> str:
    return html.split('aria-labelledby="alerts-h"')[1].split("</section>")[0]


@pytest.mark.reads_only
def test_a_reviewer_reads_the_members_name_linked_to_the_member_and_the_case(swept, browser_as):
    html = browser_as("reviewer1").client.get("/alerts").text
    zhao = [row for row in alert_rows(html) if "赵一" in row]
    assert zhao, "the B1 member's case alerts name the member"
    case_link = re.search(r'href="/cases/(\d+)"', zhao[0]).group(1)
    assert f'href="/members/{member_id(swept, "赵一")}"' in zhao[0] and f"案件 {case_link}" in zhao[0]
    warned = [row for row in alert_rows(html) if "周五" in row]
    assert len(warned) == 1 and "五个月预警" in warned[0] and f'href="/members/{member_id(swept, "周五")}"' in warned[0]


@pytest.mark.reads_only
def test_rules_read_as_words_and_orgs_by_name_never_as_rule_ids(swept, browser_as):
    html = browser_as("upper1").client.get("/alerts").text
    section, table = alert_section(html), alert_table(html)
    for words in ("环节期限", "五个月预警", "流动党员失控"):
        assert words in table
    assert not re.search(r">\s*(R\d+|calendar)\s*<", section) and "（R" not in section
    assert "第一党支部 <small class=\"muted\">B1</small>" in section  # the recipient by name, code small


@pytest.mark.reads_only
def test_each_row_shows_the_light_of_its_own_level(swept, browser_as):
    rows = alert_rows(browser_as("upper1").client.get("/alerts").text)
    zhao = {re.search(r'data-light="(\w+)"', row).group(1): row for row in rows if "赵一" in row and "环节期限" in row}
    assert set(zhao) == {"yellow", "red", "escalated"}  # one case, three open levels, three lights
    assert "提醒" in zhao["yellow"] and "超期" in zhao["red"] and "升级督办" in zhao["escalated"]


@pytest.mark.reads_only
def test_filters_narrow_the_list_by_rule_level_org_and_raised_day(swept, browser_as):
    client = browser_as("upper1").client
    by_rule = alert_rows(client.get("/alerts", params={"rule": "R2"}).text)
    assert len(by_rule) == 2 and all('data-rule="R2"' in row for row in by_rule)
    escalated = alert_rows(client.get("/alerts", params={"level": "escalated"}).text)
    assert escalated and all('data-light="escalated"' in row for row in escalated)
    in_c2 = client.get("/alerts", params={"org": "C2"}).text
    assert all("街道党委" in row or "社区党支部" in row for row in alert_rows(in_c2))
    assert "吴七" in alert_table(in_c2) and "赵一" not in alert_table(in_c2)
    raised_before_today = client.get("/alerts", params={"raised_from": "2016-03-01", "raised_to": "2016-06-19"}).text
    assert 'data-testid="no-alerts"' in raised_before_today  # the March sweep raised nothing yet
    assert len(alert_rows(client.get("/alerts", params={"raised_from": "2016-06-20"}).text)) == int(
        re.search(r'data-testid="alert-total">(\d+) 条', client.get("/alerts").text).group(1))
    refused = client.get("/alerts", params={"rule": "R99"})
    assert refused.status_code == 400 and "未知的预警类别" in refused.text


@pytest.mark.reads_only
def test_the_list_is_paged(swept, browser_as, monkeypatch):
    monkeypatch.setattr(alerts_page, "ALERTS_PER_PAGE", 4)
    client = browser_as("upper1").client
    first = client.get("/alerts").text
    total = int(re.search(r'data-testid="alert-total">(\d+) 条', first).group(1))
    pages = -(-total // 4)
    assert total > 8 and f"第 1 / {pages} 页" in first and len(alert_rows(first)) == 4
    seen = []
    for number in range(1, pages + 1):
        seen += alert_rows(client.get("/alerts", params={"page": number}).text)
    assert len(seen) == total and len(set(seen)) == total  # every alert once, none twice


@pytest.mark.reads_only
def test_a_large_subtree_walks_the_alerts_and_lists_the_same_rows_as_one_read_org_by_org(swept, monkeypatch):
    def listing(**kwargs) -> list[tuple]:
        return [[(a.id, a.level, a.due_on) for a in alert_queries.list_alerts(
            swept.db, today=TODAY, actor_login="upper1", page=page, per_page=3, **kwargs).rows]
            for page in range(1, 6)]
    kinds = ({}, {"as_of": date(2016, 6, 1)}, {"filters": alert_queries.AlertFilter(rule="R5", level="overdue")})
    org_by_org = [listing(**kwargs) for kwargs in kinds]
    monkeypatch.setattr(alert_queries, "NARROW_SCOPE_ORGS", 0)  # every subtree counts as large
    walked = [listing(**kwargs) for kwargs in kinds]
    assert walked == org_by_org and sum(map(len, org_by_org[0])) > 8
    severity = [alert_queries.SEVERITY[level] for page in walked[0] for _id, level, _due in page]
    assert severity == sorted(severity, reverse=True)  # most severe first


@pytest.mark.reads_only
def test_past_the_cap_the_total_reads_as_more_than_it_and_the_pages_stop_there(swept, browser_as, monkeypatch):
    monkeypatch.setattr(alert_queries, "COUNT_CAP", 5)
    monkeypatch.setattr(alerts_page, "ALERTS_PER_PAGE", 2)
    html = browser_as("upper1").client.get("/alerts").text
    assert 'data-testid="alert-total">5+ 条' in html and "第 1 / 3 页" in html


@pytest.mark.reads_only
def test_the_export_holds_the_filtered_list_with_names_masked_ids_and_no_live_formulas(swept, browser_as):
    client = browser_as("reviewer1").client
    html = client.get("/alerts", params={"rule": "R2"}).text
    href = re.search(r'href="([^"]+)" data-testid="alert-export"', html).group(1).replace("&amp;", "&")
    response = client.get(href)
    assert response.status_code == 200 and "spreadsheetml" in response.headers["content-type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(r[4] for r in rows) == ["'=HYPERLINK(1)", "周五"]  # the formula-like name neutralised
    assert {r[1] for r in rows} == {"五个月预警"} and {r[7] for r in rows} == {"第一党支部"}
    assert all(re.fullmatch(r"410402\*{8}\w{4}", r[5]) for r in rows)


@pytest.mark.reads_only
def test_the_page_shows_a_past_day_when_asked(swept, browser_as):
    client = browser_as("upper1").client
    today = client.get("/alerts").text
    assert int(re.search(r'data-testid="open-total">(\d+)<', today).group(1)) == 3
    assert 'data-testid="overdue-cases"' in today
    early = client.get("/alerts", params={"as_of": "2016-03-02"}).text
    assert "截至 2016-03-02" in early and 'value="2016-03-02"' in early  # the day shown, in the date picker
    assert 'data-testid="no-overdue"' in early  # opened that day: nothing overdue yet
    assert int(re.search(r'data-testid="open-total">(\d+)<', early).group(1)) == 3
    escalated = r'data-testid="total-escalated">(\d+)<'
    assert re.search(escalated, early).group(1) == "0" and re.search(escalated, today).group(1) == "3"
    assert 'data-testid="no-alerts"' in early and alert_rows(today)  # nothing had been raised by 2 March
    assert "as_of=2016-03-02" in early.split('data-testid="by-org"')[1]  # drilling down keeps the day


@pytest.mark.reads_only
@pytest.mark.parametrize("value, words", [("2016-13-01", "不是有效日期"), ("yesterday", "不是有效日期"),
                                           ("2016-06-21", "晚于今天")])
def test_a_bad_day_is_a_clear_400_in_chinese(swept, browser_as, value, words):
    response = browser_as("upper1").client.get("/alerts", params={"as_of": value})
    assert response.status_code == 400 and words in response.text


def test_no_alert_of_another_subtree_and_no_name_out_of_scope(swept, browser_as):
    officer3 = browser_as("officer3").client.get("/alerts").text
    section = alert_section(officer3)
    assert "孙三" in section and "吴七" in section
    assert not any(name in section for name in ("赵一", "钱二", "周五", "第一党支部", "第二党支部"))
    # 周五 moves to B3: the warning B1 received stays B1's, but B1 no longer sees whose it is
    with UnitOfWork(swept.db) as uow:
        b3 = org_by_code(uow.session, "B3").id
        uow.session.execute(update(Member).where(Member.name == "周五").values(branch_id=b3))
        uow.commit()
    officer1 = alert_section(browser_as("officer1").client.get("/alerts").text)
    assert "五个月预警" in officer1 and "周五" not in officer1
    assert f'/members/{member_id(swept, "周五")}"' not in officer1


@pytest.mark.reads_only
def test_the_json_keeps_english_ids_and_adds_names(swept, api_token, app):
    from fastapi.testclient import TestClient
    rows = TestClient(app).get("/api/alerts", headers=api_token("reviewer1")).json()
    warned = [r for r in rows if r["rule"] == "R2"]
    assert {r["member_name"] for r in warned} == {"周五", "=HYPERLINK(1)"}
    assert {(r["org"], r["org_name"], r["level"]) for r in warned} == {("B1", "第一党支部", "reminder")}
    assert all(re.fullmatch(r"410402\*{8}\w{4}", r["subject_id"]) for r in warned)


@pytest.mark.reads_only
def test_an_org_outside_my_subtree_is_answered_as_an_unknown_one(swept, browser_as):
    client = browser_as("officer3").client
    for path in ("/alerts", "/alerts/export.xlsx"):
        elsewhere, unknown = client.get(path, params={"org": "C1"}), client.get(path, params={"org": "NOPE"})
        assert elsewhere.status_code == unknown.status_code == 403
        assert without_token(elsewhere.text).replace("C1", "NOPE") == without_token(unknown.text)


@pytest.mark.reads_only
def test_the_statements_built_once_answer_each_user_day_and_filter_with_their_own(swept):
    """The list's statements are built once per shape and reused (queries.alerts._statements): each call still
    reads its own user's subtrees, its own day and its own filter values."""
    def ids(login: str, **kwargs) -> list[int]:
        return [a.id for a in alert_queries.iter_alerts(swept.db, today=TODAY, actor_login=login, **kwargs)]

    everything = ids("upper1")
    by_rule = {rule: ids("upper1", filters=alert_queries.AlertFilter(rule=rule)) for rule in ("R2", "R5")}
    assert all(by_rule.values()) and set(by_rule["R2"]).isdisjoint(by_rule["R5"])
    assert set(by_rule["R2"]) | set(by_rule["R5"]) <= set(everything)
    assert ids("upper1", as_of=EARLY) == [] and set(ids("officer3")) < set(everything)
    assert ids("upper1") == everything  # nothing left over from the calls between
    assert alert_queries._statements.cache_info().hits > 0
