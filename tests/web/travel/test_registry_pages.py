"""证件管理 · 人员 over HTTP: the registry list with its filters and search, 应备尽备, a person's page by role,
registration steps through the same service as `person register|change|unregister` (refusals beside the form,
a stale version a conflict keeping the typing), and scope: a person outside the subtree is an unknown id."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Person, PersonEvent
from tests.web.travel.conftest import in_world, section


def person_id(travel, number: str) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == number))


def status_of(travel, number: str) -> str:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(Person.registration_status).where(Person.id_number == number))


def events_of(travel, number: str) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        pid = uow.session.scalar(select(Person.id).where(Person.id_number == number))
        return len(uow.session.scalars(select(PersonEvent.id).where(PersonEvent.person_id == pid)).all())


def build_people(travel):
    """王五 (B1) filed in February, 李四 (B1) never filed, 张三 (B3, the other committee) never filed."""
    wang = travel.person("王五", registered_on=date(2024, 2, 1))
    li = travel.person("李四", rank="township", person_type="township_leader")
    zhang = travel.person("张三", org="B3", actor="cadre2")
    travel.document(wang)
    return {"wang": wang, "li": li, "zhang": zhang}


pytestmark = in_world(build_people)


@pytest.fixture
def people(built):
    return built


@pytest.mark.reads_only
def test_the_nav_link_shows_to_travel_roles_and_party_secretaries_only_and_lands_each_on_their_desk(browser_as,
                                                                                                   people):
    for login, landing in (("cadre1", "/travel/persons"), ("discipline1", "/travel/trips"),
                           ("liaison1", "/travel/gaps"), ("admin1", "/travel/persons"),
                           ("officer1", "/travel/self-reports")):  # the 审核人 of 非公职党员's self-reports
        user = browser_as(login)
        assert 'data-testid="nav-travel"' in user.client.get("/queue").text
        assert user.client.get("/travel").headers["location"] == landing
    officer = browser_as("officer1")
    assert officer.client.get("/travel/persons").status_code == 404
    supervisor = browser_as("supervisor1")
    assert 'data-testid="nav-travel"' not in supervisor.client.get("/queue").text
    assert supervisor.client.get("/travel").status_code == 404


@pytest.mark.reads_only
def test_a_cadre_supervisor_lists_the_subtree_masked_in_chinese(browser_as, people):
    html = browser_as("cadre1").client.get("/travel/persons").text
    listing = html.split('data-testid="persons"', 1)[1]
    assert "王五" in listing and "李四" in listing and "张三" not in listing  # B3 is the other committee's
    assert people["wang"][-4:] in listing and people["wang"] not in html
    assert "已备案" in listing and "未备案" in listing and "县处级" in listing and "第一党支部" in listing
    assert "registered" not in re.sub(r'data-status="\w+"', "", listing)  # ids only in attributes


@pytest.mark.reads_only
def test_the_status_filter_and_the_posted_search(browser_as, people):
    cadre = browser_as("cadre1")
    filtered = cadre.client.get("/travel/persons?status=unregistered").text.split('data-testid="persons"', 1)[1]
    assert "李四" in filtered and "王五" not in filtered
    by_name = cadre.post_form("/travel/persons", {"q": "王"}, token_from="/travel/persons").text
    assert "王五" in by_name.split('data-testid="persons"', 1)[1] and "共 1 人" in by_name
    by_digits = cadre.post_form("/travel/persons", {"q": people["li"][-4:]}, token_from="/travel/persons").text
    assert "李四" in by_digits.split('data-testid="persons"', 1)[1] and "共 1 人" in by_digits
    assert cadre.client.get("/travel/persons?status=bogus").status_code == 400


@pytest.mark.reads_only
def test_the_gaps_page_lists_who_should_be_filed_and_is_not(browser_as, people):
    html = browser_as("liaison1").client.get("/travel/gaps").text
    listing = html.split('data-testid="persons"', 1)[1]
    assert "李四" in listing and "张三" in listing and "王五" not in listing
    assert "县处级" not in listing  # the liaison reads registration status only


@pytest.mark.reads_only
def test_the_person_page_shows_record_history_documents_to_the_cadre_supervisor(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    html = browser_as("cadre1").client.get(f"/travel/persons/{pid}").text
    assert people["wang"] in section(html, "person-record")  # their own cadre supervisor: in full
    history = section(html, "person-history")
    assert "登记" in history and "备案" in history and "赵干部" in history and "cadre1" not in history
    assert "因私护照（普通护照）" in section(html, "person-documents")
    assert "本人持有（未交）" in section(html, "person-documents")
    actions = section(html, "registration-actions")
    assert "变更备案" in actions and "撤销备案" in actions and 'name="version" value="2"' in actions


@pytest.mark.reads_only
def test_a_discipline_officer_sees_the_person_masked_and_without_the_form(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    html = browser_as("discipline1").client.get(f"/travel/persons/{pid}").text
    assert people["wang"] not in html and people["wang"][-4:] in section(html, "person-record")
    assert 'data-testid="registration-form"' not in html


@pytest.mark.reads_only
def test_a_person_outside_the_subtree_is_answered_as_an_unknown_id(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    other = browser_as("cadre2")
    outside, unknown = other.client.get(f"/travel/persons/{pid}"), other.client.get("/travel/persons/999999")
    assert outside.status_code == unknown.status_code == 404
    assert f"未知人员编号 {pid}（或不在您的管理范围内）" in outside.text
    assert "未知人员编号 999999（或不在您的管理范围内）" in unknown.text
    assert "王五" not in outside.text
    posted = other.post_form(f"/travel/persons/{pid}/registration", {"trigger": "revoke", "note": "调离"},
                             token_from="/travel/persons")
    assert posted.status_code == 404 and status_of(travel, people["wang"]) == "registered"


def test_a_cadre_supervisor_files_a_person_and_the_page_says_so(browser_as, travel, people):
    pid = person_id(travel, people["li"])
    cadre = browser_as("cadre1")
    response = cadre.post_form(f"/travel/persons/{pid}/registration", {"trigger": "register", "version": "1"},
                               token_from=f"/travel/persons/{pid}")
    assert response.status_code == 303 and response.headers["location"] == f"/travel/persons/{pid}"
    html = cadre.client.get(f"/travel/persons/{pid}").text
    assert "已办理备案，备案状态：已备案" in html and status_of(travel, people["li"]) == "registered"


@pytest.mark.reads_only
def test_a_revocation_without_a_reason_is_refused_beside_the_form_and_changes_nothing(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    before = events_of(travel, people["wang"])
    response = browser_as("cadre1").post_form(f"/travel/persons/{pid}/registration",
                                              {"trigger": "revoke", "version": "2"},
                                              token_from=f"/travel/persons/{pid}")
    assert response.status_code == 400
    assert "须填写原因" in section(response.text, "registration-actions")
    assert status_of(travel, people["wang"]) == "registered" and events_of(travel, people["wang"]) == before


@pytest.mark.reads_only
def test_a_stale_version_is_a_conflict_that_keeps_the_typed_note(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    response = browser_as("cadre1").post_form(f"/travel/persons/{pid}/registration",
                                              {"trigger": "revoke", "version": "1", "note": "调离本市"},
                                              token_from=f"/travel/persons/{pid}")
    assert response.status_code == 409
    actions = section(response.text, "registration-actions")
    assert "操作冲突" in actions and "调离本市" in actions
    assert 'name="version" value="2"' in actions  # acting again is on the person as they now are
    assert status_of(travel, people["wang"]) == "registered"


@pytest.mark.reads_only
def test_a_reader_who_may_not_act_is_refused_in_words(browser_as, travel, people):
    pid = person_id(travel, people["li"])
    response = browser_as("discipline1").post_form(f"/travel/persons/{pid}/registration", {"trigger": "register"},
                                                   token_from=f"/travel/persons/{pid}")
    assert response.status_code == 403 and "干部监督" in response.text
    assert status_of(travel, people["li"]) == "unregistered"


@pytest.mark.reads_only
def test_a_post_without_the_csrf_token_is_rejected(browser_as, travel, people):
    pid = person_id(travel, people["li"])
    response = browser_as("cadre1").client.post(f"/travel/persons/{pid}/registration", data={"trigger": "register"})
    assert response.status_code == 403 and status_of(travel, people["li"]) == "unregistered"


def test_a_change_is_marked_with_its_note_and_then_refiled(browser_as, travel, people):
    pid = person_id(travel, people["wang"])
    cadre = browser_as("cadre1")
    path = f"/travel/persons/{pid}/registration"
    assert cadre.post_form(path, {"trigger": "change", "note": "职务调整"}, token_from="/travel/persons").status_code == 303
    assert status_of(travel, people["wang"]) == "changed"
    assert "职务调整" in section(cadre.client.get(f"/travel/persons/{pid}").text, "person-history")
    assert cadre.post_form(path, {"trigger": "register"}, token_from="/travel/persons").status_code == 303
    assert status_of(travel, people["wang"]) == "registered"


@pytest.mark.reads_only
def test_the_liaison_sees_only_the_tabs_of_registration_status(browser_as, people):
    tabs = browser_as("liaison1").client.get("/travel/gaps").text.split('data-testid="travel-tabs"', 1)[1]
    tabs = tabs.split("</nav>", 1)[0]
    assert "应备尽备" in tabs and "问题" in tabs and "证件保管" not in tabs and "出行审批" not in tabs
