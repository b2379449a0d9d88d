"""The defects of issue 11, each as the user met it: a refusal that vanished, a timeline out of order, a
membership oracle, a conflict before a 403, typed text lost, command-line words on pages, a check digit
taken for an unknown number, forms with no 打印 button."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import update

from lostcontact.queries.cases import show_case
from lostcontact.reports.render import render_record
from lostcontact.services.cases import fire, log_search, open_case
from lostcontact.services.members import add_contact
from lostcontact.uow import UnitOfWork
from models import User
from statemachines.errors import BadInput
from tests.builders import make_id_number
from tests.web.conftest import TODAY, without_token

LOST = date(2015, 8, 31)  # more than six months before TODAY: grounds to open a case


def version_of(world, case_id: int) -> int:
    return show_case(world.db, case_id, today=TODAY)["version"]


def notice_text(html: str, testid: str = "error") -> str:
    """The text of the first notice with this data-testid, tags removed."""
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</div>\s*(?:</div>|<div class="columns">|<form|<p>)',
                      html, re.S)
    assert match, f"no {testid} notice on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def reached_and_verifying(world, case_id: int) -> None:
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY)
    log_search(world.db, case_id, channel="relatives", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, case_id, "reach", actor_login="officer1", today=TODAY, cause=1)


# ---- a. every refusal is visible ---------------------------------------------------------------------------

def test_a_search_entry_refused_because_the_case_moved_on_in_another_tab_is_shown_with_what_was_typed(
        world, browser_as, b1_case):
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    token = officer.csrf(f"/cases/{b1_case}")  # the page as it was drawn, with its 记录一次查找 form
    log_search(world.db, b1_case, channel="relatives", outcome="reached", actor_login="officer1", today=TODAY)
    fire(world.db, b1_case, "reach", actor_login="officer1", today=TODAY, cause=1)  # the other tab
    response = officer.client.post(f"/cases/{b1_case}/log", data={
        "csrf_token": token, "channel": "phone", "outcome": "no_answer", "note": "拨打两次均无人接听"})
    assert response.status_code == 403
    assert 'data-testid="action-log"' not in response.text  # the form is gone with its step ...
    shown = notice_text(response.text)                         # ... and the refusal is at the top of the page
    assert "只有“联系查找”环节的案件才能记录查找情况" in shown and "拨打两次均无人接听" in shown


# ---- b. the timeline in recorded order ----------------------------------------------------------------------

def timeline_rows(html: str) -> list[str]:
    table = html.split('data-testid="timeline"')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", "", cells[1]).strip()
            for cells in (re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr class=.*?</tr>", table,
                                                                                          re.S))]


def test_a_day_recorded_afterwards_shows_its_searches_and_exhaust_before_the_proposal_they_led_to(
        world, browser_as):
    day = date(2016, 6, 1)  # everything below was done on paper that day and entered later (补录)
    case_id = open_case(world.db, world.add_member("王五", branch="B1", last_contact=LOST), actor_login="officer1",
                        today=TODAY, at=day)
    fire(world.db, case_id, "start_search", actor_login="officer1", today=TODAY, at=day)
    for channel in ("phone", "relatives", "household_registry"):
        log_search(world.db, case_id, channel=channel, outcome="no_answer", actor_login="officer1", today=TODAY,
                   at=day)
    fire(world.db, case_id, "exhaust", actor_login="officer1", today=TODAY, at=day, cause=1)
    fire(world.db, case_id, "propose", actor_login="officer1", today=TODAY, at=day, opinion="多方查找无果")
    fire(world.db, case_id, "submit", actor_login="officer1", today=TODAY, at=day, disposition="suspend_unreachable")
    fire(world.db, case_id, "agree", actor_login="reviewer1", today=TODAY, at=day)
    html = browser_as("officer1").client.get(f"/cases/{case_id}").text
    assert timeline_rows(html) == ["立案", "开始查找", "查找", "查找", "查找", "确实无法取得联系", "提出初步处置意见",
                                   "报送预审", "同意"]


# ---- c. no membership oracle ---------------------------------------------------------------------------------

def masked_away(text: str) -> str:
    return re.sub(r"\d{6}\*{8}[0-9X]{4}", "<number>", text)


def test_opening_a_case_for_a_member_outside_my_subtree_answers_as_for_an_unknown_number(world, browser_as,
                                                                                          api_token):
    outside = world.add_member("赵六", branch="B3", last_contact=LOST)  # under C2: not officer1's
    unknown = make_id_number(999)
    officer = browser_as("officer1")
    answers = [officer.post_form("/cases/open", {"id_number": number}) for number in (outside, unknown)]
    assert [a.status_code for a in answers] == [400, 400]
    assert masked_away(notice_text(answers[0].text)) == masked_away(notice_text(answers[1].text))
    assert "未知身份证号" in notice_text(answers[0].text)
    page = without_token(answers[0].text)  # a random CSRF token may hold "B3" by chance
    assert "第三党支部" not in page and "B3" not in page
    api = [officer.client.post("/api/cases", json={"id_number": n}, headers=api_token("officer1"))
           for n in (outside, unknown)]
    assert [a.status_code for a in api] == [400, 400]
    assert masked_away(api[0].text) == masked_away(api[1].text)
    with pytest.raises(BadInput) as raised:  # the same service records a contact (the CLI: tests/cli)
        add_contact(world.db, outside, on=TODAY, kind="org_life", actor_login="officer1", today=TODAY)
    assert masked_away(raised.value.zh) == "未知身份证号 <number>"


# ---- d. permission before version ----------------------------------------------------------------------------

def test_an_out_of_scope_user_with_a_stale_version_is_refused_not_told_of_a_conflict(world, browser_as, api_token,
                                                                                      b1_case):
    stale = version_of(world, b1_case)
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    outsider = browser_as("reviewer2")  # C2's reviewer: case 1 is in C1
    page = outsider.post_form(f"/cases/{b1_case}/fire", {"trigger": "void", "version": stale, "opinion": "撤销"})
    assert page.status_code == 403 and "操作冲突" not in page.text
    api = outsider.client.post(f"/api/cases/{b1_case}/fire", headers=api_token("reviewer2"),
                               json={"trigger": "void", "opinion": "撤销", "expected_version": stale})
    assert api.status_code == 403 and api.json()["error"]["kind"] == "refused"
    assert show_case(world.db, b1_case, today=TODAY)["state"] == "searching"


# ---- e. typed text survives ----------------------------------------------------------------------------------

def test_after_a_conflict_the_opinion_typed_is_still_on_the_page(world, browser_as, b1_case):
    reached_and_verifying(world, b1_case)
    officer = browser_as("officer1")
    stale = version_of(world, b1_case)
    fire(world.db, b1_case, "propose", actor_login="officer1", today=TODAY, opinion="另一位同志先填的意见")
    response = officer.post_form(f"/cases/{b1_case}/fire",
                                 {"trigger": "propose", "version": stale, "opinion": "本人已回乡务农，愿意参加组织生活"},
                                 token_from=f"/cases/{b1_case}")
    assert response.status_code == 409
    assert "其他用户已先办理" in notice_text(response.text, "conflict")
    assert "本人已回乡务农，愿意参加组织生活" in notice_text(response.text, "conflict")
    assert 'data-state="branch_proposal"' in response.text


def test_a_refused_manual_opening_keeps_the_number_and_fields_typed(world, browser_as):
    recent = world.add_member("钱八", branch="B1", last_contact=date(2016, 5, 1))  # no grounds to open
    response = browser_as("officer1").post_form("/cases/open", {"id_number": recent, "cause": "3",
                                                                "at": "2016-06-15"})
    assert response.status_code == 403 and "不符合立案条件" in response.text
    form = response.text.split('action="/cases/open"')[1].split("</form>")[0]
    assert f'value="{recent}"' in form and 'value="3" selected' in form and 'value="2016-06-15"' in form


def test_an_expired_session_says_so_on_the_login_page_and_returns_to_the_form(app, clock, browser_as, b1_case):
    officer = browser_as("officer1")
    token = officer.csrf(f"/cases/{b1_case}")
    clock.advance(seconds=app.state.config.session_seconds + 60)
    page = officer.client.get(f"/cases/{b1_case}")
    assert page.status_code == 303 and page.headers["location"] == f"/login?next=/cases/{b1_case}&expired=1"
    posted = officer.client.post(f"/cases/{b1_case}/fire", data={"csrf_token": token, "trigger": "start_search"})
    assert posted.headers["location"] == f"/login?next=/cases/{b1_case}&expired=1"
    login = officer.client.get(posted.headers["location"])
    assert "登录已过期，请重新登录" in login.text
    assert "登录已过期" not in browser_as(None).client.get("/login?next=/queue").text


# ---- f. plain Chinese, names not logins ---------------------------------------------------------------------

COMMAND_LINE = re.compile(r"--[a-z]|\bR\d+\b|§|\b(?:reject|resolve|reach|case open|case log|exhaust|trigger)\b")


@pytest.mark.parametrize("form,expected", [
    ({"trigger": "start_search", "at": "2016-07-01"}, "办理日期 2016-07-01 晚于今天"),
    ({"trigger": "start_search", "at": "2015-01-01"}, "早于该案件最近一次记录的日期"),
    ({"trigger": "void", "opinion": ""}, "“撤销”须填写意见"),
])
def test_refusals_on_the_case_page_speak_plain_chinese(world, browser_as, b1_case, form, expected):
    user = "reviewer1" if form["trigger"] == "void" else "officer1"
    response = browser_as(user).post_form(f"/cases/{b1_case}/fire", {**form, "version": version_of(world, b1_case)},
                                          token_from=f"/cases/{b1_case}")
    shown = notice_text(response.text.split(f'data-testid="action-{form["trigger"]}"')[1])
    assert expected in shown and not COMMAND_LINE.search(shown), shown


def test_the_guards_refusals_name_no_rule_ids_nor_triggers(world, browser_as, b1_case):
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    officer = browser_as("officer1")
    exhaust = officer.post_form(f"/cases/{b1_case}/fire", {"trigger": "exhaust", "version": version_of(world, b1_case)},
                                token_from=f"/cases/{b1_case}")
    shown = notice_text(exhaust.text.split('data-testid="action-exhaust"')[1])
    assert "查找未穷尽" in shown and not COMMAND_LINE.search(shown), shown


def test_the_timeline_and_the_record_name_people_and_mark_logins_without_a_name(world, browser_as, b1_case):
    with UnitOfWork(world.db) as uow:
        uow.session.execute(update(User).where(User.login == "reviewer1").values(name="王审核"))
        uow.commit()
    fire(world.db, b1_case, "start_search", actor_login="officer1", today=TODAY)
    fire(world.db, b1_case, "void", actor_login="reviewer1", today=TODAY, opinion="立错对象")
    officer = browser_as("officer1")
    case_page = officer.client.get(f"/cases/{b1_case}").text
    assert 'data-testid="current-user">officer1（未填姓名）<' in case_page  # the top bar, too
    timeline = case_page.split('data-testid="timeline"')[1]
    assert "officer1（未填姓名）" in timeline and "王审核" in timeline and "reviewer1" not in timeline
    record = officer.client.get(f"/cases/{b1_case}/record").text
    # the printed record names people only by name (issue 14): an account without one leaves the place blank
    assert "（王审核）" in record and "officer1" not in record and "（R1）" not in record


# ---- g. a wrong check digit is a typing mistake, not an unknown number ---------------------------------------

def wrong_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_a_wrong_check_digit_is_reported_as_such_wherever_an_id_number_is_typed(world, browser_as, api_token):
    typo = wrong_check_digit(world.add_member("孙九", branch="B1", last_contact=LOST))
    officer = browser_as("officer1")
    response = officer.post_form("/cases/open", {"id_number": typo})
    assert response.status_code == 400
    assert "身份证号校验位错误" in notice_text(response.text) and "未知身份证号" not in response.text
    api = officer.client.post("/api/cases", json={"id_number": typo}, headers=api_token("officer1"))
    assert api.status_code == 400 and api.json()["error"]["zh"] == "身份证号校验位错误"
    with pytest.raises(BadInput) as raised:  # recording a contact (the CLI's case open: tests/cli)
        add_contact(world.db, typo, on=TODAY, kind="org_life", actor_login="officer1", today=TODAY)
    assert raised.value.zh == "身份证号校验位错误"


# ---- h. a 打印 button on the printed forms -------------------------------------------------------------------

def test_the_printed_forms_served_by_the_web_have_a_print_button_that_is_not_printed(world, browser_as, b1_case):
    officer = browser_as("officer1")
    for path in (f"/cases/{b1_case}/record", "/registers/search-record?org=B1", "/tally/download/html?org=B1"):
        response = officer.client.get(path)
        assert response.status_code == 200, path
        assert re.search(r'<div class="print-toolbar no-print"><button type="button" data-print', response.text), path
        assert '<script src="/static/app.js" defer></script>' in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    saved = io.StringIO()  # the same form rendered by the command line stands alone, with no button
    render_record(world.db, b1_case, today=TODAY, actor_login="officer1", stdout=saved)
    assert "data-print" not in saved.getvalue() and "<script" not in saved.getvalue()
