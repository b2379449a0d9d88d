"""A later case supersedes a member's earlier one from its opening day; the case row records that day
(cases.superseded_on) whichever way the later case was opened, and a void takes it back — yet a past tally
still counts the later case on the days before it was voided."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services.supersession import record_supersession
from lostcontact.uow import UnitOfWork
from models import Case

from ..builders import build_world
from ..workflows.helpers import sweep
from .driver import REVIEWER, Driver
from .test_tally_rules import TODAY, figures


@pytest.fixture
def world(db):
    return build_world(db)


def superseded_on(db, case_id: int) -> date | None:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(Case.superseded_on).where(Case.id == case_id))


def closed_case(drive: Driver, id_number: str) -> int:
    case = drive.open(id_number, date(2016, 3, 1))
    drive.decide(case, drive.reach(case, date(2016, 3, 2)), "normal_management")  # closed 2016-03-10
    return case


def test_a_later_case_supersedes_from_its_opening_and_a_void_after_a_day_leaves_that_day_alone(db, world):
    drive = Driver(db, TODAY)
    idn = world.add_member("张三", last_contact=date(2015, 8, 31))
    first = closed_case(drive, idn)
    second = drive.open(idn, date(2016, 10, 1))
    assert superseded_on(db, first) == date(2016, 10, 1)
    drive.fire(second, "void", date(2016, 10, 5), REVIEWER["B1"], opinion="误立案")
    assert superseded_on(db, first) is None
    assert figures(db, date(2016, 9, 30)) == {"A": 1, "B": 1, "C": 1}
    assert figures(db, date(2016, 10, 3)) == {"A": 1, "O": 1, "W": 1}  # the second case stood that day
    assert figures(db, date(2016, 10, 5)) == {"A": 1, "B": 1, "C": 1}


def test_after_a_void_the_next_later_case_supersedes_from_its_own_opening(db, world):
    drive = Driver(db, TODAY)
    idn = world.add_member("张三", last_contact=date(2015, 8, 31))
    first = closed_case(drive, idn)
    second = drive.open(idn, date(2016, 10, 1))
    drive.fire(second, "void", date(2016, 10, 5), REVIEWER["B1"], opinion="误立案")
    third = drive.open(idn, date(2016, 11, 1))
    assert superseded_on(db, first) == date(2016, 11, 1)
    assert superseded_on(db, third) is None
    assert figures(db, date(2016, 10, 2)) == {"A": 1, "O": 1, "W": 1}
    assert figures(db, date(2016, 10, 31)) == {"A": 1, "B": 1, "C": 1}
    assert figures(db, date(2016, 11, 1)) == {"A": 1, "O": 1, "W": 1}


def test_a_case_the_sweep_opens_supersedes_the_members_earlier_case(db, world):
    drive = Driver(db, TODAY)
    first = closed_case(drive, world.add_member("张三", last_contact=date(2015, 8, 31)))
    sweep(db, date(2016, 9, 11))  # six months after the closing (the member's last contact) ran out
    with UnitOfWork(db, write=False) as uow:
        opened = uow.session.scalars(select(Case.opened_on).where(Case.id != first)).all()
    assert opened == [date(2016, 9, 11)]
    assert superseded_on(db, first) == date(2016, 9, 11)
    assert figures(db, date(2016, 9, 11)) == {"A": 1, "O": 1, "W": 1}


def test_the_benchmarks_generated_cases_record_supersession_as_the_service_does(db):
    from bench.tally import build
    built = build(db.engine.url.render_as_string(hide_password=False), 3000, seed=7)
    with UnitOfWork(db, write=False) as uow:
        generated = dict(uow.session.execute(select(Case.id, Case.superseded_on)).all())
    with UnitOfWork(db) as uow:
        uow.session.execute(Case.__table__.update().values(superseded_on=None))
        record_supersession(uow.session, select(Case.member_id).distinct())
        recorded = dict(uow.session.execute(select(Case.id, Case.superseded_on)).all())
        uow.commit()
    assert built["cases"] == len(generated) == 3000
    assert any(generated.values()) and generated == recorded
