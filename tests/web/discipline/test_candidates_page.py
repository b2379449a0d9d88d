"""纪检登记's landing over HTTP: the candidates of the officer's subtree as of a day with their last contact and
with whom; each with the form that records the failed re-contact and makes the entry through the same service
as `discipline add`; its refusals in Chinese beside the form with what was typed kept, nothing kept; a person
outside the subtree answered as an unknown one; the pages not there at all for users who do not read the
register."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.queries.discipline import list_entries
from tests.web.conftest import without_token
from tests.web.discipline.conftest import TODAY, person_id_of, section

ENTRY = {"category": "lost", "since_on": "2024-01-02", "recontact_on": "2024-06-01",
         "recontact_note": "电话停机，走访住所无人", "at": ""}


def entries(register, login="discipline1"):
    return list_entries(register.db, actor_login=login, today=TODAY)


def post_entry(user, register, number, **changes):
    data = {**ENTRY, "person_id": str(person_id_of(register, number)), "as_of": "", "org": "", **changes}
    return user.post_form("/discipline/entries", data, token_from="/discipline")


@pytest.mark.reads_only
def test_the_officer_sees_the_candidates_with_their_last_contact_and_with_whom(browser_as, register):
    html = browser_as("discipline1").client.get("/discipline").text
    listed = html.split('data-testid="candidates"', 1)[1].split("</ul>", 1)[0]
    assert "张三" in listed and "李四" in listed and "2024-01-02" in listed and "与单位" in listed
    assert register.zhang not in html and register.li not in html and register.zhang[-4:] in listed  # masked


@pytest.mark.reads_only
def test_a_discipline_officer_of_one_subtree_sees_its_candidates_only(browser_as, register):
    officer = browser_as("discipline2")
    html = officer.client.get("/discipline").text
    assert "李四" in html and "张三" not in html
    outside, unknown = officer.client.get("/discipline?org=C1"), officer.client.get("/discipline?org=NOSUCH")
    assert outside.status_code == unknown.status_code == 404
    assert "组织代码 C1 不存在或不在您的管理范围内" in outside.text and "张三" not in outside.text
    narrowed = browser_as("discipline1").client.get("/discipline?org=C2").text
    assert "李四" in narrowed and "张三" not in narrowed


@pytest.mark.reads_only
def test_the_candidates_as_of_a_past_day(browser_as, register):
    officer = browser_as("discipline1")
    assert 'data-testid="no-candidates"' in officer.client.get("/discipline?as_of=2024-04-02").text
    assert "张三" in officer.client.get("/discipline?as_of=2024-04-03").text


@pytest.mark.reads_only
def test_a_malformed_or_future_day_is_a_chinese_error(browser_as, register):
    officer = browser_as("discipline1")
    bad = officer.client.get("/discipline?as_of=2024-13-01")
    assert bad.status_code == 400 and "截至日期格式应为“年-月-日”" in bad.text
    future = officer.client.get("/discipline?as_of=2024-07-01")
    assert future.status_code == 403 and "晚于今天" in future.text


def test_recording_the_failed_re_contact_makes_the_entry(browser_as, register):
    officer = browser_as("discipline1")
    made = post_entry(officer, register, register.zhang)
    assert made.status_code == 303
    [entry] = entries(register)
    assert made.headers["location"] == f"/discipline/entries/{entry['id']}"
    assert (entry["category"], entry["state"], entry["recontact_on"]) == ("lost", "open", "2024-06-01")
    page = officer.client.get(made.headers["location"])
    assert f"已登记为失联（第 {entry['id']} 号）" in page.text and "电话停机，走访住所无人" in page.text
    assert "张三" not in section(officer.client.get("/discipline").text, "page-title")  # no longer a candidate
    assert 'data-person="%d"' % person_id_of(register, register.zhang) not in officer.client.get("/discipline").text


def test_no_entry_without_the_re_contact_recorded(browser_as, register):
    officer = browser_as("discipline1")
    refused = post_entry(officer, register, register.zhang, recontact_note="  ", remarks="先记下")
    assert refused.status_code == 400
    form = refused.text.split(f'data-testid="add-{person_id_of(register, register.zhang)}"', 1)[1].split("</details>")[0]
    assert "须记录再次联系的情况：经再次联系仍然无法取得联系才能登记" in form and "--recontact" not in form
    assert "--" not in form and "先记下" in form and 'value="2024-06-01"' in form   # typed, kept
    assert entries(register) == []


def test_a_lost_entry_needs_the_threshold_s_months_without_contact(browser_as, register):
    officer = browser_as("discipline1")
    early = post_entry(officer, register, register.zhang, since_on="2024-04-01")
    assert early.status_code == 403 and "失联须连续3个月以上与所在党组织或单位失去联系" in early.text
    contacted = post_entry(officer, register, register.zhang, since_on="2023-12-31")
    assert contacted.status_code == 403 and "该人员 2024-01-02 还有联系记录，晚于所填失联时间 2023-12-31" in contacted.text
    assert entries(register) == []


def test_one_open_entry_per_person_and_category(browser_as, register):
    officer = browser_as("discipline1")
    assert post_entry(officer, register, register.zhang, category="absconded", region="广东").status_code == 303
    again = post_entry(officer, register, register.zhang, category="absconded", region="海南")
    assert again.status_code == 403 and "该人员已有在册的出走登记" in again.text and "海南" in again.text
    assert len(entries(register)) == 1


def test_a_fled_entry_needs_its_case_and_keeps_what_was_typed(browser_as, register):
    officer = browser_as("discipline1")
    refused = post_entry(officer, register, register.zhang, category="fled", since_on="2024-02-01",
                         documents_held="因私护照 E12345678", whereabouts="abroad")
    assert refused.status_code == 400
    assert "外逃须写明立案单位和立案时间：外逃指立案后失去联系" in refused.text and "--case" not in refused.text
    assert "因私护照 E12345678" in refused.text and entries(register) == []
    late = post_entry(officer, register, register.zhang, category="fled", since_on="2024-02-01",
                      whereabouts="abroad", case_filed_by="市纪委监委", case_filed_on="2024-03-01")
    assert late.status_code == 403 and "立案时间 2024-03-01 晚于外逃时间 2024-02-01" in late.text


def test_a_fled_person_typed_by_id_number_with_the_form_s_fields(browser_as, register):
    officer = browser_as("discipline1")
    made = officer.post_form("/discipline/entries", {
        "id_number": register.li, "category": "fled", "since_on": "2024-05-01", "recontact_on": "2024-05-10",
        "recontact_note": "多方联系未果", "whereabouts": "abroad", "place": "泰国曼谷", "case_filed_by": "市纪委监委",
        "case_filed_on": "2024-04-20", "suspected_offence": "受贿罪", "amount_wan": "120.5",
        "documents_held": "因私护照", "disciplined": "no", "region": "只用于出走"}, token_from="/discipline")
    assert made.status_code == 303
    html = officer.client.get(made.headers["location"]).text
    record = section(html, "entry-record")
    assert "国（境）外（泰国曼谷）" in record and "市纪委监委，2024-04-20" in record and "120.50 万元" in record
    assert "受贿罪" in record and "只用于出走" not in html and register.li not in html


@pytest.mark.reads_only
def test_the_category_s_own_fields_are_in_the_form(browser_as, register):
    form = browser_as("discipline1").client.get("/discipline").text.split('data-testid="add-other"', 1)[1]
    for label in ("再次联系日期", "再次联系情况", "失联", "外逃", "出走", "立案单位", "立案时间", "国（境）外",
                  "外逃所持证照信息", "涉嫌罪名", "涉案金额（万元）", "所属地区", "登记日期（补录时填写）"):
        assert label in form, label


def test_a_person_outside_the_subtree_is_an_unknown_person(browser_as, register):
    officer = browser_as("discipline2")
    outside = post_entry(officer, register, register.zhang)
    unknown = officer.post_form("/discipline/entries", {**ENTRY, "person_id": "999999"}, token_from="/discipline")
    assert outside.status_code == unknown.status_code == 404
    number = person_id_of(register, register.zhang)
    assert without_token(outside.text.replace(f"编号 {number}（", "编号 N（").replace(f"person {number} ", "person N ")) \
        == without_token(unknown.text.replace("编号 999999（", "编号 N（").replace("person 999999 ", "person N "))
    typed = officer.post_form("/discipline/entries", {**ENTRY, "id_number": register.zhang}, token_from="/discipline")
    assert "未知人员" in typed.text and entries(register, "discipline1") == []


@pytest.mark.reads_only
def test_a_reading_admin_sees_the_candidates_but_no_form(browser_as, register):
    html = browser_as("admin1").client.get("/discipline").text
    assert "张三" in html and "entry-form" not in html


@pytest.mark.reads_only
@pytest.mark.parametrize("path", ["/discipline", "/discipline/entries", "/discipline/entries/1", "/discipline/risk",
                                  "/discipline/forms", "/discipline/forms/summary"])
def test_users_who_do_not_read_the_register_find_no_such_pages(browser_as, register, path):
    for login in ("officer1", "cadre1"):
        response = browser_as(login).client.get(path)
        assert response.status_code == 404 and "页面不存在" in response.text


@pytest.mark.reads_only
def test_the_menu_links_the_register_for_its_readers_only(browser_as, register):
    assert 'data-testid="nav-discipline"' in browser_as("discipline1").client.get("/queue").text
    assert 'data-testid="nav-discipline"' in browser_as("admin1").client.get("/queue").text
    assert 'data-testid="nav-discipline"' not in browser_as("cadre1").client.get("/queue").text
    assert 'data-testid="nav-discipline"' not in browser_as("officer1").client.get("/queue").text


def test_a_post_from_someone_else_is_not_found_and_changes_nothing(browser_as, register):
    response = post_entry(browser_as("cadre1"), register, register.zhang)
    assert response.status_code == 404 and entries(register) == []


def test_the_entry_day_may_be_a_paper_record_s(browser_as, register):
    made = post_entry(browser_as("discipline1"), register, register.zhang, at="2024-06-05")
    assert made.status_code == 303 and entries(register)[0]["opened_on"] == date(2024, 6, 5).isoformat()
