"""证件管理 · 人员's data entry over HTTP: a cadre supervisor records a person (the ID number checked as the
importer checks it, the roster's member linked) and edits one at the version read, through the same services
as `person add|edit`; each refusal names the field in Chinese, keeps what was typed and changes nothing; a
person outside the subtree, or a reader who is not their cadre supervisor, gets the app's 404."""
from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lostcontact.services.travel import persons
from lostcontact.uow import UnitOfWork
from models import Person, PersonEvent
from tests.builders import make_id_number
from tests.web.travel.conftest import TODAY, in_world, section

NEW_NUMBER = make_id_number(901)


def row_of(travel, number: str):
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.execute(select(Person.__table__).where(Person.id_number == number)).first()


def person_count(travel) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(func.count(Person.id)))


def event_count(travel) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        return uow.session.scalar(select(func.count(PersonEvent.id)))


def add(user, **fields):
    data = {"id_number": NEW_NUMBER, "name": "郑六", "org": "B1", "rank": "county",
            "person_type": "county_level_serving", "work_unit": "区发改委", "post": "副主任", **fields}
    return user.post_form("/travel/persons/new", data, token_from="/travel/persons/new")


def edit_form_values(user, person_id: int) -> dict:
    return form_values(user.client.get(f"/travel/persons/{person_id}/edit").text)


def form_values(html: str) -> dict:
    """What the person form holds: every input and selected option, hidden ones included (not the token)."""
    form = html.split('data-testid="person-form"', 1)[1].split("</form>", 1)[0]
    values = dict(re.findall(r'<input type="(?:hidden|text|date)" name="([a-z_]+)"[^>]*?value="([^"]*)"', form))
    for name, options in re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        values[name] = chosen.group(1) if chosen else ""
    values.pop("csrf_token", None)
    return values


def build_wang(travel) -> tuple[str, int]:
    """王五 of B1, filed in February: (ID number, person id)."""
    number = travel.person("王五", registered_on=date(2024, 2, 1), work_unit="区财政局", post="局长")
    return number, row_of(travel, number).id


@pytest.fixture
def wang(built) -> tuple[str, int]:
    return built


@pytest.mark.reads_only
def test_the_persons_list_offers_recording_a_person_to_cadre_supervisors_only(browser_as, travel):
    assert 'href="/travel/persons/new"' in browser_as("cadre1").client.get("/travel/persons").text
    for login in ("discipline1", "liaison1"):
        user = browser_as(login)
        assert 'href="/travel/persons/new"' not in user.client.get("/travel/persons").text
        assert user.client.get("/travel/persons/new").status_code == 404


def test_a_cadre_supervisor_records_a_person_who_is_linked_to_the_roster(browser_as, travel):
    travel.world.add_member("郑六", branch="B1", serial=901)
    cadre = browser_as("cadre1")
    form = cadre.client.get("/travel/persons/new").text
    assert '<option value="B1">' in form and "县处级" in form and "无（不需备案）" in form
    response = add(cadre, id_number=NEW_NUMBER.lower(), authority="区委组织部")
    assert response.status_code == 303, response.text
    person = row_of(travel, NEW_NUMBER)
    assert response.headers["location"] == f"/travel/persons/{person.id}"
    assert (person.name, person.rank, person.person_type, person.work_unit, person.post, person.authority) == (
        "郑六", "county", "county_level_serving", "区发改委", "副主任", "区委组织部")
    assert person.registration_status == "unregistered" and person.member_id is not None
    html = cadre.client.get(response.headers["location"]).text
    assert f"已登记人员 {NEW_NUMBER[:6]}" in html and "已关联" in section(html, "person-record")


