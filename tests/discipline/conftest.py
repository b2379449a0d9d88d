"""The discipline register's world: the travel programme's (its persons, users and roles; discipline1 is a
discipline officer at 410402) plus a discipline officer of 街道党委 only (discipline2 at C2)."""
from __future__ import annotations

import pytest

from lostcontact.services.users import add_user

from ..travel.conftest import TODAY, TravelWorld, cli, travel  # noqa: F401  (fixtures used by the tests here)


@pytest.fixture
def register(travel) -> TravelWorld:
    add_user(travel.db, "discipline2", role="discipline_officer", org_code="C2")
    return travel


__all__ = ["TODAY", "cli", "travel", "register"]
