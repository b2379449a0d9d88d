"""The case page shows what the discipline register says of its member: the linked entry and the flight risk,
in words (docs/discipline-register.md)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lostcontact.services.discipline.register import add_entry
from lostcontact.services.travel.documents import add_document
from lostcontact.services.travel.persons import add_person
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import Case, Member
from tests.web.conftest import TODAY


def test_the_case_page_shows_the_register_entry_and_the_flight_risk(world, browser_as, b1_case):
    add_user(world.db, "cadre1", role="cadre_supervisor", org_code="C1")
    add_user(world.db, "discipline1", role="discipline_officer", org_code="410402")
    with UnitOfWork(world.db, write=False) as uow:
        number = uow.session.scalar(select(Member.id_number).join(Case, Case.member_id == Member.id)
                                    .where(Case.id == b1_case))
    add_person(world.db, number, name="张三", org_code="B1", rank="staff", actor_login="cadre1", today=TODAY,
               at=date(2016, 1, 4))
    add_document(world.db, number, kind="hkmo_private", number="C12345678", issued_on=date(2015, 1, 1),
                 expires_on=date(2025, 1, 1), actor_login="cadre1", today=TODAY, at=date(2016, 1, 5))
    entry = add_entry(world.db, number, "lost", since_on=date(2015, 8, 31), recontact_on=date(2016, 6, 10),
                      recontact_note="再次联系未果", actor_login="discipline1", today=TODAY)
    assert entry.case_id == b1_case
    html = browser_as("officer1").client.get(f"/cases/{b1_case}").text
    side = html.split('data-testid="discipline-side"', 1)[1].split("</section>", 1)[0]
    assert "外逃风险：持有有效因私出国（境）证件未交组织保管（因私往来港澳通行证）" in side
    assert f"已登记为失联（第 {entry.id} 号，2016-06-20，在册）" in side and "C12345678" not in side


def test_a_case_without_a_register_entry_shows_no_such_panel(world, browser_as, b1_case):
    assert 'data-testid="discipline-side"' not in browser_as("officer1").client.get(f"/cases/{b1_case}").text
