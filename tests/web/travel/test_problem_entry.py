"""问题 recorded by hand in the browser: the exit-entry liaison records a Q1–Q3 on a person of its subtree by their
ID number, with the evidence; it then goes the way of every problem (verified — self-corrected or not — handled
with measures, or dismissed with a reason). A cadre supervisor runs the automatic checks from the same page.
Refusals name the field, keep the typing and record nothing; the same evidence twice is a conflict; a person
outside the subtree is answered as an unknown ID number, masked."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.uow import UnitOfWork
from models import Problem
from tests.web.travel.conftest import in_world, section

PAGE = "/travel/problems"


def build_wang(travel) -> str:
    return travel.person("王五", registered_on=date(2024, 2, 1))


@pytest.fixture
def wang(built) -> str:
    return built


pytestmark = in_world(build_wang)


def problems(travel, kind: str | None = None) -> int:
    with UnitOfWork(travel.db, write=False) as uow:
        query = select(func.count()).select_from(Problem)
        return uow.session.scalar(query.where(Problem.kind == kind) if kind else query)


def record(user, **fields):
    return user.post_form(f"{PAGE}/record", fields, token_from=PAGE)


def test_the_liaison_records_a_q1_which_then_is_verified_and_handled(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    assert "录入公安机关核查发现的问题" in section(liaison.client.get(PAGE).text, "problem-entry")
    response = record(liaison, id_number=wang, kind="Q1", evidence="持伪造护照出境，公安机关已查获", at="2024-06-01")
    assert response.status_code == 303
    path = response.headers["location"]
    html = liaison.client.get(path).text
    assert "已录入问题" in html and "弄虚作假" in html and "持伪造护照出境" in html
    assert wang not in html and wang[:6] + "********" + wang[-4:] in html
    assert liaison.post_form(f"{path}/fire", {"trigger": "verify", "version": "1", "self_corrected": "yes"},
                             token_from=path).status_code == 303
    assert "自行纠正</dt><dd>是" in section(liaison.client.get(path).text, "problem-record")
    cadre = browser_as("cadre1")
    done = cadre.client.post(f"{path}/fire", data={"csrf_token": cadre.csrf(path), "trigger": "handle",
                                                   "version": "2", "measure": ["criticism", "referral_discipline"]})
    assert done.status_code == 303
    assert "批评教育、移交纪检监察机关" in section(cadre.client.get(path).text, "problem-record")


@pytest.mark.parametrize("fields, words", [
    ({"kind": "Q1", "evidence": "x"}, "请填写“身份证号”"),
    ({"evidence": "伪造证件"}, "请选择“问题类别”"),
    ({"kind": "P1", "evidence": "伪造证件"}, "请选择“问题类别”"),
    ({"kind": "Q2", "evidence": ""}, "请填写“问题情况”"),
    ({"kind": "Q2", "evidence": "伪造证件", "at": "2024-6-1"}, "发现日期格式应为“年-月-日”"),
    ({"kind": "Q2", "evidence": "伪造证件", "at": "2024-07-01"}, "晚于今天")])
@pytest.mark.reads_only
def test_a_refused_record_names_the_field_keeps_the_typing_and_records_nothing(browser_as, travel, wang, fields,
                                                                               words):
    liaison = browser_as("liaison1")
    response = record(liaison, **({"id_number": wang} if "id_number" not in fields and words != "请填写“身份证号”"
                                  else {}), **fields)
    assert response.status_code in (400, 403)
    entry = section(response.text, "problem-entry")
    assert words in entry and "未能办理" in entry
    if fields.get("evidence"):
        assert fields["evidence"] in entry
    assert problems(travel) == 0


def test_an_unknown_or_outside_person_is_answered_alike_and_masked(browser_as, travel):
    city = travel.person("钱七", org="410400", actor="cadre_city")  # outside the liaison's county
    liaison = browser_as("liaison1")
    outside = record(liaison, id_number=city, kind="Q3", evidence="擅自出具证明")
    assert outside.status_code == 400
    assert "未知人员（身份证号 " + city[:6] + "********" + city[-4:] + "）或不在您的管理范围内" in outside.text
    assert "钱七" not in outside.text.split('data-testid="problem-entry"', 1)[1].split("</section>")[0]
    assert problems(travel) == 0


def test_the_same_evidence_twice_on_a_day_is_a_conflict(browser_as, travel, wang):
    liaison = browser_as("liaison1")
    assert record(liaison, id_number=wang, kind="Q2", evidence="未经审批为其办证").status_code == 303
    again = record(liaison, id_number=wang, kind="Q2", evidence="未经审批为其办证")
    assert again.status_code == 409 and "同一问题已经录入" in again.text and problems(travel) == 1


@pytest.mark.reads_only
def test_a_cadre_supervisor_gets_no_record_form_and_is_refused_if_posting(browser_as, travel, wang):
    cadre = browser_as("cadre1")
    assert "录入公安机关核查发现的问题" not in cadre.client.get(PAGE).text
    refused = record(cadre, id_number=wang, kind="Q1", evidence="伪造证件")
    assert refused.status_code == 403 and "公安出入境管理部门联络员录入" in refused.text and problems(travel) == 0


def test_a_cadre_supervisor_runs_the_checks_and_a_second_run_finds_nothing_new(browser_as, travel, wang):
    travel.document(wang)  # a private passport still held long past its hand-in day: P2
    cadre = browser_as("cadre1")
    assert 'data-testid="run-checks"' in cadre.client.get(PAGE).text
    first = cadre.post_form(f"{PAGE}/checks", {}, token_from=PAGE)
    assert first.status_code == 303
    html = cadre.client.get(PAGE).text
    assert "违规持有因私出国（境）证件 1 个" in html and problems(travel, "P2") == 1
    cadre.post_form(f"{PAGE}/checks", {}, token_from=PAGE)
    assert "没有新发现的问题" in cadre.client.get(PAGE).text and problems(travel, "P2") == 1


def test_the_liaison_may_not_run_the_checks(browser_as, travel, wang):
    travel.document(wang)
    liaison = browser_as("liaison1")
    assert 'data-testid="run-checks"' not in liaison.client.get(PAGE).text
    refused = liaison.post_form(f"{PAGE}/checks", {}, token_from=PAGE)
    assert refused.status_code == 403 and "运行检查须由干部监督" in refused.text and problems(travel) == 0