@pytest.mark.parametrize("fields, words", [
    ({"id_number": NEW_NUMBER[:-1] + ("0" if NEW_NUMBER[-1] != "0" else "1")}, "身份证号校验位错误"),
    ({"id_number": "41040219800101"}, "身份证号应为18位"),
    ({"id_number": ""}, "请填写“身份证号”"),
    ({"name": " "}, "请填写“姓名”"),
    ({"rank": ""}, "请填写“职级”"),
    ({"rank": "duke"}, "未知职级 duke"),
    ({"org": "B3"}, "组织代码 B3 不存在或不在您的管理范围内"),
    ({"authority": "部" * 201}, "人事主管部门不能超过 200 个字符"),
    ({"at": "2024-13-01"}, "登记日期格式应为"),
])
@pytest.mark.reads_only
def test_a_refused_person_names_the_field_keeps_the_typing_and_records_nothing(browser_as, travel, fields, words):
    cadre = browser_as("cadre1")
    before = (person_count(travel), event_count(travel))
    response = add(cadre, **fields)
    assert response.status_code in (400, 403), response.text
    alert = section(response.text.replace("</div>", "</section>", 1), "error")
    assert words in alert
    assert 'value="区发改委"' in response.text and 'value="副主任"' in response.text
    assert (person_count(travel), event_count(travel)) == before


@in_world(build_wang)
def test_a_person_already_recorded_is_refused_with_the_number_masked(browser_as, travel, wang):
    response = add(browser_as("cadre1"), id_number=wang[0])
    assert response.status_code == 403
    assert "已有人员记录" in response.text and f"{wang[0][:6]}********{wang[0][-4:]}" in response.text
    assert person_count(travel) == 1


