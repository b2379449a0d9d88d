"""The daily flow run through Prefect: same results as in-process, one task per partition, the run logged."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import SweepRun
from tests.builders import build_world

from .helpers import cases_by_member


def test_the_daily_flow_through_prefect_opens_cases_and_logs_the_run(sqlite_db, prefect_server, monkeypatch):
    from workflows.sweep import daily_sweep

    monkeypatch.setenv("LOSTCONTACT_DB", sqlite_db.url)
    world = build_world(sqlite_db)
    lost = world.add_member("流程", last_contact=date(2015, 8, 31))
    world.add_member("正常", last_contact=date(2016, 2, 1))
    result = daily_sweep(as_of=date(2016, 3, 1))
    assert result["mode"] == "prefect" and result["counts"]["R1"] == 1
    assert cases_by_member(sqlite_db) == {lost: (date(2016, 3, 1), date(2015, 8, 31), "R1")}
    again = daily_sweep(as_of=date(2016, 3, 1))
    assert again["counts"]["R1"] == 0
    with UnitOfWork(sqlite_db, write=False) as uow:
        runs = uow.session.execute(select(SweepRun.mode, SweepRun.status, SweepRun.as_of, SweepRun.counts)).all()
    assert [(m, s, d) for m, s, d, _c in runs] == [("prefect", "completed", date(2016, 3, 1))] * 2
    assert json.loads(runs[0][3])["R1"] == 1
    # privacy: flow parameters and results carry dates, org codes and counts, never a name or an ID number
    assert lost not in json.dumps(result) and "流程" not in json.dumps(result)


def test_the_sweep_command_runs_the_flow_through_prefect_when_an_api_url_is_set(tmp_path, prefect_server, monkeypatch):
    from prefect.settings import PREFECT_API_URL
    from typer.testing import CliRunner

    from lostcontact.cli import common
    from lostcontact.cli.main import app
    from models.db import open_database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LOSTCONTACT_DB", url)
    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    common._state.clear()
    cli = CliRunner()
    assert cli.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    db = open_database(url)
    try:
        lost = build_world(db).add_member("命令", last_contact=date(2015, 8, 31))
        result = cli.invoke(app, ["sweep", "--as-of", "2016-03-01"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "ran through Prefect" in result.output
        assert cases_by_member(db) == {lost: (date(2016, 3, 1), date(2015, 8, 31), "R1")}
        with UnitOfWork(db, write=False) as uow:
            assert uow.session.scalars(select(SweepRun.mode)).all() == ["prefect"]
    finally:
        db.dispose()
        common._state.clear()
