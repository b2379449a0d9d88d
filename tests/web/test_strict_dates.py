"""The API, the pages' query strings and the forms take a date only as YYYY-MM-DD: a Unix timestamp, 20160412,
ISO week or ordinal forms and date-times are refused (422 from the API, a usage error from a form)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from lostcontact.web.forms import parse_day
from models import CaseEvent
from statemachines.errors import UsageError

NOT_DATES = [1460419200, 1460419200.0, "1460419200", "20160412", "2016-W15-2", "2016-103", "2016-04-12T00:00:00",
             "2016-4-12", " 2016-04-12", "２０１６-04-12"]


def events(world) -> int:
    with world.db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(CaseEvent))


@pytest.mark.parametrize("value", NOT_DATES, ids=repr)
def test_the_api_refuses_a_date_not_written_yyyy_mm_dd(app, world, api_token, b1_case, value):
    client, headers = TestClient(app), api_token("officer1")
    before = events(world)
    fired = client.post(f"/api/cases/{b1_case}/fire", json={"trigger": "start_search", "at": value}, headers=headers)
    assert fired.status_code == 422, fired.text
    assert events(world) == before
    tally = client.get("/api/tally", params={"org": "C1", "as_of": str(value)}, headers=api_token("reviewer1"))
    assert tally.status_code == 422


def test_the_api_still_takes_yyyy_mm_dd(app, api_token, b1_case):
    fired = TestClient(app).post(f"/api/cases/{b1_case}/fire", json={"trigger": "start_search", "at": "2016-06-20"},
                                 headers=api_token("officer1"))
    assert fired.status_code == 200, fired.text


@pytest.mark.parametrize("value", [v for v in NOT_DATES if isinstance(v, str) and v.strip() == v], ids=repr)
def test_a_form_refuses_a_date_not_written_yyyy_mm_dd(value):
    with pytest.raises(UsageError, match="must be YYYY-MM-DD"):
        parse_day(value, "日期", "at")