@in_world(build_wang)
def test_the_edit_form_changes_rank_unit_post_and_type_and_a_filed_person_awaits_refiling(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    values = edit_form_values(cadre, wang[1])
    assert values["was_post"] == values["post"] == "局长" and values["version"] == "2"
    values.update(rank="bureau", work_unit="市财政局", post="副局长", person_type="bureau_level_retired")
    response = cadre.post_form(f"/travel/persons/{wang[1]}/edit", values, token_from=f"/travel/persons/{wang[1]}")
    assert response.status_code == 303, response.text
    person = row_of(travel, wang[0])
    assert (person.rank, person.work_unit, person.post, person.person_type) == (
        "bureau", "市财政局", "副局长", "bureau_level_retired")
    assert person.registration_status == "changed" and person.version == 3
    html = cadre.client.get(f"/travel/persons/{wang[1]}").text
    assert "已修改人员信息，备案状态：变更备案" in html
    assert "单位、职务或人事主管部门变更，须重新备案" in section(html, "person-history")


@in_world(build_wang)
def test_an_edit_after_someone_elses_is_a_conflict_keeping_the_typing_and_a_second_try_applies_only_mine(
        browser_as, travel, wang):
    cadre = browser_as("cadre1")
    values = edit_form_values(cadre, wang[1])
    persons.edit_person(travel.db, wang[0], actor_login="cadre_city", today=TODAY, authority="市委组织部")
    values.update(post="副局长")
    response = cadre.post_form(f"/travel/persons/{wang[1]}/edit", values, token_from=f"/travel/persons/{wang[1]}")
    assert response.status_code == 409
    assert "该人员信息已被他人修改，请刷新后重试" in section(response.text.replace("</div>", "</section>", 1), "conflict")
    assert 'value="副局长"' in response.text and row_of(travel, wang[0]).post == "局长"
    again = form_values(response.text)
    assert again["version"] == "3" and again["was_post"] == "局长"
    response = cadre.post_form(f"/travel/persons/{wang[1]}/edit", again, token_from=f"/travel/persons/{wang[1]}")
    assert response.status_code == 303, response.text
    person = row_of(travel, wang[0])
    assert (person.post, person.authority) == ("副局长", "市委组织部")  # the other user's change stands


@pytest.mark.parametrize("change, words", [
    ({}, "没有要修改的内容"),
    ({"name": ""}, "“姓名”是必填项，不能清空"),
    ({"person_type": ""}, "已备案人员的“登记备案人员类别”不能清空"),
    ({"rank": "duke"}, "未知职级 duke"),
    ({"org": "B3"}, "组织代码 B3 不存在或不在您的管理范围内"),
])
@pytest.mark.reads_only
@in_world(build_wang)
def test_a_refused_edit_changes_nothing(browser_as, travel, wang, change, words):
    cadre = browser_as("cadre1")
    values = {**edit_form_values(cadre, wang[1]), **change}
    before = event_count(travel)
    response = cadre.post_form(f"/travel/persons/{wang[1]}/edit", values, token_from=f"/travel/persons/{wang[1]}")
    assert response.status_code in (400, 403)
    assert words in response.text
    assert event_count(travel) == before and row_of(travel, wang[0]).version == 2


@in_world(build_wang)
def test_an_emptied_optional_field_is_cleared_and_a_filed_person_awaits_refiling(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    values = {**edit_form_values(cadre, wang[1]), "post": ""}
    response = cadre.post_form(f"/travel/persons/{wang[1]}/edit", values, token_from=f"/travel/persons/{wang[1]}")
    assert response.status_code == 303, response.text
    person = row_of(travel, wang[0])
    assert (person.post, person.work_unit, person.registration_status) == (None, "区财政局", "changed")
    assert "选填项清空后保存即删除原填写内容" in cadre.client.get(f"/travel/persons/{wang[1]}/edit").text


@in_world(build_wang)
def test_only_the_persons_cadre_supervisor_may_open_or_post_the_edit(browser_as, travel, wang):
    outsider = travel.person("张三", org="B3", actor="cadre2")
    cadre = browser_as("cadre1")
    outside_id = row_of(travel, outsider).id
    unknown = cadre.client.get("/travel/persons/99999/edit")
    outside = cadre.client.get(f"/travel/persons/{outside_id}/edit")
    assert unknown.status_code == outside.status_code == 404
    assert "未知人员编号 99999（或不在您的管理范围内）" in unknown.text
    assert f"未知人员编号 {outside_id}（或不在您的管理范围内）" in outside.text and "张三" not in outside.text
    posted = cadre.post_form(f"/travel/persons/{outside_id}/edit", {"post": "主任", "version": "1"},
                             token_from="/travel/persons")
    assert posted.status_code == 404 and row_of(travel, outsider).post is None
    officer = browser_as("discipline1")  # reads 王五, is not his cadre supervisor
    assert officer.client.get(f"/travel/persons/{wang[1]}/edit").status_code == 404
    assert 'href="/travel/persons/%d/edit"' % wang[1] not in officer.client.get(f"/travel/persons/{wang[1]}").text


@pytest.mark.reads_only
def test_a_form_without_the_csrf_token_is_refused(browser_as, travel):
    cadre = browser_as("cadre1")
    response = cadre.client.post("/travel/persons/new", data={"id_number": NEW_NUMBER, "name": "郑六", "org": "B1",
                                                              "rank": "county"})
    assert response.status_code == 403 and person_count(travel) == 0


def test_the_persons_list_masks_the_recorded_number(browser_as, travel):
    add(browser_as("cadre1"))
    html = browser_as("cadre1").client.get("/travel/persons").text
    assert NEW_NUMBER not in html and NEW_NUMBER[-4:] in section(html, "persons")


TYPED = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(id_number=st.one_of(TYPED, st.just(NEW_NUMBER)), name=TYPED, post=TYPED,
       rank=st.sampled_from(["county", "staff", "", "duke"]))
def test_whatever_is_typed_a_person_is_recorded_whole_or_not_at_all(browser_as, travel, id_number, name, post, rank):
    """Never a traceback: the form is recorded (one person, one history record) or refused with nothing written."""
    before = (person_count(travel), event_count(travel))
    response = add(browser_as("cadre1"), id_number=id_number, name=name, post=post, rank=rank)
    assert response.status_code in (303, 400, 403, 409), response.text
    grown = 1 if response.status_code == 303 else 0
    assert (person_count(travel), event_count(travel)) == (before[0] + grown, before[1] + grown)
    if grown:
        with UnitOfWork(travel.db) as uow:  # the next example starts from the same registry
            uow.session.execute(PersonEvent.__table__.delete())
            uow.session.execute(Person.__table__.delete())
            uow.commit()
