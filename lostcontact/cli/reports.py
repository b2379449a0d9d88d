"""tally, render record|register."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from statemachines.tally import COLUMNS

from ..reports.kinds import REGISTERS, TALLY_FORMATS
from .common import check_format, database, emit_json, handles_errors, parse_date, today

if TYPE_CHECKING:
    from ..queries.tally import TallyNode


def _print_table(tree: TallyNode, as_of) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..reports.tally_sheet import INDENT

    table = Table("单位 org", *COLUMNS, title=f"与党组织失去联系党员规范管理和组织处置有关情况统计表（截至 {as_of}）")
    for depth, node in tree.walk():
        table.add_row(INDENT * depth + f"{node.code} {node.name}", *(str(node.columns[c]) for c in COLUMNS))
    Console(width=220).print(table)
    typer.echo("A=B+O+X；B=C+G+M+N；G=H+I+J+K+L；O=P+S+V+W；P=Q+R；S=T+U；C≥D+E+F（已校验 / checked）")


def _print_snapshot(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    snap = data["snapshot"]
    table = Table("栏目 column", f"报送 reported（截至 {snap['as_of']}）", f"今日 today（{data['today']['as_of']}）",
                  "变化 change", title=f"统计快照 {snap['id']}：{snap['org']} {snap['org_name']}"
                                       f"（报送记录于 {snap['recorded_at']}）")
    for column in COLUMNS:
        change = data["change"][column]
        table.add_row(column, str(snap["tally"]["columns"][column]), str(data["today"]["columns"][column]),
                      f"{change:+d}" if change else "")
    Console(width=160).print(table)


def register(app: typer.Typer) -> None:
    @app.command("tally")
    @handles_errors
    def tally(org: Optional[str] = typer.Option(None, "--org", help="组织代码 / org code (default: the whole tree in view)"),
              as_of: Optional[str] = typer.Option(None, "--as-of"),
              fmt: str = typer.Option("table", "--format", help="输出格式 / output format: " + "|".join(TALLY_FORMATS)),
              output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件 / write to FILE"),
              actor: Optional[str] = typer.Option(None, "--actor"),
              snapshot: Optional[int] = typer.Option(None, "--snapshot",
                                                     help="显示报送快照与今日数据对比 / a frozen tally beside today's")
              ) -> None:
        """A–X 处置情况统计表（逐级汇总）/ the disposition tally, rolled up the org tree."""
        from ..queries.tally import tally as tally_query
        from ..queries.tally.snapshots import snapshot_beside_today
        check_format(fmt, TALLY_FORMATS)
        if snapshot is not None:
            data = snapshot_beside_today(database(), snapshot, today=today(), actor_login=actor)
            emit_json(data) if fmt == "json" else _print_snapshot(data)
            return
        tree, day = tally_query(database(), today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                                actor_login=actor)
        if fmt == "table":
            _print_table(tree, day)
            return
        from ..reports.render import write_tally  # the file writers (Jinja2, openpyxl) only for a file format
        write_tally(tree, day, fmt, output, filled_on=today())
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    render_app = typer.Typer(help="生成表格 / render the official forms", no_args_is_help=True)
    app.add_typer(render_app, name="render")

    @render_app.command("record")
    @handles_errors
    def record(case_id: int, output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                                   help=".html 或 .pdf；省略则 HTML 输出到标准输出 / "
                                                                        ".html or .pdf; without it, HTML on stdout"),
               actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """失联党员查找处置全程纪实表 / the full-process record of one case."""
        from ..reports.render import render_record
        render_record(database(), case_id, today=today(), actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    kinds = "；".join(f"{k} = {v.title}" for k, v in REGISTERS.items())

    @render_app.command("register", help=f"登记表与汇总表 / the registers: {kinds}")
    @handles_errors
    def register_(kind: str = typer.Argument(..., help="登记表 / register: " + "|".join(REGISTERS)),
                  org: Optional[str] = typer.Option(None, "--org"),
                  as_of: Optional[str] = typer.Option(None, "--as-of"),
                  output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                        help=".html / .xlsx / .pdf；省略则 HTML 输出到标准输出 / "
                                                             "without it, HTML on stdout"),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        from ..reports.render import render_register
        render_register(database(), kind, today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                        actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)
