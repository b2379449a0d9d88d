"""党员信息 over HTTP: every section with real data, the ID number by role, a member outside my subtree
answered exactly as an unknown one, and recording a contact through the same service as `contact add`."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.services.members import add_contact
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import ContactEvent, Member
from tests.web.conftest import TODAY
from workflows.orchestration import run_in_process

EARLY_SWEEP = date(2016, 3, 2)


def member_id_of(world, name: str) -> int:
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(Member.id).where(Member.name == name))


def member_row(world, name: str) -> Member:
    with UnitOfWork(world.db, write=False) as uow:
        member = uow.session.scalar(select(Member).where(Member.name == name))
        uow.session.expunge(member)
        return member


def contact_count(world, member_id: int) -> int:
    with UnitOfWork(world.db, write=False) as uow:
        return uow.session.scalar(select(func.count()).select_from(ContactEvent)
                                  .where(ContactEvent.member_id == member_id))


def section(html: str, testid: str) -> str:
    """The HTML of the element carrying data-testid=testid, up to the end of its section."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def with_wang(world) -> None:
    """王芳 of B1: a probationary, mobile, “pocket” member lost since August 2015 whose case the sweep
    opened in March (long overdue by June), with contacts recorded by a named officer and by an admin."""
    add_user(world.db, "officer1", role="branch_officer", org_code="B1", name="李书记")
    world.add_member("王芳", branch="B1", standing="probationary", join=date(2015, 1, 10),
                     last_contact=date(2015, 8, 20), sex="F", birth_date=date(1990, 3, 4), phone="13800138000",
                     occupation=3, mobile=True, flow_direction=4, flow_reason="外出务工",
                     flow_card_no="LD-2015-07", receiving_unit="深圳市某电子厂党委", away_since=date(2015, 8, 1),
                     reported=False, transfer_out_date=date(2015, 9, 1), receipt_returned=False,
                     receiving_org="深圳市某街道党工委", serial=301)
    id_number = world.members["王芳"]
    add_contact(world.db, id_number, on=date(2015, 6, 30), kind="dues", actor_login="officer1", today=TODAY)
    add_contact(world.db, id_number, on=date(2015, 7, 1), kind="other", actor_login="admin1", today=TODAY)
    run_in_process(world.db, EARLY_SWEEP)
    run_in_process(world.db, TODAY)


def with_li(world) -> None:
    """李明 of B1: last seen in January, so the five-month warning is open and no case yet."""
    world.add_member("李明", branch="B1", last_contact=date(2016, 1, 10), serial=302)
    run_in_process(world.db, TODAY)


@pytest.fixture
def world_built_with(request):
    """The world of 王芳 for a test that names `wang`, of 李明 for one that names `li`, each built (and swept)
    once a session and copied per test."""
    names = request.fixturenames
    return with_wang if "wang" in names else with_li if "li" in names else None


@pytest.fixture
def wang(world) -> int:
    member_id = member_id_of(world, "王芳")
    assert member_id is not None
    return member_id


@pytest.fixture
def li(world) -> int:
    member_id = member_id_of(world, "李明")
    assert member_id is not None
    return member_id


@pytest.mark.reads_only
def test_the_page_shows_roster_flags_contacts_cases_and_warnings(browser_as, wang):
    html = browser_as("officer1").client.get(f"/members/{wang}").text
    roster = section(html, "roster")
    for fact in ("王芳", "女", "1990-03-04", "2015-01-10", "预备党员", "第一党支部", "13800138000",
                 "农村外出务工经商人员"):
        assert fact in roster
    assert "河南省 › 平顶山市 › 新华区委组织部 › 区直机关党委 › 第一党支部" in roster

    flags = section(html, "flag-facts")
    assert "跨省流动" in flags and "LD-2015-07" in flags and "深圳市某电子厂党委" in flags and "未报告" in flags
    assert "“口袋”党员" in flags and "深圳市某街道党工委" in flags and "2015-09-01" in flags
    assert 'data-testid="flag-abroad"' not in html  # not abroad: no badge

    history = section(html, "contacts")
    rows = [re.sub(r"<[^>]+>", "", row) for row in re.findall(r"<tr><td>.*?</tr>", history)]
    assert rows == ["2015-08-20组织生活导入—",  # newest first; an imported contact has no recorder
                    "2015-07-01其他手工admin1（未填姓名）",  # a login without a name shows as such
                    "2015-06-30党费手工李书记"]

    cases = section(html, "member-cases")
    case_ids = re.findall(r'<a href="/cases/(\d+)">', cases)
    assert len(case_ids) == 1 and "2016-03-02" in cases and "失联登记" in cases  # opened by the March sweep

    warnings = section(html, "member-alerts")
    assert "环节期限" in warnings and "督办 升级" in warnings and f'href="/cases/{case_ids[0]}"' in warnings
    assert "R5" not in warnings.replace('data-rule="R5"', "")  # the rule in words, never its id


