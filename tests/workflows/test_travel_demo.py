"""`lostcontact demo --programme travel`: the travel programme told through its services, in its own fresh
database, with a case planted for every kind of check — each one found — and its findings printed in Chinese."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app
from lostcontact.demo import run_travel_demo
from lostcontact.queries.travel.problems import list_problems
from lostcontact.services.auth import authenticate
from lostcontact.services.travel.checks import CHECKS
from lostcontact.demo.travel_story import SWEEP_DAYS
from models import Alert, Person, PoliceCrossing, ProblemEvent, SelfReport, SweepRun, Trip
from models.db import open_database
from statemachines.travel.codes import PROBLEM_KINDS, RECORDED_BY_HAND

LAST = date(2026, 11, 30)
PASSWORD = "demo-secret-42"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("travel-demo") / "lostcontact-demo.db"
    story = run_travel_demo(last=LAST, seed=3, persons=40, path=path)
    db = open_database(story.db_url)
    yield story, db
    db.dispose()


def test_every_kind_of_check_finds_the_case_planted_for_it(demo):
    story, db = demo
    kinds = {row["kind"] for row in list_problems(db, actor_login=None, today=LAST, as_of=LAST)}
    for kind in CHECKS:
        assert story.found[kind] > 0 and kind in kinds, kind
    assert set(RECORDED_BY_HAND) <= kinds


def test_the_daily_sweep_over_the_last_days_raises_the_programme_s_alerts_and_runs_the_checks(demo):
    story, db = demo
    assert story.swept == SWEEP_DAYS
    for rule in ("T1", "T2", "T3", "S1"):   # custody deadlines, change reports, missed self-reports
        assert story.alerts.get(rule, 0) > 0, rule
    with db.engine.connect() as conn:
        runs = conn.scalars(select(SweepRun.as_of).where(SweepRun.status == "completed")).all()
        raised = dict(conn.execute(select(Alert.rule, func.count()).group_by(Alert.rule)).all())
        finders = set(conn.scalars(select(ProblemEvent.role).where(ProblemEvent.trigger == "find")))
    assert sorted(runs) == [LAST - timedelta(days=back) for back in range(SWEEP_DAYS - 1, -1, -1)]
    assert all(raised.get(rule) == count for rule, count in story.alerts.items() if count)
    assert finders == {"system"}   # the checks ran in the sweep, as the system


def test_the_cases_the_checks_to_come_will_look_for_are_planted(demo):
    """P3–P7 are plugged into CHECKS separately: what they look for is in the demo already."""
    _story, db = demo
    with db.engine.connect() as conn:
        deviations = conn.scalars(select(Trip.deviations).where(Trip.deviations.is_not(None))).all()
        unapproved = conn.scalar(select(func.count()).select_from(PoliceCrossing).where(
            PoliceCrossing.destination == "柬埔寨"))
        below_authority = conn.scalar(select(func.count()).select_from(Trip).join(Person).where(
            Trip.approved_by == "cadre_41100103", Person.rank == "township"))  # the county approves 乡科级
        zero_confirmed = conn.scalar(select(func.count()).select_from(SelfReport).where(
            SelfReport.state == "confirmed", SelfReport.zero_report.is_(True)))
    assert any("left_early" in d and "returned_late" in d and "other_destination" in d for d in deviations)  # P5
    assert unapproved == 1 and below_authority == 1 and zero_confirmed > 0                           # P4, P7, P3


def test_the_story_has_every_path_of_the_lifecycles(demo):
    story, _db = demo
    assert {"closed", "refused", "returned", "consulted"} <= set(story.trips)
    assert {"confirmed", "zero", "returned", "owed", "submitted"} <= set(story.reports)
    assert story.imported["police_holdings"] > 0 and story.imported["police_crossings"] > 0
    assert story.handled >= 3 and story.form.exists() and story.cpu_seconds < 15   # some 3 s alone, its sweeps included


def test_the_travel_demo_users_log_in_with_the_demo_password(tmp_path):
    from lostcontact.services.auth import hash_password

    story = run_travel_demo(last=LAST, seed=1, persons=23, path=tmp_path / "demo.db",
                            password_hash=hash_password(PASSWORD))
    db = open_database(story.db_url)
    try:
        now = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
        for login in ("cadre_411001", "discipline_411001", "liaison_411001"):
            assert authenticate(db, login, PASSWORD, now=now).login == login
    finally:
        db.dispose()


def invoke(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    common._state.clear()
    try:
        return CliRunner().invoke(app, ["demo", *args], catch_exceptions=False)
    finally:
        common._state.clear()


def test_the_command_prints_the_findings_by_kind_in_chinese_the_same_for_a_start(tmp_path, monkeypatch):
    args = ("--programme", "travel", "--persons", "23", "--start", "2026-11-01", "--password", PASSWORD)
    first, second = invoke(tmp_path, monkeypatch, *args), invoke(tmp_path, monkeypatch, *args)
    assert first.exit_code == 0, first.output
    same = lambda text: re.sub(r"用时 [0-9.]+ s", "", text)  # noqa: E731 - all but the time taken
    assert same(first.output) == same(second.output)
    assert "2026-11-30 自动检查发现的问题（按类别）" in first.output
    assert re.search(r"每日督办（最后 \d+ 天，与 lostcontact sweep 相同）.*证件逾期未交 [1-9]", first.output)
    for kind in CHECKS:
        assert re.search(rf"{kind} {re.escape(PROBLEM_KINDS[kind])}（自动检查）：[1-9]", first.output), kind
    assert "干部因私出国（境）管理工作有关情况统计表" in first.output
    assert (tmp_path / "lostcontact-demo-management.html").exists()
    assert "cadre_411001（县委组织部干部监督科" in first.output
    holdings = (tmp_path / "lostcontact-demo-police-holdings.csv").read_text(encoding="utf-8").splitlines()[1:]
    numbers = {cell for line in holdings for cell in line.split(",")[:4:3]}  # ID and document numbers
    assert numbers and not any(number in first.output for number in numbers)


def test_a_bad_programme_or_too_few_persons_is_a_usage_error(tmp_path, monkeypatch):
    bad = invoke(tmp_path, monkeypatch, "--programme", "travels")
    few = invoke(tmp_path, monkeypatch, "--programme", "travel", "--persons", "5")
    assert bad.exit_code == few.exit_code == 2
    assert "--programme" in bad.output and "--persons" in few.output
    assert not (tmp_path / "lostcontact-demo.db").exists()
