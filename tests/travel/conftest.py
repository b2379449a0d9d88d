"""The travel-documents world: tests/builders.py's org tree and users, plus the programme's roles.

    cadre1      cadre_supervisor   at C1 (区直机关党委: B1, GB1, B2)
    cadre2      cadre_supervisor   at C2 (街道党委: B3)
    discipline1 discipline_officer at 410402
    liaison1    exit_entry_liaison at 410402
    cadre_city  cadre_supervisor   at 410400 (the city: approves county-rank persons' trips, the default policy)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lostcontact.services.travel import documents, persons, trips
from lostcontact.services.users import add_user
from models.db import Database

from ..builders import World, build_world, make_id_number
from ..cli.conftest import Cli
from ..conftest import built_on

TODAY = date(2024, 6, 28)
TRAVEL_USERS = [("cadre1", "cadre_supervisor", "C1"), ("cadre2", "cadre_supervisor", "C2"),
                ("discipline1", "discipline_officer", "410402"), ("liaison1", "exit_entry_liaison", "410402"),
                ("cadre_city", "cadre_supervisor", "410400")]


@dataclass
class TravelWorld:
    world: World
    db: Database
    serial: int = 500

    def person(self, name: str = "王五", *, org: str = "B1", rank: str = "county", at: date = date(2024, 1, 2),
               person_type: str | None = "county_level_serving", registered_on: date | None = None,
               actor: str = "cadre1", **fields) -> str:
        """A person recorded on `at` (and filed on `registered_on`); returns the ID number."""
        self.serial += 1
        number = make_id_number(self.serial)
        persons.add_person(self.db, number, name=name, org_code=org, rank=rank, actor_login=actor, today=TODAY,
                           at=at, person_type=person_type, **fields)
        if registered_on:
            persons.fire_registration(self.db, number, "register", actor_login=actor, today=TODAY, at=registered_on)
        return number

    def document(self, id_number: str, *, kind: str = "passport_private", number: str | None = None,
                 issued: date = date(2020, 1, 1), expires: date = date(2030, 1, 1), at: date = date(2024, 1, 10),
                 actor: str = "cadre1") -> int:
        self.serial += 1
        return documents.add_document(self.db, id_number, kind=kind, number=number or f"E{self.serial:08d}",
                                      issued_on=issued, expires_on=expires, actor_login=actor, today=TODAY, at=at)


    def trip(self, id_number: str, document_id: int, *, departure: date = date(2024, 3, 10),
             ret: date = date(2024, 3, 20), destinations: tuple[str, ...] = ("泰国",), on: date = date(2024, 3, 1),
             until: str = "approved", approver: str = "cadre_city") -> int:
        """A private trip applied for on `on` and taken, that same day, as far as `until` (draft, submitted,
        consulted or approved: the discipline organ consulted, the city's cadre supervisor approving)."""
        trip_id = trips.apply_trip(self.db, id_number, document_id=document_id, destinations=list(destinations),
                                   reason="探亲", planned_departure=departure, planned_return=ret,
                                   actor_login="cadre1", today=TODAY, at=on).trip_id
        steps = [("submit", "cadre1", None), ("consult", "discipline1", "无不同意见"), ("approve", approver, "同意")]
        for trigger, actor, note in steps[:["draft", "submitted", "consulted", "approved"].index(until)]:
            trips.fire_trip(self.db, trip_id, trigger, actor_login=actor, today=TODAY, at=on, note=note)
        return trip_id


def travel_world(database: Database) -> TravelWorld:
    world = build_world(database)
    for login, role, org in TRAVEL_USERS:
        add_user(database, login, role=role, org_code=org)
    return TravelWorld(world, database)


@pytest.fixture
def travel(db, sqlite_snapshot) -> TravelWorld:
    """The travel world in the test's `db` (on SQLite a copy of the session's build)."""
    return built_on(db, sqlite_snapshot, "travel-world", travel_world)


def _world_with_travel_users(database) -> None:
    build_world(database)
    for login, role, org in TRAVEL_USERS:
        add_user(database, login, role=role, org_code=org)


@pytest.fixture
def cli(tmp_path, monkeypatch, sqlite_snapshot):
    """The command line on an initialised SQLite file holding the builders' world and the programme's users."""
    return Cli(sqlite_snapshot("travel-world", travel_world).copy_to(tmp_path / "cli.db"), monkeypatch)
