"""tally, render record|register."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from statemachines.tally import COLUMNS

from ..queries.tally import TallyNode, tally as tally_query
from ..queries.tally.snapshots import snapshot_beside_today
from ..reports.render import REGISTERS, TALLY_FORMATS, render_record, render_register, write_tally
from ..reports.tally_sheet import INDENT
from .cases import row_id
from .common import check_format, database, emit_json, handles_errors, parse_date, today


def _print_table(tree: TallyNode, as_of) -> None:
    table = Table("单位 org", *COLUMNS, title=f"与党组织失去联系党员规范管理和组织处置有关情况统计表（截至 {as_of}）")
    for depth, node in tree.walk():
        table.add_row(INDENT * depth + f"{node.code} {node.name}", *(str(node.columns[c]) for c in COLUMNS))
    Console(width=220).print(table)
    typer.echo("A=B+O+X；B=C+G+M+N；G=H+I+J+K+L；O=P+S+V+W；P=Q+R；S=T+U；C≥D+E+F（已校验 / checked）")


def _print_snapshot(data: dict) -> None:
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
              as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD, default today"),
              fmt: str = typer.Option("table", "--format", help="|".join(TALLY_FORMATS)),
              output: Optional[Path] = typer.Option(None, "-o", "--output", help="写入文件 / write to FILE"),
              actor: Optional[str] = typer.Option(None, "--actor"),
              snapshot: Optional[int] = typer.Option(None, "--snapshot",
                                                     help="显示报送快照与今日数据对比 / a frozen tally beside today's")
              ) -> None:
        """A–X 处置情况统计表（逐级汇总）/ the disposition tally, rolled up the org tree."""
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
        write_tally(tree, day, fmt, output, filled_on=today())
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    render_app = typer.Typer(help="生成表格 / render the official forms", no_args_is_help=True)
    app.add_typer(render_app, name="render")

    @render_app.command("record")
    @handles_errors
    def record(case_id: int, output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                                   help=".html 或 .pdf；省略则 HTML 输出到标准输出"),
               actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """失联党员查找处置全程纪实表 / the full-process record of one case."""
        render_record(database(), row_id(case_id, "案件编号", "the case number"), today=today(), actor_login=actor,
                      path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    kinds = "；".join(f"{k} = {v.title}" for k, v in REGISTERS.items())

    @render_app.command("register", help=f"登记表与汇总表 / the registers: {kinds}")
    @handles_errors
    def register_(kind: str = typer.Argument(..., help="|".join(REGISTERS)),
                  org: Optional[str] = typer.Option(None, "--org"),
                  as_of: Optional[str] = typer.Option(None, "--as-of"),
                  output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                        help=".html / .xlsx / .pdf；省略则 HTML 输出到标准输出"),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        render_register(database(), kind, today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                        actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)
