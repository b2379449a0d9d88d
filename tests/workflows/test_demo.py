"""`lostcontact demo`: its own fresh database, deterministic for a seed, alerts by traffic light."""
from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app
from lostcontact.demo import run_demo
from lostcontact.queries.alerts import open_alerts
from models.db import open_database

MARCH_2025 = date(2025, 3, 1)


def alerts_of(path, day):
    db = open_database(f"sqlite:///{path}")
    try:
        return open_alerts(db, today=day, as_of=day)
    finally:
        db.dispose()


@pytest.mark.slow  # the 30-day demo, twice
def test_the_demo_is_the_same_for_a_seed_and_replaces_its_database(tmp_path):
    path = tmp_path / "lostcontact-demo.db"
    first = run_demo(members=80, seed=7, days=12, start=MARCH_2025, path=path)
    seen = alerts_of(path, first.last_day)
    second = run_demo(members=80, seed=7, days=12, start=MARCH_2025, path=path)
    assert alerts_of(path, second.last_day) == seen and second.totals == first.totals
    assert first.totals["R1"] > 0 and {a["level"] for a in seen} >= {"reminder"}


def test_the_demo_command_prints_alerts_by_traffic_light_and_how_to_explore(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    common._state.clear()
    result = CliRunner().invoke(app, ["demo", "--members", "60", "--days", "10", "--seed", "3",
                                      "--start", "2025-03-01"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "open alerts by traffic light" in result.output and "黄灯" in result.output
    assert "LOSTCONTACT_DB=sqlite:///lostcontact-demo.db lostcontact cases" in result.output
    assert (tmp_path / "lostcontact-demo.db").exists()
    assert date(2025, 3, 10).isoformat() in result.output


def test_every_demo_member_has_an_id_number_the_importer_would_accept(tmp_path):
    from sqlalchemy import select

    from lostcontact.importing.values import id_number_problem
    from models import Member

    path = tmp_path / "lostcontact-demo.db"
    run_demo(members=80, seed=5, days=2, start=MARCH_2025, path=path)
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            numbers = conn.scalars(select(Member.id_number)).all()
    finally:
        db.dispose()
    assert len(numbers) >= 80
    assert [n for n in numbers if id_number_problem(n)] == []
