import functools
import json
import shutil
from datetime import date
from pathlib import Path
from unittest.mock import patch

import click
import pytest
import typer.main
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app

from ..builders import build_world


@functools.cache
def whole_app() -> click.Command:
    """The whole app as click runs it, built once a session: building it (a hundred commands) costs more than
    most commands do, and it is the same every time (tests/cli/test_cli_start.py checks that a command built
    alone, as `main()` builds it, answers exactly as the whole app does)."""
    return typer.main.get_command(app)


class WholeAppRunner(CliRunner):
    """typer's CliRunner on the whole app built once, instead of building it again for every command."""

    def invoke(self, typer_app, *args, **kwargs):
        with patch("typer.testing._get_command", lambda _app: whole_app()):
            return super().invoke(typer_app, *args, **kwargs)


class Cli:
    """Runs `lostcontact …` in-process against one database, as a user would type it."""

    def __init__(self, url: str, monkeypatch):
        self.url = url
        self.monkeypatch = monkeypatch
        self.runner = WholeAppRunner()

    def __call__(self, *args: str):
        self.monkeypatch.setenv("LOSTCONTACT_DB", self.url)
        self.monkeypatch.setenv("LOSTCONTACT_TZ", "Asia/Shanghai")
        common._state.clear()
        return self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    def json(self, *args: str):
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path, monkeypatch, migrated_template):
    """The command line on a database as `lostcontact init` leaves it (a copy of the session's migrated file:
    the walkthrough and tests/test_migrations.py run the migrations themselves)."""
    shutil.copyfile(migrated_template, tmp_path / "cli.db")
    yield Cli(f"sqlite:///{tmp_path / 'cli.db'}", monkeypatch)
    common._state.clear()


def load_snapshot(cli: Cli, snapshot):
    """The world of a session's snapshot (tests/conftest.py sqlite_snapshot) put into the `cli` fixture's
    database file before any command runs on it; returns what its builder returned."""
    snapshot.copy_to(Path(cli.url.removeprefix("sqlite:///")))
    return snapshot.built


def world_with_zhang_san(database) -> str:
    """tests/builders.py's org tree and users, and 张三 of branch B1, last in contact on 31 August 2015 (a
    case can be opened for him from 1 March 2016): his ID number."""
    return build_world(database).add_member("张三", last_contact=date(2015, 8, 31))


@pytest.fixture
def builders_world(cli, sqlite_snapshot) -> None:
    """tests/builders.py's org tree and users in the cli fixture's database (copied from the session's build)."""
    load_snapshot(cli, sqlite_snapshot("builders-world", build_world))


@pytest.fixture
def zhang_san(cli, sqlite_snapshot) -> str:
    """The builders' world and 张三 (world_with_zhang_san) in the cli fixture's database: his ID number."""
    return load_snapshot(cli, sqlite_snapshot("cli-zhang-san", world_with_zhang_san))
