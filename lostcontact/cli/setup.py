"""init, users, contact add, policy."""
from __future__ import annotations

import sys
from typing import Optional

import typer

from statemachines.errors import UsageError

from ..services import auth, members, setup, users
from .common import database, handles_errors, parse_date, settings, today


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


def register(app: typer.Typer) -> None:
    @app.command("init")
    @handles_errors
    def init() -> None:
        """建立或升级数据库结构，载入默认策略 / create or upgrade the schema, load the default policy."""
        db = database(initialised=False)
        setup.init_database(db, settings().policy_path)
        typer.echo(f"数据库已就绪 / database ready: {db.url}")

    users_app = typer.Typer(help="用户与授权 / users and grants", no_args_is_help=True)
    app.add_typer(users_app, name="users")

    @users_app.command("add")
    @handles_errors
    def users_add(login: str, role: str = typer.Option(..., "--role"), org: str = typer.Option(..., "--org"),
                  name: Optional[str] = typer.Option(None, "--name"),
                  password: bool = typer.Option(False, "--password",
                                                help="设置登录密码（终端上提示输入，否则从标准输入读一行）/ set a login "
                                                     "password (prompted on a terminal, else one line of stdin)")) -> None:
        """新增用户或为其增加授权 / add a user, or a grant to an existing user.

        没有密码的用户在管理员设置密码前不能登录网页 / without a password the user cannot log in to the web UI
        until an admin sets one (`users password`)."""
        password_hash = auth.hash_password(read_new_password()) if password else None
        added = users.add_user(database(), login, role=role, org_code=org, name=name, password_hash=password_hash)
        typer.echo(f"{'已授权' if added else '授权已存在'} / {'granted' if added else 'grant exists'}: "
                   f"{login} {role} @ {org}")

    @users_app.command("password")
    @handles_errors
    def users_password(login: str) -> None:
        """设置或重置登录密码并解除锁定 / set or reset a login password and lift a lockout.

        终端上提示输入，否则从标准输入读一行 / prompted on a terminal, else one line of standard input."""
        auth.set_password(database(), login, read_new_password())
        typer.echo(f"已设置密码并解除锁定 / password set, lockout lifted: {login}")

    contact_app = typer.Typer(help="联系记录 / contacts", no_args_is_help=True)
    app.add_typer(contact_app, name="contact")

    @contact_app.command("add")
    @handles_errors
    def contact_add(id_number: str, date_: str = typer.Option(..., "--date"), kind: str = typer.Option(..., "--kind"),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """记录一次联系（组织生活、党费、其他）/ record one contact."""
        new = members.add_contact(database(), id_number, on=parse_date(date_, "--date"), kind=kind,
                                  actor_login=actor, today=today())
        typer.echo("已记录 / recorded" if new else "相同记录已存在 / already recorded")
