"""纪检登记 · 登记 over HTTP: the entries as of a day with their filters and pages; one entry with its history, its
linked case and its person's flight risk; its steps through the same service as `discipline find|return|decease|
revoke` — only those the shared machine has for it, only for the officer who keeps it — refusals in the form's
words, a stale version a conflict (409) keeping the typing; an entry outside the subtree an unknown one."""
from __future__ import annotations

from datetime import date

from lostcontact.queries import discipline as discipline_queries
from lostcontact.services.cases import open_case
from lostcontact.services.discipline.register import fire_entry
from lostcontact.services.travel.persons import add_person
from lostcontact.web.pages import discipline_entries
from tests.web.conftest import without_token
from tests.web.discipline.conftest import TODAY, section


def state_of(browser, entry_id: int) -> str:
    return section(browser.client.get(f"/discipline/entries/{entry_id}").text, "entry-title")


def step(officer, entry_id: int, trigger: str, **data):
    page = f"/discipline/entries/{entry_id}"
    return officer.post_form(f"{page}/fire", {"trigger": trigger, "version": "1", "note": "", "at": "", **data},
                             token_from=page)


def test_the_entries_as_of_a_day_with_their_filters(browser_as, register):
    lost = register.entry(register.zhang)
    absconded = register.entry(register.li, "absconded", since_on=date(2024, 3, 1), region="广东")
    fire_entry(register.db, absconded, "find", actor_login="discipline1", today=TODAY, at=date(2024, 6, 1))
    officer = browser_as("discipline1")
    listed = section(officer.client.get("/discipline/entries").text, "entries")
    assert f"第 {lost} 号" in listed and f"第 {absconded} 号" in listed and "已取得联系（2024-06-01）" in listed
    assert register.zhang not in listed and register.zhang[-4:] in listed
    only_open = officer.client.get("/discipline/entries?state=open").text
    assert f"第 {lost} 号" in only_open and f"第 {absconded} 号" not in only_open
    only_absconded = officer.client.get("/discipline/entries?category=absconded").text
    assert f"第 {absconded} 号" in only_absconded and f"第 {lost} 号" not in only_absconded
    before = section(officer.client.get("/discipline/entries?as_of=2024-05-31&state=open").text, "entries")
    assert f"第 {absconded} 号" in before                                            # still open that day
    assert 'data-testid="no-entries"' in officer.client.get("/discipline/entries?as_of=2024-05-05").text
    assert f"第 {lost} 号" not in officer.client.get("/discipline/entries?org=C2").text
    assert officer.client.get("/discipline/entries?state=lost").status_code == 400


def test_the_entries_come_a_page_at_a_time(browser_as, register, monkeypatch):
    first = register.entry(register.zhang)
    second = register.entry(register.li, since_on=date(2024, 1, 5))
    monkeypatch.setattr(discipline_entries, "PER_PAGE", 1)
    officer = browser_as("discipline1")
    page_one = officer.client.get("/discipline/entries").text
    assert f"第 {first} 号" in page_one and f"第 {second} 号" not in page_one and "第 1 / 2 页" in page_one
    page_two = officer.client.get("/discipline/entries?page=2").text
    assert f"第 {second} 号" in page_two and f"第 {first} 号" not in page_two


def test_past_the_count_s_cap_the_total_reads_plus_and_the_pages_stop_at_it(browser_as, register, monkeypatch):
    first = register.entry(register.zhang)
    second = register.entry(register.li, since_on=date(2024, 1, 5))
    monkeypatch.setattr(discipline_entries, "PER_PAGE", 1)
    monkeypatch.setattr(discipline_queries, "COUNT_CAP", 1)    # 1,000 in use: two entries are past a cap of one
    html = browser_as("discipline1").client.get("/discipline/entries?page=2").text
    assert "共 1+ 项" in html and 'data-testid="pager"' not in html
    assert f"第 {first} 号" in section(html, "entries") and f"第 {second} 号" not in html


def test_an_officer_sees_only_the_entries_of_the_subtree(browser_as, register):
    zhang, li = register.entry(register.zhang), register.entry(register.li, since_on=date(2024, 1, 5))
    listed = browser_as("discipline2").client.get("/discipline/entries").text
    assert f"第 {li} 号" in listed and f"第 {zhang} 号" not in listed


