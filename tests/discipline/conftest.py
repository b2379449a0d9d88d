"""The discipline register's world: the travel programme's (its persons, users and roles; discipline1 is a
discipline officer at 410402) plus a discipline officer of 街道党委 only (discipline2 at C2)."""
from __future__ import annotations

import pytest

from lostcontact.services.users import add_user

from ..travel.conftest import TODAY, TravelWorld, cli, travel, travel_world  # noqa: F401  (fixtures used here)


def register_world(database) -> TravelWorld:
    """The travel world with discipline2 beside it: for a builder that starts from a bare database."""
    return with_discipline2(travel_world(database))


def with_discipline2(travel: TravelWorld) -> TravelWorld:
    add_user(travel.db, "discipline2", role="discipline_officer", org_code="C2")
    return travel


@pytest.fixture
def register(travel) -> TravelWorld:
    return with_discipline2(travel)


__all__ = ["TODAY", "cli", "travel", "register", "register_world"]
