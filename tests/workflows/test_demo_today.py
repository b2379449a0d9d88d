"""`lostcontact demo` ends on the settings' today (injected here), so that the commands it prints afterwards
make sense; `--start` still fixes the dates; a year without holiday data is said plainly."""
from __future__ import annotations

import shlex
from datetime import date

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app
from lostcontact.config import Settings
from models import Case
from models.db import open_database
from statemachines.clocks import statutory_year_known

DEMO_DB_ENV = "LOSTCONTACT_DB=sqlite:///lostcontact-demo.db"
PASSWORD = "demo-secret-42"


@pytest.fixture
def demo_at(tmp_path, monkeypatch):
    """Runs `lostcontact …` in a fresh folder on a day the test chooses (the settings' today)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOSTCONTACT_DB", raising=False)

    def invoke(today: date, *args: str, env: dict[str, str] | None = None):
        monkeypatch.setattr(Settings, "today", lambda self: today)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        common._state.clear()
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        common._state.clear()
        return result

    invoke.path = tmp_path / "lostcontact-demo.db"
    return invoke


def small_demo(demo_at, today: date, *extra: str):
    result = demo_at(today, "demo", "--members", "60", "--days", "10", "--seed", "3", "--password", PASSWORD, *extra)
    assert result.exit_code == 0, result.output
    return result


def printed_commands(output: str) -> list[list[str]]:
    """The follow-up commands as typed (the environment prefix off), `serve` aside: it does not return."""
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith(DEMO_DB_ENV)]
    commands = [shlex.split(line.removeprefix(DEMO_DB_ENV).strip())[1:] for line in lines]
    return [c for c in commands if c != ["serve"]]


def case_count(path) -> int:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Case))
    finally:
        db.dispose()


def test_by_default_the_demo_ends_today_says_how_to_open_the_web_app_and_its_commands_run_as_of_today(demo_at):
    today = date(2026, 6, 30)
    output = small_demo(demo_at, today).output
    assert "2026-06-21 至 2026-06-30 共 10 天" in output
    assert "2026-06-30 未关闭的提醒" in output
    assert f"{DEMO_DB_ENV} lostcontact serve" in output and "http://127.0.0.1:8000/" in output
    assert f"demo password (every demo user): {PASSWORD}" in output
    assert "用户 login officer_411001010101（县第一中学党支部书记" in output
    assert "节假日数据尚未安装" not in output  # 2026 is known, and so is the horizon up to October
    # the printed commands run as of today without errors, and the sweep among them opens nothing new
    commands = printed_commands(output)
    assert ["sweep"] in commands and ["users", "list"] in commands and ["cases", "--overdue"] in commands
    assert not [c for c in commands if "--as-of" in c]  # the demo ended today: today is what they show
    opened = case_count(demo_at.path)
    assert opened > 0
    for command in commands:
        result = demo_at(today, *command, env={"LOSTCONTACT_DB": "sqlite:///lostcontact-demo.db"})
        assert result.exit_code == 0, (command, result.output)
    assert case_count(demo_at.path) == opened  # today's sweep already ran inside the demo: exactly once


def test_with_start_the_dates_are_fixed_and_the_printed_commands_carry_the_demos_last_day(demo_at):
    today = date(2026, 12, 7)
    output = small_demo(demo_at, today, "--start", "2025-03-01").output
    assert "2025-03-01 至 2025-03-10" in output
    commands = printed_commands(output)
    assert ["sweep", "--as-of", "2025-03-10"] in commands and ["cases", "--as-of", "2025-03-10"] in commands
    assert "网页按今天（2026-12-07）显示，演示截至 2025-03-10" in output
    opened = case_count(demo_at.path)
    for command in commands:
        result = demo_at(today, *command, env={"LOSTCONTACT_DB": "sqlite:///lostcontact-demo.db"})
        assert result.exit_code == 0, (command, result.output)
    assert case_count(demo_at.path) == opened


def test_a_demo_that_would_end_after_today_is_refused_and_writes_nothing(demo_at):
    result = demo_at(date(2026, 6, 30), "demo", "--start", "2026-06-25", "--days", "10", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "演示将持续到 2026-07-04，晚于今天（2026-06-30）" in result.output
    assert "after today" in result.output
    assert not demo_at.path.exists()


def test_a_too_short_demo_password_is_refused_before_anything_is_written(demo_at):
    result = demo_at(date(2026, 6, 30), "demo", "--password", "short")
    assert result.exit_code == 2 and "至少 8 个字符" in result.output
    assert not demo_at.path.exists()


def test_without_a_password_option_the_demo_prints_a_new_one(demo_at):
    first = demo_at(date(2026, 6, 30), "demo", "--members", "20", "--days", "1")
    assert first.exit_code == 0, first.output
    marker = "demo password (every demo user): "
    password = first.output.split(marker, 1)[1].split()[0]
    assert password.startswith("demo-") and len(password) >= 8


def test_a_demo_year_without_holiday_data_is_said_plainly_as_the_sweep_says_it(demo_at):
    assert not statutory_year_known(2027), "the installed holiday data now knows 2027: pick a later year"
    output = small_demo(demo_at, date(2027, 3, 31), "--start", "2027-03-01").output
    assert "注意：2027 年法定节假日数据尚未安装：该年按周一至周五计算工作日，相关期限为暂定" in output
    assert "no statutory holiday data for 2027" in output