def test_an_entry_with_its_history_linked_case_and_flight_risk(browser_as, register, world):
    number = world.add_member("赵六", branch="B1", last_contact=date(2023, 6, 1))
    case_id = open_case(register.db, number, actor_login="officer1", today=TODAY)
    add_person(register.db, number, name="赵六", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    register.travel.document(number, kind="hkmo_private", number="C12345678")
    entry = register.entry(number, since_on=date(2023, 6, 1))
    html = browser_as("discipline1").client.get(f"/discipline/entries/{entry}").text
    assert f'<a href="/cases/{case_id}">案件 {case_id}</a>' in section(html, "entry-record")
    assert "外逃风险：持有有效因私出国（境）证件未交组织保管（因私往来港澳通行证）" in html
    history = section(html, "entry-history")
    assert "2024-05-06" in history and "登记" in history and "孙纪检" in history and "纪检监察机关" in history
    assert number not in html and "C12345678" not in html


def test_the_officer_ends_an_entry_with_a_note_and_a_paper_record_s_day(browser_as, register):
    entry = register.entry(register.zhang)
    officer = browser_as("discipline1")
    done = step(officer, entry, "find", note="本人来电，已取得联系", at="2024-06-10")
    assert done.status_code == 303
    html = officer.client.get(done.headers["location"]).text
    assert "已办理“已取得联系”，登记状态：已取得联系" in html
    history = section(html, "entry-history")
    assert "2024-06-10" in history and "本人来电，已取得联系" in history
    assert 'data-testid="entry-actions"' not in html                  # nothing more to do with it
    as_then = officer.client.get(f"/discipline/entries/{entry}?as_of=2024-06-09").text
    assert 'data-state="open"' in as_then and 'data-testid="entry-actions"' not in as_then


def test_only_the_steps_the_machine_has_for_the_category_are_offered(browser_as, register):
    lost = register.entry(register.zhang)
    fled = register.entry(register.li, "fled", since_on=date(2024, 2, 1), whereabouts="abroad",
                          case_filed_by="市纪委监委", case_filed_on=date(2024, 1, 20))
    officer = browser_as("discipline1")
    lost_page, fled_page = (officer.client.get(f"/discipline/entries/{e}").text for e in (lost, fled))
    for trigger in ("find", "decease", "revoke"):
        assert f'data-testid="entry-{trigger}"' in lost_page and f'data-testid="entry-{trigger}"' in fled_page
    assert 'data-testid="entry-return"' not in lost_page and 'data-testid="entry-return"' in fled_page
    refused = step(officer, lost, "return")
    assert refused.status_code == 403 and "“已归案/已回国”只用于外逃、出走人员" in refused.text


def test_a_revocation_needs_its_reason_and_keeps_the_day_typed(browser_as, register):
    entry = register.entry(register.zhang)
    refused = step(browser_as("discipline1"), entry, "revoke", at="2024-06-11")
    assert refused.status_code == 403
    form = section(refused.text, "entry-actions")
    assert "撤销登记须说明原因" in form and "--note" not in refused.text and 'value="2024-06-11"' in form
    assert "在册" in state_of(browser_as("discipline1"), entry)


def test_a_step_on_a_stale_version_is_a_conflict_that_keeps_the_typing(browser_as, register):
    entry = register.entry(register.zhang)
    officer = browser_as("discipline1")
    assert step(officer, entry, "find", note="先到的人").status_code == 303
    late = step(officer, entry, "decease", note="迟到的说明")
    assert late.status_code == 409
    assert "其他用户已先办理了该登记" in late.text and "迟到的说明" in late.text
    assert 'data-state="found"' in late.text


def test_two_officers_on_one_version_the_second_is_told(browser_as, register):
    entry = register.entry(register.zhang)
    first, second = browser_as("discipline1"), browser_as("discipline1")
    page = f"/discipline/entries/{entry}"
    token = second.csrf(page)                              # the second drew the page at version 1
    assert step(first, entry, "find").status_code == 303
    late = second.client.post(f"{page}/fire", data={"csrf_token": token, "trigger": "decease", "version": "1",
                                                   "note": "病故", "at": ""})
    assert late.status_code == 409 and "操作冲突" in late.text and "病故" in late.text


def test_an_entry_outside_the_subtree_is_an_unknown_entry(browser_as, register):
    entry = register.entry(register.zhang)
    officer = browser_as("discipline2")
    outside, unknown = officer.client.get(f"/discipline/entries/{entry}"), officer.client.get("/discipline/entries/999")
    assert outside.status_code == unknown.status_code == 404
    assert without_token(outside.text.replace(f"登记 {entry} ", "登记 N ").replace(f"entry {entry} ", "entry N ")) == \
        without_token(unknown.text.replace("登记 999 ", "登记 N ").replace("entry 999 ", "entry N "))
    posted = officer.post_form(f"/discipline/entries/{entry}/fire", {"trigger": "find", "version": "1"},
                               token_from="/discipline")
    assert posted.status_code == 404 and "在册" in state_of(browser_as("discipline1"), entry)


def test_a_reading_admin_sees_the_entry_but_not_its_steps(browser_as, register):
    entry = register.entry(register.zhang)
    admin = browser_as("admin1")
    html = admin.client.get(f"/discipline/entries/{entry}").text
    assert "张三" in html and 'data-testid="entry-actions"' not in html
    refused = admin.post_form(f"/discipline/entries/{entry}/fire", {"trigger": "find", "version": "1"},
                              token_from=f"/discipline/entries/{entry}")
    assert refused.status_code == 403 and "办理登记须由纪检监察机关办理" in refused.text
