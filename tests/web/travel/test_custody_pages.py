"""证件管理 · 证件保管 over HTTP: 应交尽交 and the document list by role, a document's page, custody steps through
the same service as `document receive|check-out|release`, a checkout picked from the holder's approved trips,
refusals beside the form, a stale version a conflict keeping the typing, and scope."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import TravelDocument, Trip
from tests.web.travel.conftest import in_world, section


def state_of(travel, document_id: int) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(TravelDocument.state).where(TravelDocument.id == document_id))


def trip_state(travel, trip_id: int) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Trip.state).where(Trip.id == trip_id))


def build_passport(travel) -> int:
    """王五 of B1, filed in February, holds a private passport recorded in January: not handed in."""
    wang = travel.person("王五", registered_on=date(2024, 2, 1))
    return travel.document(wang, number="E12345678")


pytestmark = in_world(build_passport)


@pytest.fixture
def passport(built) -> int:
    return built


def receive(user, document_id: int, version: int = 1, **extra):
    return user.post_form(f"/travel/documents/{document_id}/custody",
                          {"trigger": "receive", "version": str(version), **extra},
                          token_from=f"/travel/documents/{document_id}")


@pytest.mark.reads_only
def test_the_gaps_list_the_passport_outside_custody_masked(browser_as, passport):
    for login in ("cadre1", "discipline1"):
        html = browser_as(login).client.get("/travel/custody").text
        gaps = html.split('data-testid="custody-gaps"', 1)[1]
        assert "王五" in gaps and "E*****678" in gaps and "本人持有（未交）" in gaps and "E12345678" not in html
        assert "已超期" in gaps
    assert 'data-testid="no-gaps"' in browser_as("liaison1").client.get("/travel/custody").text
    assert 'data-testid="no-gaps"' in browser_as("cadre2").client.get("/travel/custody").text


@pytest.mark.reads_only
def test_the_document_list_filters_by_state(browser_as, passport):
    cadre = browser_as("cadre1")
    assert "王五" in cadre.client.get("/travel/documents?state=held").text.split('data-testid="documents"', 1)[1]
    assert 'data-testid="no-documents"' in cadre.client.get("/travel/documents?state=in_custody").text
    assert cadre.client.get("/travel/documents?state=bogus").status_code == 400


def test_the_cadre_supervisor_receives_the_passport_into_custody(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    page = cadre.client.get(f"/travel/documents/{passport}").text
    assert "E12345678" in section(page, "document-record") and 'data-testid="custody-receive"' in page
    response = receive(cadre, passport, kept_at="组织部保密柜")
    assert response.status_code == 303
    html = cadre.client.get(f"/travel/documents/{passport}").text
    assert "已办理收交保管（已逾期），保管状态：集中保管" in html and "组织部保密柜" in html
    assert "赵干部" in section(html, "custody-history") and state_of(travel, passport) == "in_custody"


def test_a_checkout_is_picked_from_the_holders_approved_trips(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    receive(cadre, passport)
    trip = travel.trip(travel_person_number(travel), passport, departure=date(2024, 7, 1), ret=date(2024, 7, 20),
                       on=date(2024, 6, 20))
    form = section(cadre.client.get(f"/travel/documents/{passport}").text, "custody-actions")
    assert f'<option value="{trip}"' in form and "泰国" in form
    response = cadre.post_form(f"/travel/documents/{passport}/custody",
                               {"trigger": "check_out", "trip_id": str(trip), "version": "2"},
                               token_from=f"/travel/documents/{passport}")
    assert response.status_code == 303, response.text
    assert state_of(travel, passport) == "checked_out" and trip_state(travel, trip) == "document_out"


def test_a_checkout_too_early_is_refused_beside_its_form(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    receive(cadre, passport)
    trip = travel.trip(travel_person_number(travel), passport, departure=date(2024, 7, 10), ret=date(2024, 7, 20),
                       on=date(2024, 6, 20))
    response = cadre.post_form(f"/travel/documents/{passport}/custody",
                               {"trigger": "check_out", "trip_id": str(trip), "version": "2"},
                               token_from=f"/travel/documents/{passport}")
    assert response.status_code == 403
    checkout = response.text.split('data-testid="custody-check_out"', 1)[1].split("</details>", 1)[0]
    assert "最早于出发前5天领用" in checkout and state_of(travel, passport) == "in_custody"


def travel_person_number(travel) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        from models import Person
        return uow.session.scalar(select(Person.id_number).where(Person.name == "王五"))


def test_a_release_without_a_reason_is_refused_beside_its_form(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    receive(cadre, passport)
    response = cadre.post_form(f"/travel/documents/{passport}/custody", {"trigger": "release", "version": "2"},
                               token_from=f"/travel/documents/{passport}")
    assert response.status_code == 400
    release = response.text.split('data-testid="custody-release"', 1)[1].split("</details>", 1)[0]
    assert "退还原因" in release and "未能办理" in release and state_of(travel, passport) == "in_custody"


@pytest.mark.reads_only
def test_a_stale_version_is_a_conflict_that_keeps_the_note(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    response = cadre.post_form(f"/travel/documents/{passport}/custody",
                               {"trigger": "report_lost", "version": "7", "note": "本人说明：在地铁遗失"},
                               token_from=f"/travel/documents/{passport}")
    assert response.status_code == 409
    lost = response.text.split('data-testid="custody-report_lost"', 1)[1].split("</details>", 1)[0]
    assert "操作冲突" in lost and "本人说明：在地铁遗失" in lost and state_of(travel, passport) == "held"


@pytest.mark.reads_only
def test_a_document_outside_the_subtree_is_an_unknown_document(browser_as, travel, passport):
    other = browser_as("cadre2")
    outside, unknown = other.client.get(f"/travel/documents/{passport}"), other.client.get("/travel/documents/99999")
    assert outside.status_code == unknown.status_code == 404
    assert f"未知证件编号 {passport}（或不在您的管理范围内）" in outside.text and "王五" not in outside.text
    assert "未知证件编号 99999（或不在您的管理范围内）" in unknown.text
    assert receive(other, passport).status_code == 404 and state_of(travel, passport) == "held"


@pytest.mark.reads_only
def test_a_reader_sees_the_document_masked_without_forms(browser_as, passport):
    html = browser_as("discipline1").client.get(f"/travel/documents/{passport}").text
    assert "E*****678" in html and "E12345678" not in html and 'data-testid="custody-actions"' not in html


def test_a_loss_is_reported_verified_and_the_document_revoked(browser_as, travel, passport):
    cadre = browser_as("cadre1")
    path = f"/travel/documents/{passport}/custody"
    for trigger, note in (("report_lost", "本人书面说明，已加盖单位公章"), ("verify_loss", "公安机关已核实挂失"),
                          ("revoke", None)):
        data = {"trigger": trigger, **({"note": note} if note else {})}
        assert cadre.post_form(path, data, token_from="/travel/custody").status_code == 303, trigger
    html = cadre.client.get(f"/travel/documents/{passport}").text
    assert state_of(travel, passport) == "revoked" and "已注销" in html and "公安机关已核实挂失" in html
    assert 'data-testid="custody-actions"' not in html  # nothing left to do with it