@pytest.mark.reads_only
def test_an_open_five_month_warning_is_shown_in_words_with_its_light(browser_as, li):
    html = browser_as("officer1").client.get(f"/members/{li}").text
    warnings = section(html, "member-alerts")
    assert "五个月预警" in warnings and "黄灯 提醒" in warnings and "将于 2016-07-11 按失联党员立案" in warnings
    assert 'data-testid="no-cases"' in html


@pytest.mark.reads_only
@pytest.mark.parametrize("login,in_full", [("officer1", True), ("admin1", True), ("reviewer1", False),
                                           ("upper1", False), ("supervisor1", False)])
def test_the_id_number_is_in_full_only_for_the_branch_officer_and_an_admin(world, browser_as, api_token, li,
                                                                           login, in_full):
    id_number = world.members["李明"]
    user = browser_as(login)
    html = user.client.get(f"/members/{li}").text
    assert (id_number in html) is in_full
    assert id_number[:6] + "********" + id_number[-4:] in html or in_full
    data = user.client.get(f"/api/members/{li}", headers=api_token(login)).json()
    assert data["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert ("id_number" in data) is in_full


def test_a_member_outside_my_subtree_is_answered_exactly_as_an_unknown_member(browser_as, api_token, li):
    officer3 = browser_as("officer3")  # branch B3, under the other committee
    outside, unknown = officer3.client.get(f"/members/{li}"), officer3.client.get("/members/999999")
    assert outside.status_code == unknown.status_code == 404
    assert outside.text == unknown.text and "李明" not in outside.text and "第一党支部" not in outside.text

    token = officer3.csrf()
    posts = [officer3.client.post(f"/members/{m}/contacts", data={"csrf_token": token, "on_date": "2016-06-01",
                                                                  "kind": "dues"}) for m in (li, 999999)]
    assert posts[0].status_code == posts[1].status_code == 404 and posts[0].text == posts[1].text

    headers = api_token("officer3")
    api = [officer3.client.get(f"/api/members/{m}", headers=headers) for m in (li, 999999)]
    assert api[0].status_code == api[1].status_code == 404 and api[0].json() == api[1].json()


def test_recording_a_contact_updates_the_history_and_the_last_contact(world, browser_as, li):
    officer = browser_as("officer1")
    response = officer.post_form(f"/members/{li}/contacts", {"on_date": "2016-06-18", "kind": "dues"},
                                 token_from=f"/members/{li}")
    assert response.status_code == 303 and response.headers["location"] == f"/members/{li}"
    html = officer.client.get(f"/members/{li}").text
    assert "已记录 2016-06-18 的联系" in html
    first_row = section(html, "contact-history").split("<tbody>")[1].split("</tr>")[0]
    assert "2016-06-18" in first_row and "党费" in first_row and "手工" in first_row
    assert "2016-06-18" in section(html, "roster")
    assert member_row(world, "李明").last_contact_on == date(2016, 6, 18)


@pytest.mark.parametrize("typed,reason", [("2016-02-30", "联系日期格式应为“年-月-日”"),
                                          ("2004-01-01", "早于入党时间"),
                                          ("", "请填写联系日期")])
def test_a_bad_date_is_refused_with_its_reason_next_to_the_form_and_changes_nothing(world, browser_as, li,
                                                                                    typed, reason):
    before = contact_count(world, li)
    officer = browser_as("officer1")
    response = officer.post_form(f"/members/{li}/contacts", {"on_date": typed, "kind": "other"},
                                 token_from=f"/members/{li}")
    assert response.status_code == 400
    form = response.text.split('data-testid="record-contact"')[1].split("</details>")[0]
    assert reason in form
    assert f'value="{typed}"' in form and 'value="other" required checked' in form  # what was typed stays
    assert contact_count(world, li) == before
    assert member_row(world, "李明").last_contact_on == date(2016, 1, 10)


def test_a_reviewer_sees_no_form_and_a_forged_post_is_refused(world, browser_as, li):
    reviewer = browser_as("reviewer1")
    html = reviewer.client.get(f"/members/{li}").text
    assert 'data-testid="record-contact"' not in html
    response = reviewer.post_form(f"/members/{li}/contacts", {"on_date": "2016-06-18", "kind": "dues"},
                                  token_from=f"/members/{li}")
    assert response.status_code == 403 and "记录联系" in response.text and "contact add" not in response.text
    assert contact_count(world, li) == 1
    assert member_row(world, "李明").last_contact_on == date(2016, 1, 10)


def test_an_admin_over_the_branch_may_record_a_contact(world, browser_as, li):
    admin = browser_as("admin1")
    assert 'data-testid="record-contact"' in admin.client.get(f"/members/{li}").text
    response = admin.post_form(f"/members/{li}/contacts", {"on_date": "2016-06-19", "kind": "org_life"},
                               token_from=f"/members/{li}")
    assert response.status_code == 303
    assert member_row(world, "李明").last_contact_on == date(2016, 6, 19)


def test_a_post_without_the_session_csrf_token_changes_nothing(world, browser_as, li):
    response = browser_as("officer1").client.post(f"/members/{li}/contacts",
                                                  data={"on_date": "2016-06-18", "kind": "dues"})
    assert response.status_code == 403 and contact_count(world, li) == 1


def test_a_long_contact_history_is_paged_newest_first(world, browser_as, li):
    for day in range(1, 26):
        add_contact(world.db, world.members["李明"], on=date(2016, 1, 10).replace(day=day), kind="other",
                    actor_login="officer1", today=TODAY) if day != 10 else None
    officer = browser_as("officer1")
    first = officer.client.get(f"/members/{li}").text
    assert "共 25 条" in first and first.count("<tr><td>2016-01-") == 20
    assert 'href="/members/%d?contacts_page=2"' % li in first
    second = officer.client.get(f"/members/{li}?contacts_page=2").text
    assert second.count("<tr><td>2016-01-") == 5 and "<tr><td>2016-01-01</td>" in second
    assert 'data-testid="contacts-more"' not in second


def test_the_case_page_links_the_member_name_to_the_member_page(world, browser_as, b1_case):
    html = browser_as("reviewer1").client.get(f"/cases/{b1_case}").text
    member_id = member_id_of(world, "张三")
    assert re.search(rf'<a href="/members/{member_id}" data-testid="member-name">张三</a>', html)


@pytest.mark.reads_only
def test_the_api_answers_in_english_ids(browser_as, api_token, wang):
    data = browser_as(None).client.get(f"/api/members/{wang}", headers=api_token("officer1")).json()
    assert data["standing"] == "probationary" and data["branch_code"] == "B1" and data["occupation"] == 3
    assert data["flags"]["mobile"]["flow_direction"] == 4 and data["flags"]["abroad"] is None
    assert data["flags"]["pocket"]["receiving_org"] == "深圳市某街道党工委"
    assert [c["kind"] for c in data["contacts"]] == ["org_life", "other", "dues"]
    assert data["contacts"][2]["recorded_by"] == "officer1" and data["contacts"][2]["recorded_by_name"] == "李书记"
    assert data["cases"][0]["state"] and {a["rule"] for a in data["alerts"]} >= {"R5"}
    assert data["can_record_contact"] is True


def test_the_page_shows_the_basic_information_form_fields_abroad_block_and_family(world, browser_as, api_token):
    """Seed 003 附件1's fields the roster keeps (imported or edited) are read on the member page too, in words."""
    import json
    world.add_member("赵敏", branch="B1", last_contact=date(2016, 1, 10), serial=303, abroad=True,
                     abroad_reason="留学", abroad_date=date(2014, 9, 1), marital_status="married",
                     work_start_date=date(2008, 7, 1), education="大学本科", degree="学士", school="郑州大学",
                     party_post="支部委员", abroad_contact="irregular", membership_handling="retain_2y",
                     return_date=date(2016, 2, 1), life_resumption="applied",
                     family=json.dumps([{"relation": "配偶", "name": "李某", "birth": "1986-03", "political": "群众",
                                         "work": "某公司职员"}], ensure_ascii=False))
    member_id = member_id_of(world, "赵敏")
    html = browser_as("officer1").client.get(f"/members/{member_id}").text
    roster = section(html, "roster")
    for fact in ("已婚", "2008-07-01", "大学本科（学士）", "郑州大学", "支部委员"):
        assert fact in roster
    abroad = section(html, "flag-facts")
    for fact in ("不定期", "保留党籍（二年）", "2016-02-01", "已申请未恢复", "配偶 李某，1986-03，群众，某公司职员"):
        assert fact in abroad
    data = browser_as(None).client.get(f"/api/members/{member_id}", headers=api_token("officer1")).json()
    assert data["basic"]["marital_status"] == "married" and data["basic"]["abroad"]["membership_handling"] == "retain_2y"
    assert data["basic"]["family"][0]["relation"] == "配偶"


@pytest.mark.reads_only
def test_a_member_without_those_fields_reads_dashes_and_no_family(world, browser_as, li):
    html = browser_as("officer1").client.get(f"/members/{li}").text
    assert "<dt>婚姻状况</dt><dd data-testid=\"member-marital\">—</dd>" in html
    assert 'data-testid="no-family"' in html
