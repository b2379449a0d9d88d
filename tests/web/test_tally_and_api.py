"""统计 and the JSON API: the same figures and shapes as the CLI, downloads, conflicts as 409."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lostcontact.queries.cases import list_cases
from lostcontact.queries.tally import tally
from lostcontact.services.cases import open_case
from statemachines.tally import COLUMNS
from tests.lifecycle.driver import CaseDriver
from tests.web.conftest import TODAY


def with_closed_and_open(world) -> int:
    """One member removed as self-withdrawn (not reached) under C1, one still searched for in C2: the removed
    member's case."""
    lost = CaseDriver(world.db, world.add_member("甲", branch="B1", last_contact=date(2015, 8, 1)), today=TODAY)
    lost.to_proposal(reached=False)
    lost.through_chain("removal_self_withdrawal")
    open_case(world.db, world.add_member("乙", branch="B3", last_contact=date(2015, 8, 1)), actor_login="officer3",
              today=TODAY)
    return lost.case_id


@pytest.fixture
def world_built_with(request):
    """The world of `with_closed_and_open` for a test that names `closed_and_open`, built once a session; the
    tests that only read it share one copy (`reads_only`)."""
    return with_closed_and_open if "closed_and_open" in request.fixturenames else None


@pytest.fixture
def closed_and_open(world_built) -> int:
    return world_built


@pytest.mark.reads_only
def test_the_tally_page_shows_the_a_to_x_row_of_the_org_and_of_each_child(browser_as, closed_and_open):
    html = browser_as("upper1").client.get("/tally").text
    total = html.split('<tr class="total">')[1].split("</tr>")[0]
    figures = dict(zip(COLUMNS, (int(v) for v in __import__("re").findall(r'data-col="[A-X]">(\d+)<', total))))
    assert figures["A"] == 2 and figures["O"] == 2 and figures["P"] == 1 and figures["Q"] == 1 and figures["W"] == 1
    assert "区直机关党委" in html and "街道党委" in html
    assert 'class="seg-P"' in html and 'class="seg-W"' in html  # the stacked bars


