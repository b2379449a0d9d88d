"""Logins of 64, 65, 100 and 10,000 characters, typed as a user's login or as `--actor`, on SQLite and on
PostgreSQL (where a value longer than its column used to fail with an internal error): every command answers
with a refusal in Chinese and English (exit 2, 3 or 4) or does what it does for a login of that length — never
exit 1 — and nothing is written on a refusal."""
from __future__ import annotations

from datetime import date

import pytest

from ..builders import build_world
from ..cli.conftest import Cli
from ..conftest import built_on
from ..importing.conftest import table_counts
from ..races import mark_migrated

LENGTHS = (64, 65, 100, 10_000)


def long_login(length: int) -> str:
    return ("甲" + "a" * length)[:length]


@pytest.fixture
def cli(db, monkeypatch, sqlite_snapshot):
    built_on(db, sqlite_snapshot, "builders-world", build_world)
    mark_migrated(db)
    return Cli(db.url, monkeypatch)


@pytest.fixture
def member(db) -> str:
    from ..builders import World
    return World(db).add_member("张三", branch="B1", last_contact=date(2015, 8, 31), serial=5)


def commands(login: str, member: str, tmp_path) -> list[tuple[str, ...]]:
    roster = tmp_path / "contacts.csv"
    roster.write_text(f"身份证号,日期,类型\n{member},2016-06-01,org_life\n", encoding="utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text("", encoding="utf-8")
    as_actor = ("--actor", login)
    return [
        ("users", "add", login, "--role", "branch_officer", "--org", "B1"),
        ("users", "add", "officer9", "--role", "branch_officer", "--org", "B1", *as_actor),
        ("users", "grant", login, "--role", "branch_officer", "--org", "B2"),
        ("users", "revoke", login, "--role", "branch_officer", "--org", "B1"),
        ("users", "disable", login), ("users", "enable", login), ("users", "logout", login),
        ("users", "list", "--query", login), ("users", "list", *as_actor),
        ("contact", "add", member, "--date", "2016-06-01", "--kind", "org_life", *as_actor),
        ("case", "open", member, "--at", "2016-06-01", *as_actor),
        ("member", "transfer", member, "--to", "B2", *as_actor),
        ("import", "contacts", str(roster), *as_actor),
        ("policy", "load", str(policy), *as_actor),
        ("cases", *as_actor), ("alerts", *as_actor), ("tally", *as_actor),
    ]


@pytest.mark.parametrize("length", LENGTHS)
def test_a_long_login_is_refused_clearly_by_every_command_or_accepted_within_its_bound(db, cli, member, tmp_path,
                                                                                       length):
    login = long_login(length)
    before = None
    for args in commands(login, member, tmp_path):
        before = before or table_counts(db)  # after a refusal the counts are still those from before it
        result = cli(*args)
        assert result.exit_code != 1 and "Traceback" not in result.output, (args[:2], result.output)
        if result.exit_code:
            assert "错误：" in result.output and "error: " in result.output, (args[:2], result.output)
            assert table_counts(db) == before, args[:2]
        else:
            before = None  # a command that did something: count again before the next one
    if length > 64:
        assert cli("users", "add", login, "--role", "branch_officer", "--org", "B1").exit_code == 2


@pytest.mark.parametrize("length", LENGTHS)
def test_setting_the_password_of_a_long_login_is_refused_clearly_or_done(db, cli, length):
    from lostcontact.cli import common
    from lostcontact.cli.main import app
    login = long_login(length)
    cli("users", "list")  # the environment points at this database from now on
    for args in (("users", "add", login, "--role", "admin", "--org", "B1", "--password"), ("users", "password", login)):
        common._state.clear()
        result = cli.runner.invoke(app, list(args), input="a-long-enough-password-42\n", catch_exceptions=False)
        assert result.exit_code in ((0,) if length <= 64 else (2, 4)), (args[:2], result.output)
        assert "Traceback" not in result.output
