"""init, users (add, list, password, grant, revoke, disable, enable, logout), contact add."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from typing import Optional

import typer

from statemachines.codes import CONTACT_KINDS, ROLES
from statemachines.errors import UsageError

from .common import check_format, database, emit_json, handles_errors, parse_date, settings, today


ROLE_HELP = "角色 / role: " + "，".join(f"{code}={label}" for code, label in ROLES.items() if code != "system")


def read_new_password() -> str:
    """Asked twice, hidden, on a terminal; otherwise one line from standard input (never on the command
    line, where other users and the shell history would see it)."""
    if sys.stdin.isatty():
        password = typer.prompt("新密码 / new password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("--password：请在标准输入提供一行密码", "--password: give the password as one line on standard input")
    return password


def now() -> datetime:
    """The wall clock of this command (when a session ended, when an audit entry was written)."""
    return datetime.now(timezone.utc)


def user_json(row) -> dict:
    """One `users list` row with the contract's English ids."""
    state = "disabled" if row.disabled else "locked" if row.locked else "active" if row.has_password else "no_password"
    return {"login": row.login, "name": row.name, "state": state,
            "grants": [{"role": g.role, "org": g.org_code, "org_name": g.org_name} for g in row.grants]}


def print_users(rows, fmt: str) -> None:
    from .tables import Column, emit
    columns = (Column("用户名", fixed=True), Column("姓名"), Column("状态", fixed=True), Column("角色与授权范围", least=16))
    emit(fmt, columns, [(row.login, row.name or "", row.state,
                         "；".join(f"{g.role_label} @ {g.org_name}（{g.org_code}）" for g in row.grants)) for row in rows],
         title=f"共 {len(rows)} 个用户")


