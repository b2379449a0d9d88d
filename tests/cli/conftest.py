import json
import shutil

import pytest
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app


class Cli:
    """Runs `lostcontact …` in-process against one database, as a user would type it."""

    def __init__(self, url: str, monkeypatch):
        self.url = url
        self.monkeypatch = monkeypatch
        self.runner = CliRunner()

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
