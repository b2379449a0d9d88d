"""证件管理 · 出行's data entry over HTTP: the unit's cadre supervisor applies for a person's private trip with one
of their private documents (through the same service as `trip apply`); submitted, it waits in the queue of the
approvers the policy gives the person's rank; on return the actual trip is recorded and compared with the
approval. Each refusal names the field, keeps what was typed and records nothing; a person outside the subtree
is the app's 404; listings mask the numbers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services.travel import trips
from lostcontact.uow import UnitOfWork
from models import Person, Trip
from tests.web.travel.conftest import TODAY, in_world, section

FORM = {"destinations": "泰国、 新加坡", "reason": "探亲", "planned_departure": "2024-07-10",
        "planned_return": "2024-07-20"}


def person_id(travel, number: str) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == number))


def trip_rows(travel) -> list:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.execute(select(Trip.__table__).order_by(Trip.id)).all()


def apply(user, pid: int, document: int, **fields):
    return user.post_form(f"/travel/persons/{pid}/trips/new", {**FORM, "document_id": str(document), **fields},
                          token_from=f"/travel/persons/{pid}/trips/new")


def build_wang(travel) -> dict:
    """王五 of B1 (县处级, filed in February) with a private passport."""
    number = travel.person("王五", registered_on=date(2024, 2, 1))
    return {"number": number, "id": person_id(travel, number), "passport": travel.document(number, number="E12345678")}


@pytest.fixture
def wang(built) -> dict:
    return built


@in_world(build_wang)
def test_a_cadre_supervisor_applies_and_the_draft_waits_to_be_submitted(browser_as, travel, wang):
    travel.document(wang["number"], kind="passport_official", number="P7654321")
    cadre = browser_as("cadre1")
    assert f'href="/travel/persons/{wang["id"]}/trips/new"' in cadre.client.get(f"/travel/persons/{wang['id']}").text
    form = cadre.client.get(f"/travel/persons/{wang['id']}/trips/new").text
    choices = form.split('name="document_id"', 1)[1].split("</select>", 1)[0]
    assert "E*****678" in choices and "E12345678" not in form and "P7654321" not in choices  # private only, masked
    response = apply(cadre, wang["id"], wang["passport"])
    assert response.status_code == 303, response.text
    [trip] = trip_rows(travel)
    assert response.headers["location"] == f"/travel/trips/{trip.id}"
    assert (trip.state, trip.destinations, trip.reason, trip.planned_departure, trip.planned_return,
            trip.document_id, trip.applied_on) == ("draft", '["泰国", "新加坡"]', "探亲", date(2024, 7, 10),
                                                   date(2024, 7, 20), wang["passport"], TODAY)
    page = cadre.client.get(response.headers["location"]).text
    assert f"已登记出行申请 {trip.id}（草稿），请报送审批" in page and 'data-testid="trip-submit"' in page
    queue = cadre.client.get("/travel/trips").text
    assert f'href="/travel/trips/{trip.id}"' in queue and "E12345678" not in queue and wang["number"] not in queue


@in_world(build_wang)
def test_a_submitted_trip_waits_for_the_approvers_of_the_persons_rank(browser_as, travel, wang):
    clerk = travel.person("李四", rank="staff", person_type="sensitive_post", registered_on=date(2024, 2, 1))
    clerk_passport = travel.document(clerk, number="E22223333")
    cadre = browser_as("cadre1")
    apply(cadre, wang["id"], wang["passport"])
    apply(cadre, person_id(travel, clerk), clerk_passport, destinations="日本")
    county_trip, staff_trip = (row.id for row in trip_rows(travel))
    for trip_id in (county_trip, staff_trip):
        trips.fire_trip(travel.db, trip_id, "submit", actor_login="cadre1", today=TODAY)
    assert all(f'href="/travel/trips/{t}"' in browser_as("discipline1").client.get("/travel/trips").text
               for t in (county_trip, staff_trip))  # 事先征求纪检监察机关意见
    city, unit = browser_as("cadre_city").client.get("/travel/trips").text, cadre.client.get("/travel/trips").text
    assert f'href="/travel/trips/{county_trip}"' in city  # 县处级: the city's cadre authority decides
    assert f'href="/travel/trips/{county_trip}"' not in unit
    assert f'href="/travel/trips/{staff_trip}"' in unit  # a staff member's: the unit's


@pytest.mark.parametrize("fields, words", [
    ({"destinations": " 、 "}, "须填写前往国家（地区）"),
    ({"destinations": ""}, "请填写“前往国家（地区）”"),
    ({"reason": ""}, "请填写“事由”"),
    ({"document_id": ""}, "请填写“使用证件”"),
    ({"document_id": "x"}, "使用证件 须为整数"),
    ({"planned_departure": "2024-7-1x"}, "拟出境日期格式应为"),
    ({"planned_return": ""}, "请填写“拟回国（境）日期”"),
    ({"planned_return": "2024-07-05"}, "拟回国（境）日期 2024-07-05 早于拟出境日期 2024-07-10"),
    ({"planned_departure": "2024-06-01", "planned_return": "2024-06-05"}, "拟出境日期 2024-06-01 早于申请日期 2024-06-28"),
    ({"planned_return": "2030-02-01"}, "证件有效期至 2030-01-01，早于拟回国（境）日期 2030-02-01"),
])
@pytest.mark.reads_only
@in_world(build_wang)
def test_a_refused_application_names_the_field_keeps_the_typing_and_records_nothing(browser_as, travel, wang,
                                                                                    fields, words):
    response = apply(browser_as("cadre1"), wang["id"], wang["passport"], **fields)
    assert response.status_code in (400, 403), response.text
    assert words in response.text.split('data-testid="error"', 1)[1].split("</div>", 1)[0]
    assert "探亲" in response.text or fields.get("reason") == ""
    assert trip_rows(travel) == []


@in_world(build_wang)
def test_the_official_passport_or_another_persons_document_is_refused(browser_as, travel, wang):
    other = travel.person("李四", rank="staff")
    others = travel.document(other, number="E99990000")
    cadre = browser_as("cadre1")
    official = apply(cadre, wang["id"], travel.document(wang["number"], kind="passport_official", number="P7654321"))
    assert official.status_code == 403 and "因私出国（境）须使用因私证件" in official.text
    foreign = apply(cadre, wang["id"], others)
    assert foreign.status_code == 400 and f"未知证件编号 {others}" in foreign.text
    assert trip_rows(travel) == []


def test_a_person_without_a_usable_private_document_is_sent_to_record_one(browser_as, travel):
    li = travel.person("李四", rank="staff")
    page = browser_as("cadre1").client.get(f"/travel/persons/{person_id(travel, li)}/trips/new").text
    assert 'data-testid="no-usable-documents"' in page and "登记证件" in page and 'data-testid="trip-form"' not in page


@pytest.mark.reads_only
@in_world(build_wang)
def test_a_person_outside_the_subtree_or_a_reader_who_is_not_their_cadre_supervisor_gets_404(browser_as, travel,
                                                                                            wang):
    for login in ("cadre2", "discipline1"):
        user = browser_as(login)
        assert user.client.get(f"/travel/persons/{wang['id']}/trips/new").status_code == 404
        posted = apply(user, wang["id"], wang["passport"]) if login == "discipline1" else user.post_form(
            f"/travel/persons/{wang['id']}/trips/new", {**FORM, "document_id": str(wang["passport"])},
            token_from="/travel/persons")
        assert posted.status_code == 404 and "王五" not in posted.text
    assert trip_rows(travel) == []


@in_world(build_wang)
def test_the_actual_trip_is_recorded_on_return_and_compared_with_the_approval(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    apply(cadre, wang["id"], wang["passport"], planned_departure="2024-06-24", planned_return="2024-06-27",
          at="2024-06-20")
    [trip] = trip_rows(travel)
    for trigger, actor, note in (("submit", "cadre1", None), ("consult", "discipline1", "无不同意见"),
                                 ("approve", "cadre_city", "同意")):
        trips.fire_trip(travel.db, trip.id, trigger, actor_login=actor, today=TODAY, at=date(2024, 6, 20), note=note)
    page = f"/travel/documents/{wang['passport']}"
    for trigger, extra in (("receive", {"at": "2024-06-21"}), ("check_out", {"trip_id": str(trip.id), "at": "2024-06-22"})):
        version = cadre.client.get(page).text.split('name="version" value="', 1)[1].split('"', 1)[0]
        posted = cadre.post_form(f"{page}/custody", {"trigger": trigger, "version": version, **extra}, token_from=page)
        assert posted.status_code == 303, posted.text
    trip_page = f"/travel/trips/{trip.id}"
    for trigger, extra in (("depart", {"exit_on": "2024-06-24", "at": "2024-06-24"}),
                           ("return", {"entry_on": "2024-06-28", "places": "泰国、老挝"})):
        version = cadre.client.get(trip_page).text.split('name="version" value="', 1)[1].split('"', 1)[0]
        posted = cadre.post_form(f"{trip_page}/fire", {"trigger": trigger, "version": version, **extra},
                                 token_from=trip_page)
        assert posted.status_code == 303, posted.text
    html = cadre.client.get(trip_page).text
    assert "与批准不符" in html
    comparison = html.split('data-testid="trip-comparison"', 1)[1].split("</table>", 1)[0]
    assert "2024-06-27" in comparison and "2024-06-28" in comparison and "泰国、老挝" in comparison
    deviations = section(html, "deviations")
    assert "晚于批准日期回国（境）" in deviations and "前往未经批准的国家（地区）" in deviations


def trip_form_values(html: str) -> dict:
    """What the trip form holds: its inputs (hidden ones too), the chosen document and the reason."""
    import re
    form = html.split('data-testid="trip-form"', 1)[1].split("</form>", 1)[0]
    values = dict(re.findall(r'<input type="(?:hidden|text|date)" name="([a-z_]+)"[^>]*?value="([^"]*)"', form))
    values["document_id"] = re.search(r'<option value="(\d+)" selected', form).group(1)
    values["reason"] = re.search(r'<textarea name="reason"[^>]*>([^<]*)</textarea>', form).group(1)
    values.pop("csrf_token", None)
    return values


@pytest.fixture
def submitted_trip(travel, wang) -> int:
    return travel.trip(wang["number"], wang["passport"], departure=date(2024, 7, 10), ret=date(2024, 7, 20),
                       on=TODAY, until="submitted")


@in_world(build_wang)
def test_the_unit_edits_an_application_awaiting_approval_and_only_the_changes_are_recorded(
        browser_as, travel, wang, submitted_trip):
    cadre = browser_as("cadre1")
    page = f"/travel/trips/{submitted_trip}"
    assert f'href="{page}/edit"' in cadre.client.get(page).text
    values = trip_form_values(cadre.client.get(f"{page}/edit").text)
    assert (values["destinations"], values["version"], values["was_reason"]) == ("泰国", "2", "探亲")
    response = cadre.post_form(f"{page}/edit", {**values, "destinations": "泰国、老挝", "planned_return": "2024-07-25"},
                               token_from=page)
    assert response.status_code == 303, response.text
    [trip] = trip_rows(travel)
    assert (trip.destinations, trip.planned_return, trip.state, trip.version) == (
        '["泰国", "老挝"]', date(2024, 7, 25), "submitted", 3)
    html = cadre.client.get(page).text
    assert "已修改出行申请" in html
    assert "拟回国（境）日期：2024-07-20 → 2024-07-25" in section(html, "trip-history")
    assert "事由" not in section(html, "trip-history").split("修改申请", 1)[1]  # unchanged: not recorded


@in_world(build_wang)
def test_a_stale_edit_is_a_conflict_keeping_the_typing_and_a_second_try_applies_only_mine(
        browser_as, travel, wang, submitted_trip):
    cadre = browser_as("cadre1")
    page = f"/travel/trips/{submitted_trip}"
    values = trip_form_values(cadre.client.get(f"{page}/edit").text)
    trips.edit_trip(travel.db, submitted_trip, actor_login="cadre1", today=TODAY, reason="旅游")
    response = cadre.post_form(f"{page}/edit", {**values, "planned_return": "2024-07-22"}, token_from=page)
    assert response.status_code == 409 and "该出行申请已被他人办理" in response.text
    assert 'value="2024-07-22"' in response.text and trip_rows(travel)[0].planned_return == date(2024, 7, 20)
    again = trip_form_values(response.text)
    assert again["version"] == "3" and again["was_planned_return"] == "2024-07-20"
    assert cadre.post_form(f"{page}/edit", again, token_from=page).status_code == 303
    trip = trip_rows(travel)[0]
    assert (trip.planned_return, trip.reason) == (date(2024, 7, 22), "旅游")  # the other edit stands


@in_world(build_wang)
def test_an_edit_is_refused_once_decided_and_its_form_is_the_unit_s_cadre_supervisor_s_only(
        browser_as, travel, wang, submitted_trip):
    page = f"/travel/trips/{submitted_trip}"
    for login in ("discipline1", "cadre2"):
        assert browser_as(login).client.get(f"{page}/edit").status_code == 404
    cadre = browser_as("cadre1")
    values = trip_form_values(cadre.client.get(f"{page}/edit").text)
    refused = cadre.post_form(f"{page}/edit", {**values, "planned_return": "2024-07-01"}, token_from=page)
    assert refused.status_code == 403 and "早于拟出境日期" in refused.text and 'value="2024-07-01"' in refused.text
    trips.fire_trip(travel.db, submitted_trip, "consult", actor_login="discipline1", today=TODAY, note="同意")
    trips.fire_trip(travel.db, submitted_trip, "approve", actor_login="cadre_city", today=TODAY, note="同意")
    assert f'href="{page}/edit"' not in cadre.client.get(page).text
    assert cadre.client.get(f"{page}/edit").status_code == 404
    late = cadre.post_form(f"{page}/edit", {**values, "version": "4", "reason": "旅游"}, token_from=page)
    assert late.status_code == 403 and "不能办理“修改申请”" in late.text and trip_rows(travel)[0].reason == "探亲"
