"""member transfer."""
from __future__ import annotations

from typing import Optional

import typer

from .common import database, handles_errors, parse_date, today


def register(app: typer.Typer) -> None:
    member_app = typer.Typer(help="党员 / members", no_args_is_help=True)
    app.add_typer(member_app, name="member")

    @member_app.command("transfer")
    @handles_errors
    def member_transfer(id_number: str,
                        to: str = typer.Option(..., "--to", help="转入党支部的代码 / the code of the branch to move to"),
                        at: Optional[str] = typer.Option(None, "--at", help="转接日期 YYYY-MM-DD（补录），默认今天 / the day "
                                                                            "of the transfer (default today)"),
                        actor: str = typer.Option(..., "--actor", help="办理用户（管理员或同时管辖两个党支部的党委审核人）/ "
                                                                       "the admin or committee reviewer over both branches")
                        ) -> None:
        """将党员的组织关系转至另一党支部（有未办结案件时不能转接）/ move a member to another branch (refused
        while the member has an open case)."""
        from ..services.transfers import transfer_member
        moved = transfer_member(database(), id_number, to_branch=to, actor_login=actor, today=today(),
                                at=parse_date(at, "--at"))
        typer.echo(f"已转接 / transferred: {moved.member_name} {moved.from_code} → {moved.to_code}（{moved.on}）")
