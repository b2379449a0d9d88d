"""证件管理 · 出行审批 over HTTP: the queue offers each user the trips waiting for them (the discipline officer
to consult, the cadre supervisor at the rank's level to decide, the unit's to submit), the trip page's steps go
through the same service as `trip consult|approve|…`, refusals stand beside the form, a stale version is a
conflict keeping the typing, and a trip outside the subtree is an unknown trip."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Trip
from tests.web.travel.conftest import in_world, section


def state_of(travel, trip_id: int) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Trip.state).where(Trip.id == trip_id))


def build_trips(travel):
    """王五 (B1, county rank, filed): one trip submitted, one still a draft."""
    wang = travel.person("王五", registered_on=date(2024, 2, 1))
    passport = travel.document(wang)
    submitted = travel.trip(wang, passport, departure=date(2024, 8, 1), ret=date(2024, 8, 10), on=date(2024, 6, 20),
                            until="submitted", destinations=("日本",))
    draft = travel.trip(wang, passport, departure=date(2024, 9, 1), ret=date(2024, 9, 10), on=date(2024, 6, 21),
                        until="draft", destinations=("韩国",))
    return {"submitted": submitted, "draft": draft}


pytestmark = in_world(build_trips)


@pytest.fixture
def trips(built):
    return built


def queue_of(user) -> str:
    html = user.client.get("/travel/trips").text
    return html.split('data-testid="trips"', 1)[1] if 'data-testid="trips"' in html else ""


def fire(user, trip_id: int, data: dict):
    return user.post_form(f"/travel/trips/{trip_id}/fire", data, token_from=f"/travel/trips/{trip_id}")


@pytest.mark.reads_only
def test_the_queue_offers_each_user_the_trips_waiting_for_them(browser_as, trips):
    discipline = queue_of(browser_as("discipline1"))
    assert f"出行申请 {trips['submitted']}" in discipline and "征求纪检监察机关意见" in discipline
    assert f"出行申请 {trips['draft']}<" not in discipline
    city = queue_of(browser_as("cadre_city"))
    assert f"出行申请 {trips['submitted']}" in city and "批准" in city
    unit = queue_of(browser_as("cadre1"))  # a county-rank person's trip is the city's to decide
    assert f"出行申请 {trips['draft']}" in unit and f"出行申请 {trips['submitted']}<" not in unit
    assert queue_of(browser_as("cadre2")) == ""


def test_the_discipline_officer_consults_and_the_city_approves(browser_as, travel, trips):
    trip = trips["submitted"]
    discipline = browser_as("discipline1")
    refused = fire(discipline, trip, {"trigger": "consult", "version": "2"})
    assert refused.status_code == 403 and "未能办理" in section(refused.text, "trip-actions")
    assert state_of(travel, trip) == "submitted"
    assert fire(discipline, trip, {"trigger": "consult", "version": "2", "note": "无不同意见"}).status_code == 303
    city = browser_as("cadre_city")
    page = city.client.get(f"/travel/trips/{trip}").text
    assert 'data-testid="trip-approve"' in page and "孙纪检" in section(page, "trip-history")
    assert fire(city, trip, {"trigger": "approve", "version": "3", "note": "同意"}).status_code == 303
    html = city.client.get(f"/travel/trips/{trip}").text
    assert "已办理批准，状态：已批准" in html and "吴部长" in section(html, "trip-record")
    assert state_of(travel, trip) == "approved"


@pytest.mark.reads_only
def test_a_unit_supervisor_below_the_ranks_level_is_refused_in_words(browser_as, travel, trips):
    cadre = browser_as("cadre1")
    assert 'data-testid="trip-approve"' not in cadre.client.get(f"/travel/trips/{trips['submitted']}").text
    response = fire(cadre, trips["submitted"], {"trigger": "approve", "note": "同意"})
    assert response.status_code == 403 and "县处级人员的因私出国（境）须由" in response.text
    assert state_of(travel, trips["submitted"]) == "submitted"


def test_the_unit_submits_a_draft(browser_as, travel, trips):
    cadre = browser_as("cadre1")
    assert fire(cadre, trips["draft"], {"trigger": "submit", "version": "1", "note": "单位同意"}).status_code == 303
    assert state_of(travel, trips["draft"]) == "submitted"


@pytest.mark.reads_only
def test_a_stale_version_is_a_conflict_that_keeps_the_opinion(browser_as, travel, trips):
    response = fire(browser_as("discipline1"), trips["submitted"],
                    {"trigger": "consult", "version": "1", "note": "建议从严把关"})
    assert response.status_code == 409
    consult = response.text.split('data-testid="trip-consult"', 1)[1].split("</details>", 1)[0]
    assert "操作冲突" in consult and "建议从严把关" in consult and state_of(travel, trips["submitted"]) == "submitted"


@pytest.mark.reads_only
def test_a_trip_outside_the_subtree_is_an_unknown_trip(browser_as, travel, trips):
    other = browser_as("cadre2")
    outside, unknown = other.client.get(f"/travel/trips/{trips['draft']}"), other.client.get("/travel/trips/9999")
    assert outside.status_code == unknown.status_code == 404
    assert f"未知出行申请编号 {trips['draft']}（或不在您的管理范围内）" in outside.text and "王五" not in outside.text
    assert fire(other, trips["draft"], {"trigger": "submit"}).status_code == 404
    assert state_of(travel, trips["draft"]) == "draft"


@pytest.mark.reads_only
def test_all_trips_filter_by_state_in_words(browser_as, trips):
    html = browser_as("cadre1").client.get("/travel/trips/all?state=draft").text
    listing = html.split('data-testid="trips"', 1)[1]
    assert "韩国" in listing and "日本" not in listing and "草稿" in listing


def test_a_whole_trip_from_the_pages_departs_returns_elsewhere_and_closes(browser_as, travel):
    """Checked out at the custody desk, departed, back from one more country than approved (the page says
    so), the document returned at the desk, the trip closed."""
    wang = travel.person("王五", registered_on=date(2024, 2, 1))
    passport = travel.document(wang)
    cadre = browser_as("cadre1")
    cadre.post_form(f"/travel/documents/{passport}/custody", {"trigger": "receive", "at": "2024-05-01"},
                    token_from="/travel/custody")
    trip = travel.trip(wang, passport, departure=date(2024, 6, 10), ret=date(2024, 6, 20), on=date(2024, 6, 1),
                       destinations=("泰国",))
    steps = [("/travel/documents/{d}/custody", {"trigger": "check_out", "trip_id": str(trip), "at": "2024-06-08"}),
             ("/travel/trips/{t}/fire", {"trigger": "depart", "exit_on": "2024-06-10", "at": "2024-06-10"}),
             ("/travel/trips/{t}/fire", {"trigger": "return", "entry_on": "2024-06-20", "places": "泰国、越南",
                                         "at": "2024-06-21"}),
             ("/travel/documents/{d}/custody", {"trigger": "return", "at": "2024-06-24"}),
             ("/travel/trips/{t}/fire", {"trigger": "close", "note": "证件已交回"})]
    for path, data in steps:
        response = cadre.post_form(path.format(d=passport, t=trip), data, token_from="/travel/trips")
        assert response.status_code == 303, (data["trigger"], response.text[-3000:])
    html = cadre.client.get(f"/travel/trips/{trip}").text
    assert state_of(travel, trip) == "closed" and "已办结" in html
    assert "前往未经批准的国家（地区）" in section(html, "trip-record")


def test_the_city_refuses_and_the_unit_withdraws(browser_as, travel, trips):
    city = browser_as("cadre_city")
    assert fire(city, trips["submitted"], {"trigger": "refuse", "note": "行程不符合规定"}).status_code == 303
    assert state_of(travel, trips["submitted"]) == "refused"
    assert fire(browser_as("cadre1"), trips["draft"], {"trigger": "withdraw", "note": "本人取消"}).status_code == 303
    assert state_of(travel, trips["draft"]) == "withdrawn"
