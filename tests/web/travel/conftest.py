"""The 证件管理 pages over the web world (tests/web/conftest.py) with the travel programme's users
(tests/travel/conftest.py), each with the web world's password, on the travel tests' business day."""
from __future__ import annotations

import pytest

from lostcontact.services import auth
from lostcontact.services.users import add_user
from lostcontact.web import create_app
from tests.travel.conftest import TODAY, TRAVEL_USERS, TravelWorld
from tests.web.conftest import PASSWORD

__all__ = ["TODAY"]


def add_travel_users(world) -> TravelWorld:
    for login, role, org in TRAVEL_USERS:
        add_user(world.db, login, role=role, org_code=org, name={"cadre1": "赵干部", "cadre2": "钱干部",
                                                               "discipline1": "孙纪检", "liaison1": "周联络",
                                                               "cadre_city": "吴部长"}[login])
        auth.set_password(world.db, login, PASSWORD)
    return TravelWorld(world, world.db)


@pytest.fixture
def travel(world) -> TravelWorld:
    return add_travel_users(world)


@pytest.fixture
def app(world, clock, travel):
    return create_app(world.db, today=lambda: TODAY, now=clock, secret_key="test-secret")


def section(html: str, testid: str) -> str:
    """The HTML of the element carrying data-testid=testid, up to the end of its section."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]
