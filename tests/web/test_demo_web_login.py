"""The demo's users log in to the web app with the password the demo printed."""
from __future__ import annotations

from datetime import date, datetime, timezone

from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app as cli_app
from lostcontact.config import Settings
from lostcontact.web import create_app
from models.db import open_database
from tests.web.conftest import Browser

DEMO_END = date(2026, 6, 30)


def test_a_demo_user_logs_in_to_the_web_app_with_the_printed_password(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Settings, "today", lambda self: DEMO_END)
    common._state.clear()
    result = CliRunner().invoke(cli_app, ["demo", "--members", "30", "--days", "3"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    password = result.output.split("demo password (every demo user): ", 1)[1].split()[0]
    db = open_database(f"sqlite:///{tmp_path / 'lostcontact-demo.db'}")
    try:
        web = create_app(db, today=lambda: DEMO_END, now=lambda: datetime(2026, 6, 30, 9, tzinfo=timezone.utc),
                         secret_key="test-secret")
        officer = Browser(web)
        assert officer.login("officer_411001010101", "not-the-password").status_code != 303
        assert officer.login("officer_411001010101", password).status_code == 303
        queue = officer.client.get("/queue")
        assert queue.status_code == 200 and "县第一中学党支部" in queue.text
        admin = Browser(web)
        assert admin.login("admin", password).status_code == 303
        assert admin.client.get("/admin/users").status_code == 200
    finally:
        db.dispose()
        common._state.clear()
