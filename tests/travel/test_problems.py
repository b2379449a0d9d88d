"""Problems through the services (PROGRAMMES.md §4): found by a check or recorded by hand (Q1–Q3), verified,
then handled with measures or dismissed with a reason; each step one history record at the version read;
every view as of a day; each role sees what §8 lets it. On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.queries.travel.problems import list_problems, show_problem
from lostcontact.services.travel.checks import run_checks
from lostcontact.services.travel.problems import fire_problem, record_problem
from statemachines.errors import BadInput, Conflict, Refused, UsageError

from .conftest import TODAY


@pytest.fixture
def found(travel) -> tuple[int, str]:
    """王五 (B1, filed 2024-01-10) kept his private passport: P2 found on 2024-03-01. (problem id, ID number)"""
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    travel.document(wang, number="E10000001", at=date(2024, 1, 10))
    assert run_checks(travel.db, as_of=date(2024, 3, 1), today=TODAY, actor_login="cadre1")["P2"] == 1
    [problem] = list_problems(travel.db, actor_login="cadre1", today=TODAY)
    return problem["id"], wang


def step(travel, problem_id, trigger, *, at, actor="cadre1", **kw):
    return fire_problem(travel.db, problem_id, trigger, actor_login=actor, today=TODAY, at=at, **kw)


def test_a_problem_is_verified_and_handled_and_its_history_reads_back_on_any_day(travel, found):
    problem_id, _ = found
    step(travel, problem_id, "verify", at=date(2024, 3, 5))
    result = step(travel, problem_id, "handle", at=date(2024, 3, 20), measures=("批评教育", "admonition"),
                  reason="已收缴证件")
    assert (result.from_status, result.to_status, result.version) == ("verifying", "handled", 3)
    shown = show_problem(travel.db, problem_id, actor_login="cadre1", today=TODAY)
    assert [h["trigger"] for h in shown["history"]] == ["find", "verify", "handle"]
    assert shown["measures"] == ["criticism", "admonition"] and shown["status"] == "handled"
    then = list_problems(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 3, 10))
    assert [(p["status"], p["measures"]) for p in then] == [("verifying", [])]
    assert list_problems(travel.db, actor_login="cadre1", today=TODAY, as_of=date(2024, 2, 29)) == []
    assert [p["id"] for p in list_problems(travel.db, actor_login="cadre1", today=TODAY, status="handled",
                                           kind="P2")] == [problem_id]


def test_a_dismissal_needs_its_reason_and_handling_a_measure(travel, found):
    problem_id, _ = found
    step(travel, problem_id, "verify", at=date(2024, 3, 5))
    with pytest.raises(UsageError):
        step(travel, problem_id, "dismiss", at=date(2024, 3, 6))
    with pytest.raises(UsageError):
        step(travel, problem_id, "handle", at=date(2024, 3, 6))
    with pytest.raises(UsageError, match="unknown measure"):
        step(travel, problem_id, "handle", at=date(2024, 3, 6), measures=("罚款",))
    assert step(travel, problem_id, "dismiss", at=date(2024, 3, 6), reason="证件已于期限内交回").to_status == "dismissed"
    with pytest.raises(Refused):
        step(travel, problem_id, "handle", at=date(2024, 3, 7), measures=("criticism",))


def test_a_stale_version_or_a_day_before_the_latest_record_is_refused_and_changes_nothing(travel, found):
    problem_id, _ = found
    step(travel, problem_id, "verify", at=date(2024, 3, 5))
    with pytest.raises(Conflict):
        step(travel, problem_id, "dismiss", at=date(2024, 3, 6), reason="x", expected_version=1)
    with pytest.raises(Refused):
        step(travel, problem_id, "dismiss", at=date(2024, 3, 4), reason="x")
    assert show_problem(travel.db, problem_id, actor_login="cadre1", today=TODAY)["version"] == 2


def test_the_exit_entry_liaison_records_q1_to_q3_once_and_no_other_kind(travel):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))

    def record(kind="Q2", actor="liaison1", evidence="某出入境办证窗口未经审批为其办理普通护照"):
        return record_problem(travel.db, wang, kind, evidence=evidence, actor_login=actor, today=TODAY,
                              at=date(2024, 4, 1))

    problem_id = record()
    with pytest.raises(Conflict):
        record()
    with pytest.raises(UsageError):
        record(kind="P1")
    with pytest.raises(Refused):
        record(actor="cadre1")
    shown = show_problem(travel.db, problem_id, actor_login="liaison1", today=TODAY)
    assert (shown["kind"], shown["status"], shown["history"][0]["trigger"]) == ("Q2", "found", "record")
    assert fire_problem(travel.db, problem_id, "verify", actor_login="liaison1", today=TODAY).to_status == "verifying"


def test_each_role_sees_what_it_may_and_anything_else_is_an_unknown_problem(travel, found):
    problem_id, wang = found
    q = record_problem(travel.db, wang, "Q1", evidence="伪造证件", actor_login="liaison1", today=TODAY)
    listed = {actor: [p["kind"] for p in list_problems(travel.db, actor_login=actor, today=TODAY)]
              for actor in ("cadre1", "discipline1", "liaison1", "cadre2")}
    assert listed == {"cadre1": ["P2", "Q1"], "discipline1": ["P2", "Q1"], "liaison1": ["Q1"], "cadre2": []}
    unknown = {}
    for actor, pid in (("liaison1", problem_id), ("cadre2", problem_id), ("cadre2", q), ("cadre1", 999)):
        with pytest.raises(BadInput) as refusal:
            show_problem(travel.db, pid, actor_login=actor, today=TODAY)
        unknown[actor, pid] = refusal.value.en.replace(str(pid), "N")
        with pytest.raises(BadInput):
            fire_problem(travel.db, pid, "verify", actor_login=actor, today=TODAY)
    assert len(set(unknown.values())) == 1
    with pytest.raises(Refused):
        fire_problem(travel.db, problem_id, "verify", actor_login="discipline1", today=TODAY)
