"""证件管理 · 证件's data entry over HTTP: a cadre supervisor records a document a person holds (through the
same service as `document add`), receives it into custody, checks it out only against an approved trip and
not too early (the refusal in Chinese), takes it back, and records a loss from the statement to the
revocation; each refusal names the field, keeps what was typed and changes nothing; numbers masked in the
listings; a person outside the subtree is the app's 404."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.uow import UnitOfWork
from models import CustodyEvent, Person, TravelDocument
from tests.web.travel.conftest import in_world, section

FORM = {"kind": "passport_private", "number": "ｅ 9876 5432", "issued_on": "2021-03-01", "expires_on": "2031-03-01",
        "issuing_authority": "市公安局出入境管理支队"}


def person_id(travel, number: str) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == number))


def documents_of(travel, number: str) -> list:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.execute(select(TravelDocument.__table__).join(Person, Person.id == TravelDocument.person_id)
                                   .where(Person.id_number == number)).all()


def custody_events(travel) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(func.count(CustodyEvent.id)))


def record(user, pid: int, **fields):
    return user.post_form(f"/travel/persons/{pid}/documents/new", {**FORM, **fields},
                          token_from=f"/travel/persons/{pid}/documents/new")


def step(user, document_id: int, trigger: str, **fields):
    version = user.client.get(f"/travel/documents/{document_id}").text.split('name="version" value="', 1)[1]
    return user.post_form(f"/travel/documents/{document_id}/custody",
                          {"trigger": trigger, "version": version.split('"', 1)[0], **fields},
                          token_from=f"/travel/documents/{document_id}")


def build_wang(travel) -> tuple[str, int]:
    """王五 of B1, filed in February, no document yet: (ID number, person id)."""
    number = travel.person("王五", registered_on=date(2024, 2, 1))
    return number, person_id(travel, number)


@pytest.fixture
def wang(built) -> tuple[str, int]:
    return built


pytestmark = in_world(build_wang)


@pytest.mark.reads_only
def test_the_persons_page_offers_recording_a_document_to_their_cadre_supervisor(browser_as, wang):
    assert f'href="/travel/persons/{wang[1]}/documents/new"' in browser_as("cadre1").client.get(
        f"/travel/persons/{wang[1]}").text
    officer = browser_as("discipline1")
    assert f"/travel/persons/{wang[1]}/documents/new" not in officer.client.get(f"/travel/persons/{wang[1]}").text
    assert officer.client.get(f"/travel/persons/{wang[1]}/documents/new").status_code == 404


def test_a_cadre_supervisor_records_a_passport_and_the_listings_mask_its_number(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    form = cadre.client.get(f"/travel/persons/{wang[1]}/documents/new").text
    assert "因私护照（普通护照）" in form and "签发机关" in form
    response = record(cadre, wang[1])
    assert response.status_code == 303, response.text
    [document] = documents_of(travel, wang[0])
    assert response.headers["location"] == f"/travel/documents/{document.id}"
    assert (document.kind, document.number, document.issued_on, document.expires_on, document.state) == (
        "passport_private", "E98765432", date(2021, 3, 1), date(2031, 3, 1), "held")
    assert document.issuing_authority == "市公安局出入境管理支队" and document.name_on_document == "王五"
    page = cadre.client.get(response.headers["location"]).text
    assert "已登记证件：因私护照（普通护照），本人持有，请办理收交保管" in page and 'data-testid="custody-receive"' in page
    for listing, testid in (("/travel/documents", "documents"), ("/travel/custody", "custody-gaps")):
        html = cadre.client.get(listing).text
        assert "E98765432" not in html and "E*****432" in section(html, testid)


@pytest.mark.parametrize("fields, words", [
    ({"kind": ""}, "请填写“证件类别”"),
    ({"kind": "visa"}, "未知证件类别 visa"),
    ({"number": ""}, "请填写“证件号码”"),
    ({"number": "E12"}, "证件号码应为 5 到 40 位字母或数字"),
    ({"issued_on": ""}, "请填写“签发日期”"),
    ({"issued_on": "2021-02-30"}, "签发日期格式应为"),
    ({"expires_on": "2021-03-01"}, "有效期至 2021-03-01 不晚于签发日期 2021-03-01"),
    ({"issued_on": "2024-06-20", "at": "2024-06-01"}, "签发日期 2024-06-20 晚于登记日期 2024-06-01"),
    ({"issuing_authority": "局" * 201}, "签发机关不能超过 200 个字符"),
])
@pytest.mark.reads_only
def test_a_refused_document_names_the_field_keeps_the_typing_and_records_nothing(browser_as, travel, wang, fields,
                                                                                 words):
    response = record(browser_as("cadre1"), wang[1], **fields)
    assert response.status_code in (400, 403), response.text
    assert words in response.text.split('data-testid="error"', 1)[1].split("</div>", 1)[0]
    typed = {**FORM, **fields}
    assert f'value="{typed["number"]}"' in response.text
    assert documents_of(travel, wang[0]) == [] and custody_events(travel) == 0


def test_a_number_already_recorded_is_refused_masked(browser_as, travel, wang):
    travel.document(wang[0], number="E98765432")
    response = record(browser_as("cadre1"), wang[1])
    assert response.status_code == 409 and "因私护照（普通护照） E*****432 已经登记" in response.text
    assert "E98765432" not in response.text.split('data-testid="conflict"', 1)[1].split("</div>", 1)[0]
    assert len(documents_of(travel, wang[0])) == 1


@pytest.mark.reads_only
def test_a_person_outside_the_subtree_is_the_apps_404_for_the_form_and_the_post(browser_as, travel, wang):
    other = browser_as("cadre2")
    assert other.client.get(f"/travel/persons/{wang[1]}/documents/new").status_code == 404
    posted = other.post_form(f"/travel/persons/{wang[1]}/documents/new", FORM, token_from="/travel/persons")
    assert posted.status_code == 404 and "王五" not in posted.text and documents_of(travel, wang[0]) == []


def test_the_passport_goes_into_custody_out_for_an_approved_trip_only_when_not_too_early_and_back(
        browser_as, travel, wang):
    cadre = browser_as("cadre1")
    record(cadre, wang[1])
    [document] = documents_of(travel, wang[0])
    assert step(cadre, document.id, "receive", kept_at="组织部保密柜").status_code == 303
    draft = travel.trip(wang[0], document.id, departure=date(2024, 7, 1), ret=date(2024, 7, 10),
                        on=date(2024, 6, 25), until="draft")
    page = cadre.client.get(f"/travel/documents/{document.id}").text
    assert 'data-testid="no-approved-trips"' in page  # a draft is not there to pick
    refused = step(cadre, document.id, "check_out", trip_id=str(draft))
    assert refused.status_code == 403 and "只能针对已批准且未领用证件的出行领用" in refused.text
    later = travel.trip(wang[0], document.id, departure=date(2024, 7, 20), ret=date(2024, 7, 30),
                        on=date(2024, 6, 25))
    early = step(cadre, document.id, "check_out", trip_id=str(later))
    assert early.status_code == 403 and "最早于出发前5天领用（2024-07-15 起）" in early.text
    assert f'<option value="{later}" selected' in early.text  # the pick is kept
    assert documents_of(travel, wang[0])[0].state == "in_custody"
    soon = travel.trip(wang[0], document.id, departure=date(2024, 7, 1), ret=date(2024, 7, 10),
                       on=date(2024, 6, 26))
    assert step(cadre, document.id, "check_out", trip_id=str(soon)).status_code == 303
    assert documents_of(travel, wang[0])[0].state == "checked_out"
    assert step(cadre, document.id, "return", kept_at="组织部保密柜").status_code == 303
    assert documents_of(travel, wang[0])[0].state == "in_custody"


def test_a_loss_is_reported_with_the_statement_verified_and_revoked(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    record(cadre, wang[1])
    [document] = documents_of(travel, wang[0])
    step(cadre, document.id, "receive")
    missing = step(cadre, document.id, "report_lost")
    assert missing.status_code == 400 and "须填写本人书面说明（加盖单位公章）" in missing.text
    assert step(cadre, document.id, "report_lost", note="本人书面说明，已盖章").status_code == 303
    assert step(cadre, document.id, "verify_loss", note="市公安局核实").status_code == 303
    assert step(cadre, document.id, "revoke", note="已注销").status_code == 303
    html = cadre.client.get(f"/travel/documents/{document.id}").text
    assert documents_of(travel, wang[0])[0].state == "revoked"
    history = section(html, "custody-history")
    assert "报失" in history and "核实挂失" in history and "注销" in history and "本人书面说明，已盖章" in history
