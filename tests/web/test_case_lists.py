"""全部案件 / 已办 / 已办结 and the search, over HTTP as each user: what each list holds, each filter, sort
and page, the XLSX export, the JSON API, and the subtree a user never sees past; then where "/" lands."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from lostcontact.masking import mask_id
from lostcontact.queries import case_lists
from tests.web.case_lists_world import FORMULA_NAME, populate
from tests.web.conftest import without_token


@pytest.fixture
def world_built_with(request):
    """The cases of tests/web/case_lists_world.py, built once a session and copied, for every test that names
    `cases`."""
    return populate if "cases" in request.fixturenames else None


@pytest.fixture
def cases(world_built):
    return world_built


def listed(response) -> list[int]:
    """The case ids of a list or search page, in the order shown."""
    assert response.status_code == 200, response.text
    return [int(n) for n in re.findall(r'<a href="/cases/(\d+)" data-testid="case-link">', response.text)]


def total(response) -> str:
    return re.search(r'data-testid="list-total">([^<]+)<', response.text).group(1)


def result_part(response) -> str:
    """The search page below its heading (above it: the search box, which shows the term typed)."""
    return response.text.split("<h1>查找案件</h1>")[1]


def search(user, term: str):
    return user.post_form("/cases/search", {"q": term}, token_from="/cases")


# --- the three lists ---------------------------------------------------------------------------------------

@pytest.mark.reads_only
def test_all_cases_holds_every_case_of_my_subtree_in_any_state(browser_as, cases):
    page = browser_as("reviewer1").client.get("/cases")
    in_c1 = {cases[n] for n in ("张三", "张三丰", "王五", "赵六", FORMULA_NAME, "钱七")}
    assert set(listed(page)) == in_c1
    assert total(page) == "6"
    assert "已撤销" in page.text and "确认死亡" in page.text and "第二党支部" in page.text


@pytest.mark.reads_only
def test_a_branch_officer_sees_only_the_cases_of_the_branch(browser_as, cases):
    assert set(listed(browser_as("officer3").client.get("/cases"))) == {cases["李四"]}


@pytest.mark.reads_only
def test_mine_holds_the_cases_I_acted_on(browser_as, cases):
    assert set(listed(browser_as("officer2").client.get("/cases?view=mine"))) == {cases["钱七"]}
    assert set(listed(browser_as("reviewer1").client.get("/cases?view=mine"))) == {cases["王五"]}
    assert listed(browser_as("supervisor1").client.get("/cases?view=mine")) == []


@pytest.mark.reads_only
def test_done_holds_the_closed_deceased_and_voided_cases(browser_as, cases):
    assert set(listed(browser_as("supervisor1").client.get("/cases?view=done"))) == {cases["王五"], cases["赵六"]}


# --- filters, sort, paging ---------------------------------------------------------------------------------

@pytest.mark.reads_only
def test_each_filter_narrows_the_list(browser_as, cases):
    client = browser_as("supervisor1").client
    assert set(listed(client.get("/cases?state=committee_prereview"))) == {cases["张三丰"]}
    assert set(listed(client.get("/cases?disposition=normal_management"))) == {cases["张三丰"]}
    by_light = {light: set(listed(client.get(f"/cases?light={light}"))) for light in ("green", "yellow", "red",
                                                                                      "escalated")}
    open_cases = set(cases.values()) - {cases["王五"], cases["赵六"]}
    assert set().union(*by_light.values()) == open_cases and sum(map(len, by_light.values())) == len(open_cases)
    assert cases["张三"] in by_light["escalated"] and cases[FORMULA_NAME] in by_light["green"]
    assert set(listed(client.get("/cases?org=B3"))) == {cases["李四"]}
    assert set(listed(client.get("/cases?org=C1&view=done"))) == {cases["王五"], cases["赵六"]}
    assert set(listed(client.get("/cases?from=2016-03-01&to=2016-05-10"))) == {cases["张三"], cases["钱七"],
                                                                               cases["李四"]}


@pytest.mark.reads_only
def test_an_org_outside_my_subtree_is_answered_as_an_unknown_org(browser_as, cases):
    client = browser_as("reviewer1").client
    outside, unknown = client.get("/cases?org=B3"), client.get("/cases?org=NOPE")
    assert outside.status_code == unknown.status_code == 404
    assert without_token(outside.text).replace("B3", "X") == without_token(unknown.text).replace("NOPE", "X")


@pytest.mark.reads_only
def test_a_filter_that_makes_no_sense_is_a_plain_usage_error(browser_as, cases):
    client = browser_as("reviewer1").client
    for query in ("state=sleeping", "light=blue", "sort=name", "dir=up", "from=2016-13-01", "view=theirs",
                  "from=2016-06-01&to=2016-01-01", "page=999"):
        response = client.get(f"/cases?{query}")
        assert response.status_code == 400, query
        assert 'data-testid="error"' in response.text and "Traceback" not in response.text


@pytest.mark.reads_only
def test_sorting_by_case_number_opened_date_and_due_date_both_ways(browser_as, cases):
    client = browser_as("supervisor1").client
    every = sorted(cases.values())
    assert listed(client.get("/cases?sort=case&dir=asc")) == every
    assert listed(client.get("/cases?sort=case&dir=desc")) == every[::-1]
    by_opened = listed(client.get("/cases?sort=opened&dir=asc"))
    assert by_opened[:3] == [cases["张三"], cases["李四"], cases["钱七"]]
    assert listed(client.get("/cases?sort=opened&dir=desc"))[-3:] == [cases["钱七"], cases["李四"], cases["张三"]]
    by_due = listed(client.get("/cases?sort=due&dir=asc"))
    assert by_due[0] == cases["张三"] and set(by_due[-2:]) == {cases["王五"], cases["赵六"]}  # no due date: last
    assert set(listed(client.get("/cases?sort=due&dir=desc"))[-2:]) == {cases["王五"], cases["赵六"]}
    assert listed(client.get("/cases?sort=activity"))[:1] != []


@pytest.mark.reads_only
def test_pages_follow_each_other_and_keep_the_filters(browser_as, cases, monkeypatch):
    monkeypatch.setattr(case_lists, "PAGE_SIZE", 3)
    client = browser_as("supervisor1").client
    first = client.get("/cases?sort=case&dir=asc")
    assert total(first) == "7"
    assert 'href="/cases?sort=case&amp;dir=asc&amp;page=2" rel="next"' in first.text
    second = client.get("/cases?sort=case&dir=asc&page=2")
    third = client.get("/cases?sort=case&dir=asc&page=3")
    assert listed(first) + listed(second) + listed(third) == sorted(cases.values())


@pytest.mark.reads_only
def test_a_total_past_the_cap_shows_as_more_than(browser_as, cases, monkeypatch):
    monkeypatch.setattr(case_lists, "COUNT_CAP", 5)
    page = browser_as("supervisor1").client.get("/cases")
    assert total(page) == "5+"


@pytest.mark.reads_only
def test_every_list_masks_id_numbers_and_names_orgs(browser_as, world, cases):
    page = browser_as("admin1").client.get("/cases")
    for name, id_number in world.members.items():
        assert id_number not in page.text
    assert mask_id(world.members["张三"]) in page.text
    assert "社区党支部" in page.text and ">B3<" not in page.text


# --- export ------------------------------------------------------------------------------------------------

def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


@pytest.mark.reads_only
def test_the_export_has_the_lists_rows_with_chinese_headers_and_masked_ids(browser_as, world, cases):
    rows = sheet_rows(browser_as("reviewer1").client.get("/cases.xlsx?view=done&sort=case&dir=asc"))
    header = rows.index(("案件编号", "党员姓名", "身份证号", "党支部", "当前状态", "处置", "立案日期", "最近办理日期",
                         "环节期限", "信号灯", "办结日期"))
    body = rows[header + 1:]
    assert [r[0] for r in body] == [cases["王五"], cases["赵六"]]
    assert body[0][1:5] == ("王五", mask_id(world.members["王五"]), "第一党支部", "已撤销")
    assert all(world.members[r[1]] not in str(rows) for r in body)


@pytest.mark.reads_only
def test_the_export_keeps_the_filters(browser_as, cases):
    rows = sheet_rows(browser_as("supervisor1").client.get("/cases.xlsx?org=B3"))
    assert [r[0] for r in rows if isinstance(r[0], int)] == [cases["李四"]]
    assert any("党组织代码：B3" in str(r[0]) for r in rows)


@pytest.mark.reads_only
def test_a_member_named_like_a_formula_is_exported_as_inert_text(browser_as, cases):
    response = browser_as("officer1").client.get("/cases.xlsx")
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    named = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [c.value for c in named] == ["'" + FORMULA_NAME]
    assert all(c.data_type != "f" for c in cells)


# --- search ------------------------------------------------------------------------------------------------

@pytest.mark.reads_only
def test_search_by_name_prefix_and_exact_name(browser_as, cases):
    officer = browser_as("officer1")
    assert listed(search(officer, "张")) == [cases["张三"], cases["张三丰"]]
    assert listed(search(officer, "张三丰")) == [cases["张三丰"]]
    page = search(officer, "张无忌")
    assert listed(page) == [] and 'data-testid="member-hits"' in page.text and "张无忌" in page.text


@pytest.mark.reads_only
def test_search_by_case_number_full_id_and_the_last_digits(browser_as, world, cases):
    reviewer = browser_as("reviewer1")
    id_number = world.members["钱七"]
    assert listed(search(reviewer, str(cases["钱七"]))) == [cases["钱七"]]
    assert listed(search(reviewer, id_number)) == [cases["钱七"]]
    assert listed(search(reviewer, id_number[-4:])) == [cases["钱七"]]
    assert listed(search(reviewer, id_number[-6:])) == [cases["钱七"]]
    assert listed(search(reviewer, id_number[-5:].lower())) == [cases["钱七"]]


@pytest.mark.reads_only
def test_the_search_term_never_appears_in_a_url(browser_as, world, cases):
    reviewer = browser_as("reviewer1")
    response = search(reviewer, world.members["钱七"])
    assert str(response.url).endswith("/cases/search")
    assert reviewer.client.get("/cases/search").headers["location"] == "/cases"


@pytest.mark.reads_only
def test_outside_my_subtree_a_search_finds_exactly_what_an_unknown_term_finds(browser_as, world, cases):
    officer3 = browser_as("officer3")
    id_number = world.members["张三"]
    unknown = "410402198001019999"
    for term, same_kind in ((id_number, unknown), (id_number[-4:], "9999"), (id_number[-6:], "999999"),
                            ("张三", "无此人"), (str(cases["张三"]), "99999")):
        found, nothing = search(officer3, term), search(officer3, same_kind)
        assert found.status_code == nothing.status_code == 200
        assert listed(found) == []
        assert result_part(found) == result_part(nothing), term


@pytest.mark.reads_only
def test_a_search_term_that_is_no_kind_of_term_says_what_to_type(browser_as, cases):
    page = search(browser_as("officer1"), "12345678901")
    assert page.status_code == 400 and "后 4–6 位" in page.text


# --- the JSON API ------------------------------------------------------------------------------------------

@pytest.mark.reads_only
def test_the_api_gives_the_same_lists_and_search(app, api_token, world, cases):
    from fastapi.testclient import TestClient
    client, headers = TestClient(app), api_token("reviewer1")
    done = client.get("/api/case-lists?view=done&sort=case&dir=asc", headers=headers).json()
    assert [c["id"] for c in done["cases"]] == [cases["王五"], cases["赵六"]]
    assert done["total"] == 2 and done["total_capped"] is False
    assert done["cases"][0]["member_id_number_masked"] == mask_id(world.members["王五"])
    assert "member_id_number" not in done["cases"][0]
    found = client.post("/api/cases/search", json={"q": world.members["钱七"][-4:]}, headers=headers).json()
    assert [c["id"] for c in found["cases"]] == [cases["钱七"]]
    outside = client.post("/api/cases/search", json={"q": world.members["李四"]}, headers=headers)
    assert outside.status_code == 200 and outside.json()["cases"] == []
    bad = client.get("/api/case-lists?light=blue", headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["kind"] == "usage"


# --- where "/" lands ---------------------------------------------------------------------------------------

@pytest.mark.reads_only
@pytest.mark.parametrize("login, landing", [("officer1", "/queue"), ("reviewer1", "/queue"), ("upper1", "/queue"),
                                            ("supervisor1", "/alerts"), ("admin1", "/alerts")])
def test_home_lands_on_the_queue_for_those_steps_wait_on_and_on_alerts_for_the_others(browser_as, login, landing):
    assert browser_as(login).client.get("/").headers["location"] == landing


def test_logging_in_goes_home_unless_a_page_was_asked_for(app):
    from tests.web.conftest import PASSWORD, Browser, csrf_of
    supervisor = Browser(app)
    form = supervisor.client.get("/login")
    response = supervisor.client.post("/login", data={"login": "supervisor1", "password": PASSWORD,
                                                      "csrf_token": csrf_of(form.text), "next": "/"})
    assert response.headers["location"] == "/"
    assert supervisor.client.get("/").headers["location"] == "/alerts"
    officer = Browser(app)
    form = officer.client.get("/login?next=/cases%3Fview%3Ddone")
    response = officer.client.post("/login", data={"login": "officer1", "password": PASSWORD,
                                                   "csrf_token": csrf_of(form.text), "next": "/cases?view=done"})
    assert response.headers["location"] == "/cases?view=done"


@pytest.mark.reads_only
def test_logged_out_a_list_sends_to_the_login_before_reading_its_filters(browser_as):
    response = browser_as(None).client.get("/cases?page=999&light=blue")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
