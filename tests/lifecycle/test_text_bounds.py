"""Free text typed into a case is bounded the same on both engines — 200 characters for a witness, 4,000 for a
note or an opinion — and refused clearly (exit 2) before the database sees it: PostgreSQL used to fail with an
internal error, SQLite stored any length."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.services.cases import fire, log_search, open_case
from models import CaseEvent, SearchEntry
from statemachines.errors import UsageError

DAY = date(2016, 3, 2)


@pytest.fixture
def searching_case(db, world):
    number = world.add_member("张三", branch="B1", last_contact=date(2015, 8, 31))
    case_id = open_case(db, number, actor_login="officer1", today=DAY, cause=1, at=date(2016, 3, 1))
    fire(db, case_id, "start_search", actor_login="officer1", today=DAY)
    return case_id


def rows(db, model) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(("field", "length"), [("witness", 201), ("witness", 300), ("note", 4001)])
def test_a_search_entry_text_beyond_its_bound_is_refused(db, searching_case, field, length):
    with pytest.raises(UsageError, match=f"{field} is longer than"):
        log_search(db, searching_case, channel="relatives", outcome="lead", actor_login="officer1", today=DAY,
                   **{field: "证" * length})
    assert rows(db, SearchEntry) == 0


def test_texts_at_their_bounds_are_kept_whole(db, searching_case):
    log_search(db, searching_case, channel="relatives", outcome="lead", actor_login="officer1", today=DAY,
               witness="证" * 200, note="记" * 4000)
    with db.engine.connect() as conn:
        assert conn.execute(select(func.length(SearchEntry.witness), func.length(SearchEntry.note))).one() == (200, 4000)


def test_an_opinion_beyond_its_bound_is_refused(db, searching_case):
    before = rows(db, CaseEvent)
    with pytest.raises(UsageError, match="opinion is longer than 4000"):
        fire(db, searching_case, "void", actor_login="reviewer1", today=DAY, opinion="意" * 4001)
    assert rows(db, CaseEvent) == before


@pytest.mark.parametrize("length", [101, 300])
def test_a_user_name_beyond_its_column_is_refused_on_both_engines(db, world, length):
    from lostcontact.services import users
    from models import User
    with pytest.raises(UsageError, match="name is longer than 100"):
        users.add_user(db, "wangwu", role="branch_officer", org_code="B1", name="王" * length)
    with pytest.raises(UsageError, match="name is longer than 100"):
        users.add_user(db, "officer1", role="branch_officer", org_code="B2", name="王" * length)
    with db.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(User).where(User.login == "wangwu")) == 0
