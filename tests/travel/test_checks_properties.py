"""Running the checks on any days in any order: each problem is found once, on the first day of the runs that
could find it, and the problems found are exactly those some single day's run finds (nothing invented by
running twice, nothing lost by running out of order)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import delete, select

from lostcontact.services.travel import documents
from lostcontact.services.travel.checks import run_checks
from models import Problem, ProblemEvent

from ..builders import make_id_number
from .conftest import TODAY
from .police_files import holding, import_holdings

DAYS = [date(2024, 1, 5), date(2024, 1, 31), date(2024, 2, 20), date(2024, 3, 16), date(2024, 4, 10),
        date(2024, 5, 21), date(2024, 6, 28)]


def reset(db) -> None:
    with db.engine.begin() as conn:
        conn.execute(delete(ProblemEvent.__table__))
        conn.execute(delete(Problem.__table__))


def keys_found(db) -> dict[tuple, date]:
    table = Problem.__table__
    with db.engine.connect() as conn:
        return {(r.person_id, r.kind, r.subject): r.found_on
                for r in conn.execute(select(table.c.person_id, table.c.kind, table.c.subject, table.c.found_on))}


@pytest.fixture
def planted(travel, tmp_path):
    """Persons filed on different days, documents handed in late, on time or never, a checkout returned late,
    police holdings issued before and after filing, another identity: then what each day alone finds."""
    wang = travel.person("王五", registered_on=date(2024, 1, 3))
    travel.document(wang, number="E10000001", at=date(2024, 1, 3))                 # never handed in
    li = travel.person("李四", registered_on=date(2024, 2, 1))
    late = travel.document(li, number="E10000002", at=date(2024, 2, 1))
    documents.fire_custody(travel.db, late, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 3, 20))
    zhao = travel.person("赵六", registered_on=date(2024, 1, 3))
    trip = travel.document(zhao, number="E10000003", at=date(2024, 1, 3))
    documents.fire_custody(travel.db, trip, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 1, 4))
    documents.fire_custody(travel.db, trip, "check_out", actor_login="cadre1", today=TODAY, at=date(2024, 4, 1),
                           trip_id=travel.trip(zhao, trip, departure=date(2024, 4, 3), ret=date(2024, 4, 20),
                                               on=date(2024, 3, 25)))
    documents.fire_custody(travel.db, trip, "return", actor_login="cadre1", today=TODAY, at=date(2024, 6, 1))
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "C20000001", kind="hkmo_private", issued="2024-02-10"),
                    holding(li, "李四", "C20000002", kind="hkmo_private", issued="2023-05-01"),
                    holding(make_id_number(900), "赵六", "G30000001", issued="2024-03-01"), today=TODAY)
    oracle = {}
    for day in DAYS:
        reset(travel.db)
        run_checks(travel.db, as_of=day, today=TODAY, actor_login="cadre1")
        oracle[day] = set(keys_found(travel.db))
    assert {kind for _, kind, _ in set().union(*oracle.values())} == {"M1", "P1", "P2"}  # every check finds some
    return travel, oracle


@pytest.mark.slow  # ten random worlds, each swept over many days
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.sampled_from(DAYS), min_size=1, max_size=6))
def test_runs_on_any_days_in_any_order_find_each_problem_once_on_the_first_day_that_could(planted, days):
    travel, oracle = planted
    reset(travel.db)
    reported = sum(sum(run_checks(travel.db, as_of=day, today=TODAY, actor_login="cadre1").values()) for day in days)
    found = keys_found(travel.db)
    assert reported == len(found)
    assert set(found) == set().union(*(oracle[day] for day in days))
    for key, found_on in found.items():
        assert found_on == next(day for day in days if key in oracle[day])
