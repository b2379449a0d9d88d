"""The 纪检登记 pages over the web world (tests/web/conftest.py) with the travel programme's users (discipline1, a
discipline officer at 410402; cadre1, a cadre supervisor at C1) and a discipline officer of 街道党委 only
(discipline2 at C2), each with the web world's password, on the travel tests' business day.

    张三 (B1, under C1) and 李四 (B3, under C2): last in contact with their unit early in January, candidates now.

Each test works on a copy of the register's world; the tests marked `reads_only` share one copy, its app and one
logged-in client per user (tests/web/conftest.py's `SharedPages`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lostcontact.services import auth
from lostcontact.services.discipline.register import add_entry, record_unit_contact
from lostcontact.services.users import add_user
from tests.travel.conftest import TravelWorld
from tests.web.conftest import PASSWORD, reads_only
from tests.web.travel.conftest import (TODAY, TravelSnapshot, add_travel_users, section, shared_travel_world,
                                      snapshot_maker)
from tests.web.travel import conftest as travel_pages

__all__ = ["TODAY", "section", "RECONTACT"]

RECONTACT = dict(recontact_on=date(2024, 5, 6), recontact_note="再次拨打电话、走访住所，仍无法取得联系")


@dataclass
class Register:
    travel: TravelWorld
    zhang: str          # ID numbers
    li: str

    @property
    def db(self):
        return self.travel.db

    def entry(self, number: str, category: str = "lost", **fields) -> int:
        """An entry made by discipline1 on 6 May (a 失联 one since the person's last contact)."""
        fields = {"since_on": date(2024, 1, 2), "at": date(2024, 5, 6), **RECONTACT, **fields}
        return add_entry(self.db, number, category, actor_login="discipline1", today=TODAY, **fields).id


def add_register_people(travel: TravelWorld) -> tuple[str, str]:
    """discipline2, and 张三 and 李四 with their last contact with their unit: their ID numbers."""
    add_user(travel.db, "discipline2", role="discipline_officer", org_code="C2", name="李纪检")
    auth.set_password(travel.db, "discipline2", PASSWORD)
    zhang = travel.person("张三", person_type=None)
    li = travel.person("李四", org="B3", person_type=None, actor="cadre2")
    for number, day in ((zhang, date(2024, 1, 2)), (li, date(2024, 1, 5))):
        record_unit_contact(travel.db, number, on=day, note="单位联系", actor_login="discipline1", today=TODAY)
    return zhang, li


@pytest.fixture(scope="session")
def register_snapshot(world_file, tmp_path_factory) -> TravelSnapshot:
    """The register's world, built once a worker session; each test works on a copy."""
    return snapshot_maker(world_file, tmp_path_factory, add_travel_users, "web-register")(add_register_people)


@pytest.fixture
def register(request, register_snapshot, tmp_path) -> Register:
    if reads_only(request):
        yield Register(request.getfixturevalue("shared_world").travel, *register_snapshot.built)
        return
    travel = register_snapshot.open(tmp_path / "web.db")
    yield Register(travel, *register_snapshot.built)
    travel.db.dispose()


@pytest.fixture
def world(register):
    return register.travel.world


business_day = travel_pages.business_day  # the app serves the register's world on the travel pages' day


@pytest.fixture
def shared_world(register_snapshot, shared_worlds, tmp_path_factory):
    """The module's shared copy of the register's world (asked for by a `reads_only` test only)."""
    return shared_travel_world(register_snapshot, shared_worlds, tmp_path_factory)


def person_id_of(register: Register, number: str) -> int:
    from sqlalchemy import select

    from lostcontact.uow import UnitOfWork
    from models import Person
    with UnitOfWork(register.db, write=False) as uow:
        return uow.session.scalar(select(Person.id).where(Person.id_number == number))
