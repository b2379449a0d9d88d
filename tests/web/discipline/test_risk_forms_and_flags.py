"""纪检登记 · 外逃风险 and 表格 over HTTP, and the register's flags on the pages officers already use: the
flight-risk list as of a day with its reasons in Chinese; 附件1-1…1-4 for the reader's subtree as of a day as
printable HTML, XLSX or PDF; a person's open entries and flight risk on the member page and the 证件管理 person
page, for readers of the register only."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from lostcontact.services.travel.persons import add_person
from tests.web.discipline.conftest import TODAY, person_id_of, section


@pytest.fixture
def at_risk(register) -> int:
    """张三 on the register as 失联 since 6 May, holding a private passport outside custody."""
    register.travel.document(register.zhang, number="E12345678", at=date(2024, 1, 10))
    return register.entry(register.zhang)


def test_the_flight_risk_list_with_its_reasons_in_chinese(browser_as, register, at_risk):
    officer = browser_as("discipline1")
    risks = section(officer.client.get("/discipline/risk").text, "risks")
    assert "张三" in risks and "持有有效因私出国（境）证件未交组织保管（因私护照（普通护照））" in risks
    assert "2024-05-06" in risks and register.zhang not in risks and "E12345678" not in risks
    assert 'data-testid="no-risks"' in officer.client.get("/discipline/risk?as_of=2024-05-05").text
    assert 'data-testid="no-risks"' in browser_as("discipline2").client.get("/discipline/risk").text


@pytest.mark.reads_only
def test_the_forms_page_links_each_form_as_of_the_day(browser_as, register):
    html = browser_as("discipline1").client.get("/discipline/forms?as_of=2024-06-01&org=C1").text
    listed = html.split('data-testid="discipline-forms"', 1)[1]
    for kind in ("lost", "fled", "absconded", "summary"):
        for fmt in ("html", "xlsx", "pdf"):
            assert f'href="/discipline/forms/{kind}?format={fmt}&amp;as_of=2024-06-01&amp;org=C1"' in listed
    assert "附件1-4" in listed


def test_a_printable_form_of_the_subtree_as_of_a_day(browser_as, register, at_risk):
    officer = browser_as("discipline1")
    html = officer.client.get("/discipline/forms/lost?format=html").text
    assert "失联信息统计表" in html and "张三" in html and register.zhang not in html and 'data-print' in html
    before = officer.client.get("/discipline/forms/lost?format=html&as_of=2024-05-05").text
    assert "张三" not in before and "截至2024年5月5日" in before
    assert "张三" not in browser_as("discipline2").client.get("/discipline/forms/lost?format=html").text


def test_the_summary_as_xlsx_and_pdf(browser_as, register, at_risk):
    officer = browser_as("discipline1")
    xlsx = officer.client.get("/discipline/forms/summary?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert 'filename="summary-2024-06-28.xlsx"' in xlsx.headers["content-disposition"]
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert "总计" in cells
    pdf = officer.client.get("/discipline/forms/fled?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


@pytest.mark.reads_only
def test_an_unknown_form_or_an_org_outside_the_subtree_is_refused_in_chinese(browser_as, register):
    officer = browser_as("discipline2")
    unknown = officer.client.get("/discipline/forms/nosuch")
    assert unknown.status_code == 404 and "未知表格" in unknown.text
    outside = officer.client.get("/discipline/forms/summary?org=C1")
    assert outside.status_code == 404 and "组织代码 C1 不存在或不在您的管理范围内" in outside.text


def linked_member(register, world) -> tuple[int, int, str]:
    """赵六: a party member of B1 and a person of 证件管理, on the register as 失联 with a passport outside custody."""
    number = world.add_member("赵六", branch="B1", last_contact=date(2023, 6, 1))
    add_person(register.db, number, name="赵六", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2024, 1, 2))
    register.travel.document(number, number="E87654321", at=date(2024, 1, 10))
    entry = register.entry(number, since_on=date(2023, 6, 1))
    from sqlalchemy import select

    from lostcontact.uow import UnitOfWork
    from models import Member
    with UnitOfWork(register.db, write=False) as uow:
        member_id = uow.session.scalar(select(Member.id).where(Member.id_number == number))
    return member_id, entry, number


def test_the_member_page_flags_the_register_for_its_readers_only(browser_as, register, world):
    member_id, entry, number = linked_member(register, world)
    flags = section(browser_as("discipline1").client.get(f"/members/{member_id}").text, "register-flags")
    assert f"已登记为失联（第 {entry} 号" in flags and f'href="/discipline/entries/{entry}"' in flags
    assert "外逃风险：持有有效因私出国（境）证件未交组织保管（因私护照（普通护照））" in flags and "E87654321" not in flags
    assert 'data-testid="register-flags"' in browser_as("admin1").client.get(f"/members/{member_id}").text
    officer_page = browser_as("officer1").client.get(f"/members/{member_id}")
    assert officer_page.status_code == 200 and 'data-testid="register-flags"' not in officer_page.text


def test_the_travel_person_page_flags_the_register_for_its_readers_only(browser_as, register, at_risk):
    person = f"/travel/persons/{person_id_of(register, register.zhang)}"
    flags = section(browser_as("discipline1").client.get(person).text, "register-flags")
    assert f"已登记为失联（第 {at_risk} 号" in flags and "外逃风险" in flags
    cadre_page = browser_as("cadre1").client.get(person)
    assert cadre_page.status_code == 200 and 'data-testid="register-flags"' not in cadre_page.text


def test_an_ended_entry_is_no_flag(browser_as, register):
    from lostcontact.services.discipline.register import fire_entry

    entry = register.entry(register.zhang)
    person = f"/travel/persons/{person_id_of(register, register.zhang)}"
    assert 'data-testid="register-flags"' in browser_as("discipline1").client.get(person).text
    fire_entry(register.db, entry, "find", actor_login="discipline1", today=TODAY)
    assert 'data-testid="register-flags"' not in browser_as("discipline1").client.get(person).text
