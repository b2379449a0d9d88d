"""`users add --password` (prompted on a terminal, else one line of stdin), `users password`, `serve --help`."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app
from lostcontact.services import auth
from models.db import open_database
from statemachines.errors import Refused

NOW = datetime(2016, 6, 20, tzinfo=timezone.utc)


def branch_b1(db) -> None:
    from lostcontact.services.orgs import add_org
    from lostcontact.uow import UnitOfWork
    with UnitOfWork(db) as uow:
        add_org(uow.session, code="B1", name="第一党支部", level="branch")
        uow.commit()


@pytest.fixture
def run(tmp_path, monkeypatch, sqlite_snapshot):
    """`lostcontact` on a database as `init` leaves it (migrated once a session) with one branch, B1."""
    url = sqlite_snapshot("cli-users-b1", branch_b1).copy_to(tmp_path / "cli.db")
    runner = CliRunner()

    def invoke(*args, input=None):
        monkeypatch.setenv("LOSTCONTACT_DB", url)
        common._state.clear()
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    db = open_database(url)
    invoke.db = db
    yield invoke
    db.dispose()
    common._state.clear()


def test_a_user_added_as_before_has_no_password_and_cannot_log_in(run):
    result = run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1")
    assert result.exit_code == 0 and "granted" in result.output
    with pytest.raises(Refused):
        auth.authenticate(run.db, "officer1", "", now=NOW)


def test_password_reads_one_line_of_standard_input_off_a_terminal(run):
    result = run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1", "--password",
                 input="piped-secret-1\n")
    assert result.exit_code == 0, result.output
    assert auth.authenticate(run.db, "officer1", "piped-secret-1", now=NOW).login == "officer1"


def test_a_short_or_missing_password_is_a_usage_error_and_adds_nobody(run):
    short = run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1", "--password", input="abc\n")
    assert short.exit_code == 2 and "至少 8 个字符" in short.output
    empty = run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1", "--password", input="")
    assert empty.exit_code == 2 and "标准输入" in empty.output
    with pytest.raises(Refused):
        auth.authenticate(run.db, "officer1", "abc", now=NOW)


def test_users_password_sets_a_new_password_and_lifts_a_lockout(run):
    run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1", "--password", input="first-secret\n")
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(Refused):
            auth.authenticate(run.db, "officer1", "wrong-guess", now=NOW)
    result = run("users", "password", "officer1", input="second-secret\n")
    assert result.exit_code == 0 and "lockout lifted" in result.output
    assert auth.authenticate(run.db, "officer1", "second-secret", now=NOW).login == "officer1"
    unknown = run("users", "password", "nobody", input="whatever-123\n")
    assert unknown.exit_code == 4 and "未知用户 nobody" in unknown.output


def test_serve_binds_to_this_machine_by_default(run):
    result = run("serve", "--help")
    assert result.exit_code == 0 and "127.0.0.1" in result.output


def _audit(db) -> list[tuple[str, str, str, str]]:
    from sqlalchemy import select

    from lostcontact.uow import UnitOfWork
    from models import AuditEntry
    with UnitOfWork(db, write=False) as uow:
        return [tuple(r) for r in uow.session.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.target,
                                                             AuditEntry.remote_addr).order_by(AuditEntry.id)).all()]


@pytest.fixture
def two_branches(run):
    from lostcontact.services.orgs import add_org
    from lostcontact.uow import UnitOfWork
    with UnitOfWork(run.db) as uow:
        add_org(uow.session, code="B2", name="第二党支部", level="branch")
        uow.commit()
    run("users", "add", "officer1", "--role", "branch_officer", "--org", "B1", "--password", input="first-secret\n")
    run("users", "add", "b2admin", "--role", "admin", "--org", "B2")
    return run


def test_grant_and_revoke_change_a_users_roles_and_are_audited_as_the_command_line(two_branches):
    run = two_branches
    granted = run("users", "grant", "officer1", "--role", "supervisor", "--org", "B2")
    assert granted.exit_code == 0 and "granted" in granted.output
    assert "grant exists" in run("users", "grant", "officer1", "--role", "supervisor", "--org", "B2").output
    assert auth.authenticate(run.db, "officer1", "first-secret", now=NOW).roles == {"branch_officer", "supervisor"}
    revoked = run("users", "revoke", "officer1", "--role", "supervisor", "--org", "B2")
    assert revoked.exit_code == 0
    last = run("users", "revoke", "officer1", "--role", "branch_officer", "--org", "B1")
    assert last.exit_code == 3 and "停用账户" in last.output
    assert [a for a in _audit(run.db) if a[2] == "officer1"][-2:] == [
        ("operator", "grant.add", "officer1", "命令行"), ("operator", "grant.revoke", "officer1", "命令行")]


def test_disable_and_enable_refuse_and_restore_logins(two_branches):
    run = two_branches
    assert run("users", "disable", "officer1").exit_code == 0
    with pytest.raises(Refused, match="disabled"):
        auth.authenticate(run.db, "officer1", "first-secret", now=NOW)
    assert run("users", "enable", "officer1").exit_code == 0
    assert auth.authenticate(run.db, "officer1", "first-secret", now=NOW).login == "officer1"
    assert "已结束 0 个会话" in run("users", "logout", "officer1").output


def test_with_actor_an_admin_reaches_only_their_subtree_and_an_outsider_is_an_unknown_user(two_branches):
    run = two_branches
    outside = run("users", "disable", "officer1", "--actor", "b2admin")
    unknown = run("users", "disable", "nobody", "--actor", "b2admin")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.output.replace("officer1", "X") == unknown.output.replace("nobody", "X")
    assert run("users", "grant", "b2admin", "--role", "supervisor", "--org", "B1", "--actor", "b2admin").exit_code == 4
    added = run("users", "add", "clerk", "--role", "branch_officer", "--org", "B2", "--actor", "b2admin")
    assert added.exit_code == 0
    assert ("b2admin", "user.create", "clerk", "命令行") in _audit(run.db)


def test_users_list_shows_each_user_with_name_state_and_grants_in_chinese(two_branches):
    run = two_branches
    run("users", "grant", "officer1", "--role", "supervisor", "--org", "B2")
    result = run("users", "list")
    assert result.exit_code == 0, result.output
    assert "用户名" in result.output and "角色与授权范围" in result.output
    assert "党支部书记/组织委员 @ 第一党支部（B1）" in result.output
    assert "督查/统计人员 @ 第二党支部（B2）" in result.output
    assert "系统管理员 @ 第二党支部（B2）" in result.output
    assert "未设密码" in result.output and "正常" in result.output  # b2admin has none, officer1 has one
    assert "共 2 个用户" in result.output
    assert "branch_officer" not in result.output


def test_users_list_in_json_keeps_the_english_ids_and_an_admin_sees_only_their_subtree(two_branches):
    import json

    run = two_branches
    everyone = json.loads(run("users", "list", "--format", "json").stdout)
    assert [u["login"] for u in everyone] == ["b2admin", "officer1"]
    assert everyone[1] == {"login": "officer1", "name": None, "state": "active",
                           "grants": [{"role": "branch_officer", "org": "B1", "org_name": "第一党支部"}]}
    assert everyone[0]["state"] == "no_password"
    seen_by_b2admin = json.loads(run("users", "list", "--format", "json", "--actor", "b2admin").stdout)
    assert [u["login"] for u in seen_by_b2admin] == ["b2admin"]
    assert json.loads(run("users", "list", "--format", "json", "--query", "officer").stdout)[0]["login"] == "officer1"
    in_b1 = json.loads(run("users", "list", "--format", "json", "--org", "B1").stdout)
    assert [u["login"] for u in in_b1] == ["officer1"]
    assert run("users", "list", "--org", "B1", "--actor", "b2admin").exit_code == 4  # outside: an unknown org
    assert run("users", "list", "--format", "xml").exit_code == 2


def test_users_list_as_csv_has_the_chinese_headings_and_one_line_per_user(two_branches):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(two_branches("users", "list", "--format", "csv").stdout)))
    assert rows[0] == ["用户名", "姓名", "状态", "角色与授权范围"]
    assert [row[0] for row in rows[1:]] == ["b2admin", "officer1"]
    assert rows[2][2] == "正常" and rows[2][3] == "党支部书记/组织委员 @ 第一党支部（B1）"
