"""init, users, contact add, policy."""
from __future__ import annotations

from typing import Optional

import typer

from ..services import members, setup, users
from .common import database, handles_errors, parse_date, settings, today


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
                  name: Optional[str] = typer.Option(None, "--name")) -> None:
        """新增用户或为其增加授权 / add a user, or a grant to an existing user."""
        added = users.add_user(database(), login, role=role, org_code=org, name=name)
        typer.echo(f"{'已授权' if added else '授权已存在'} / {'granted' if added else 'grant exists'}: "
                   f"{login} {role} @ {org}")

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