@pytest.mark.reads_only
def test_the_tally_downloads_carry_the_same_figures_as_the_query(world, browser_as, closed_and_open):
    upper = browser_as("upper1")
    expected, _day = tally(world.db, today=TODAY, org_code="410402", actor_login="upper1")
    csv_response = upper.client.get("/tally/download/csv", params={"org": "410402", "as_of": TODAY.isoformat()})
    assert csv_response.headers["content-disposition"] == 'attachment; filename="tally-410402-2016-06-20.csv"'
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[0]["org"] == "410402" and {c: int(rows[0][c]) for c in COLUMNS} == expected.columns
    xlsx = upper.client.get("/tally/download/xlsx", params={"org": "410402"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    printed = upper.client.get("/tally/download/html", params={"org": "410402"})
    assert printed.status_code == 200 and "新华区委组织部" in printed.text
    assert "script-src 'self';" in printed.headers["content-security-policy"]  # the 打印 button's app.js only
    assert "default-src 'none'" in printed.headers["content-security-policy"]


@pytest.mark.reads_only
def test_a_user_cannot_download_the_tally_of_an_org_outside_their_subtree(browser_as, closed_and_open):
    assert browser_as("reviewer2").client.get("/tally/download/csv", params={"org": "C1"}).status_code == 403


@pytest.mark.reads_only
def test_the_api_case_list_has_the_shape_of_the_cli_json(world, app, api_token, closed_and_open):
    rows = TestClient(app).get("/api/cases", headers=api_token("upper1")).json()
    assert rows == list(list_cases(world.db, today=TODAY, actor_login="upper1"))
    assert set(rows[0]) == {"id", "member_id_number_masked", "member_name", "branch_code", "state", "disposition",
                            "opened_on", "last_contact_on", "due_on", "overdue_days"}


@pytest.mark.reads_only
def test_the_api_tally_is_the_cli_json(app, api_token, closed_and_open):
    data = TestClient(app).get("/api/tally", params={"org": "C1"}, headers=api_token("reviewer1")).json()
    assert data["org"] == "C1" and data["as_of"] == "2016-06-20" and data["columns"]["Q"] == 1
    assert [child["org"] for child in data["children"]] == ["B1", "GB1"]


def test_the_api_takes_a_case_through_its_steps_and_answers_409_to_a_stale_version(world, app, api_token):
    client = TestClient(app)
    officer = api_token("officer1")
    id_number = world.add_member("丙", branch="B1", last_contact=date(2015, 8, 1))
    opened = client.post("/api/cases", json={"id_number": id_number}, headers=officer)
    assert opened.status_code == 201
    case_id = opened.json()["id"]
    case = client.get(f"/api/cases/{case_id}", headers=officer).json()
    assert case["member_id_number"] == id_number  # their own branch: in full
    assert [a["trigger"] for a in case["actions"]["triggers"]] == ["start_search", "confirm_death"]
    moved = client.post(f"/api/cases/{case_id}/fire", headers=officer,
                        json={"trigger": "start_search", "expected_version": case["version"]})
    assert moved.status_code == 200 and moved.json()["to"] == "searching"
    stale = client.post(f"/api/cases/{case_id}/fire", headers=officer,
                        json={"trigger": "reach", "expected_version": case["version"]})
    assert stale.status_code == 409 and stale.json()["error"]["kind"] == "conflict"
    logged = client.post(f"/api/cases/{case_id}/search-log", headers=officer,
                         json={"channel": "phone", "outcome": "reached", "note": "已接通"})
    assert logged.status_code == 201
    current = client.get(f"/api/cases/{case_id}/actions", headers=officer).json()
    assert [a["trigger"] for a in current["triggers"]] == ["reach", "exhaust", "confirm_death"]
    reached = client.post(f"/api/cases/{case_id}/fire", headers=officer,
                          json={"trigger": "reach", "expected_version": current["version"], "cause": 1})
    assert reached.status_code == 200 and reached.json()["to"] == "verifying"
    reviewer_view = client.get(f"/api/cases/{case_id}", headers=api_token("reviewer1")).json()
    assert "member_id_number" not in reviewer_view


@pytest.mark.parametrize("body,status,kind", [
    ({"trigger": "submit"}, 400, "usage"),                                            # a required option missing
    ({"trigger": "start_search", "disposition": "expelled"}, 400, "usage"),           # an option it does not take
    ({"trigger": "resolve", "meeting": {"date": "2016-06-20", "entitled": 5, "present": 9, "for": 1,
                                        "against": 0, "abstain": 0}}, 400, "bad_input"),  # present > entitled
    ({"trigger": "approve"}, 403, "refused"),                                         # wrong state
    ({"trigger": "start_search", "at": "2016-07-01"}, 403, "refused"),                # --at in the future
])
def test_the_api_reports_each_kind_of_mistake_with_its_status(app, api_token, b1_case, body, status, kind):
    response = TestClient(app).post(f"/api/cases/{b1_case}/fire", json=body, headers=api_token("officer1"))
    assert response.status_code == status, response.text
    assert response.json()["error"]["kind"] == kind and response.json()["error"]["zh"]


@pytest.mark.reads_only
def test_an_id_number_never_appears_in_a_url_the_app_makes(world, browser_as, closed_and_open):
    import re
    upper = browser_as("upper1")
    for path in ("/queue", "/alerts", "/tally", f"/cases/{closed_and_open}"):
        html = upper.client.get(path).text
        for url in re.findall(r'(?:href|action)="([^"]*)"', html):
            assert not re.search(r"\d{17}[\dX]", url) and "甲" not in url and "乙" not in url


@pytest.mark.reads_only
def test_the_tally_page_links_every_register_and_each_prints_or_downloads(browser_as, closed_and_open):
    import re

    from lostcontact.reports.kinds import REGISTERS
    upper = browser_as("upper1")
    html = upper.client.get("/tally", params={"org": "C1"}).text
    links = re.findall(r'href="(/registers/[a-z-]+\?org=C1&amp;as_of=2016-06-20)"', html)
    assert len(links) == len(REGISTERS) == 11  # the 4 member forms of seed 003 and seed 004's 登记表 included
    mobile = upper.client.get("/registers/mobile-summary", params={"org": "C1", "format": "xlsx"})
    assert mobile.headers["content-disposition"] == 'attachment; filename="mobile-summary-C1-2016-06-20.xlsx"'
    assert "外出流动党员登记表" in upper.client.get("/registers/mobile", params={"org": "C1"}).text
    unreached = upper.client.get("/registers/unreached", params={"org": "C1"})
    assert unreached.status_code == 200 and "经查找仍然无法取得联系党员登记表" in unreached.text and "甲" in unreached.text
    xlsx = upper.client.get("/registers/unreached", params={"org": "C1", "format": "xlsx"})
    assert xlsx.headers["content-disposition"] == 'attachment; filename="unreached-C1-2016-06-20.xlsx"'
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row > 3
    assert upper.client.get("/registers/no-such-register").status_code == 400


@pytest.mark.reads_only
def test_the_record_print_view_is_the_case_s_form_with_the_id_masked_for_a_reviewer(world, browser_as,
                                                                                    closed_and_open):
    id_number = world.members["甲"]
    reviewer = browser_as("reviewer1").client.get(f"/cases/{closed_and_open}/record")
    officer = browser_as("officer1").client.get(f"/cases/{closed_and_open}/record")
    assert reviewer.status_code == officer.status_code == 200
    assert "纪实表" in reviewer.text and id_number not in reviewer.text and id_number in officer.text