def register(app: typer.Typer) -> None:
    @app.command("init")
    @handles_errors
    def init() -> None:
        """建立或升级数据库结构，载入默认策略 / create or upgrade the schema, load the default policy."""
        from ..services import setup
        db = database(initialised=False)
        setup.init_database(db, settings().policy_path)
        typer.echo(f"数据库已就绪 / database ready: {db.url}")

    users_app = typer.Typer(help="用户与授权 / users and grants", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    actor_option = typer.Option(None, "--actor", help="以该管理员身份操作（仅限其管理范围，记入审计日志）/ act as this admin "
                                                      "(within their subtrees; audited)")

    @users_app.command("add")
    @handles_errors
    def users_add(login: str, role: str = typer.Option(..., "--role", help=ROLE_HELP), org: str = typer.Option(..., "--org"),
                  name: Optional[str] = typer.Option(None, "--name", help="姓名 / the user's name"),
                  password: bool = typer.Option(False, "--password",
                                                help="设置登录密码（终端上提示输入，否则从标准输入读一行）/ set a login "
                                                     "password (prompted on a terminal, else one line of stdin)"),
                  actor: Optional[str] = actor_option) -> None:
        """新增用户或为其增加授权 / add a user, or a grant to an existing user.

        没有密码的用户在管理员设置密码前不能登录网页 / without a password the user cannot log in to the web UI
        until an admin sets one (`users password`)."""
        from ..services import auth, users
        from ..services.audit import Origin
        password_hash = auth.hash_password(read_new_password()) if password else None
        added = users.add_user(database(), login, role=role, org_code=org, name=name, password_hash=password_hash,
                               actor_login=actor, origin=Origin.command_line(), now=now())
        typer.echo(f"{'已授权' if added else '授权已存在'} / {'granted' if added else 'grant exists'}: "
                   f"{login} {role} @ {org}")

    @users_app.command("list")
    @handles_errors
    def users_list(org: Optional[str] = typer.Option(None, "--org", help="只列出在该组织（代码或全称）及其下级有授权的用户 / only "
                                                   "users with a grant in this org's subtree (code or full name)"),
                   query: Optional[str] = typer.Option(None, "--query", help="用户名或姓名包含 / login or name contains"),
                   fmt: str = typer.Option("table", "--format", help="输出格式 / output format: table|csv|json"),
                   actor: Optional[str] = actor_option) -> None:
        """列出用户及其角色、姓名和授权 / list users with their roles, names and grants."""
        from ..queries.users import every_user
        check_format(fmt, ("table", "csv", "json"))
        rows = every_user(database(), actor, query=query, org=org, now=now())
        if fmt == "json":
            emit_json([user_json(row) for row in rows])
            return
        print_users(rows, fmt)

    @users_app.command("password")
    @handles_errors
    def users_password(login: str, actor: Optional[str] = actor_option) -> None:
        """设置或重置登录密码并解除锁定，结束其所有登录会话 / set or reset a login password, lift a lockout and
        end every session of the user.

        终端上提示输入，否则从标准输入读一行 / prompted on a terminal, else one line of standard input."""
        from ..services import auth
        from ..services.audit import Origin
        auth.set_password(database(), login, read_new_password(), actor_login=actor, origin=Origin.command_line(),
                          now=now())
        typer.echo(f"已设置密码并解除锁定 / password set, lockout lifted: {login}")

    @users_app.command("grant")
    @handles_errors
    def users_grant(login: str, role: str = typer.Option(..., "--role", help=ROLE_HELP), org: str = typer.Option(..., "--org"),
                    actor: Optional[str] = actor_option) -> None:
        """为已有用户增加授权（已有则不变）/ grant a role over an org's subtree to an existing user."""
        from ..services import users
        from ..services.audit import Origin
        added = users.grant_role(database(), login=login, role=role, org=org, actor_login=actor,
                                 origin=Origin.command_line(), now=now())
        typer.echo(f"{'已授权' if added else '授权已存在'} / {'granted' if added else 'grant exists'}: "
                   f"{login} {role} @ {org}")

    @users_app.command("revoke")
    @handles_errors
    def users_revoke(login: str, role: str = typer.Option(..., "--role", help=ROLE_HELP), org: str = typer.Option(..., "--org"),
                     actor: Optional[str] = actor_option) -> None:
        """撤销一项授权（唯一的授权不能撤销，请停用账户）/ revoke one grant (not the last: disable instead)."""
        from ..services import users
        from ..services.audit import Origin
        users.revoke_grant(database(), login=login, role=role, org=org, actor_login=actor,
                           origin=Origin.command_line(), now=now())
        typer.echo(f"已撤销授权 / revoked: {login} {role} @ {org}")

    @users_app.command("disable")
    @handles_errors
    def users_disable(login: str, actor: Optional[str] = actor_option) -> None:
        """停用账户：不能再登录，所有会话立即结束 / disable an account: no more logins, every session ends."""
        from ..services import users
        from ..services.audit import Origin
        users.set_disabled(database(), True, login=login, actor_login=actor, origin=Origin.command_line(), now=now())
        typer.echo(f"已停用 / disabled: {login}")

    @users_app.command("enable")
    @handles_errors
    def users_enable(login: str, actor: Optional[str] = actor_option) -> None:
        """重新启用账户 / enable a disabled account again."""
        from ..services import users
        from ..services.audit import Origin
        users.set_disabled(database(), False, login=login, actor_login=actor, origin=Origin.command_line(),
                           now=now())
        typer.echo(f"已启用 / enabled: {login}")

    @users_app.command("logout")
    @handles_errors
    def users_logout(login: str, actor: Optional[str] = actor_option) -> None:
        """结束该用户的全部登录会话和接口令牌 / end every session and API token of the user."""
        from ..services import users
        from ..services.audit import Origin
        ended = users.end_sessions(database(), login=login, actor_login=actor, origin=Origin.command_line(),
                                   now=now())
        typer.echo(f"已结束 {ended} 个会话 / {ended} session(s) ended: {login}")

    contact_app = typer.Typer(help="联系记录 / contacts", no_args_is_help=True)
    app.add_typer(contact_app, name="contact")

    @contact_app.command("add")
    @handles_errors
    def contact_add(id_number: str, date_: str = typer.Option(..., "--date", help="联系日期 YYYY-MM-DD / the day of the contact"),
                    kind: str = typer.Option(..., "--kind", help="联系方式 / kind: " + "，".join(
                        f"{code}={label}" for code, label in CONTACT_KINDS.items())),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """记录一次联系（组织生活、党费、其他）/ record one contact."""
        from ..services import members
        new = members.add_contact(database(), id_number, on=parse_date(date_, "--date"), kind=kind,
                                  actor_login=actor, today=today())
        typer.echo("已记录 / recorded" if new else "相同记录已存在 / already recorded")
