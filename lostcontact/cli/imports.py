"""import orgs|members|contacts|persons FILE [--dry-run] [--encoding ENC] [--sheet NAME] [--actor LOGIN]."""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

import typer

from .common import database, handles_errors, is_terminal, today

if TYPE_CHECKING:
    from ..importing import ImportSummary

PLAIN_PROGRESS_SECONDS = 10  # a line this often when stdout is a log, not a terminal


@contextmanager
def progress_display(file_name: str) -> Iterator[Callable[[int], None]]:
    """A live count on a terminal; otherwise a plain line every few seconds (cron logs, pipes)."""
    if is_terminal():
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} 行 rows"),
                      TimeElapsedColumn(), transient=True) as bar:
            task = bar.add_task(f"检查 / checking {file_name}", total=None)
            yield lambda rows: bar.update(task, completed=rows)
        return
    last = time.monotonic()

    def plain(rows: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PLAIN_PROGRESS_SECONDS:
            last = time.monotonic()
            typer.echo(f"已检查 {rows} 行 / {rows} rows checked")
    yield plain


def print_summary(summary: ImportSummary) -> None:
    for zh, en in summary.warnings:
        typer.echo(f"提示：{zh}", err=True)
        typer.echo(f"warning: {en}", err=True)
    s = summary
    dry_zh, dry_en = ("（试运行，未写入）", " (dry run: nothing written)") if s.dry_run else ("", "")
    typer.echo(f"{s.file_name}：共 {s.rows} 行，新增 {s.inserted}，更新 {s.updated}，未变 {s.unchanged}{dry_zh}")
    typer.echo(f"{s.file_name}: {s.rows} rows, {s.inserted} inserted, {s.updated} updated, "
               f"{s.unchanged} unchanged{dry_en}")


def register(app: typer.Typer) -> None:
    import_app = typer.Typer(help="批量导入（全部成功或全不写入）/ bulk import (all or nothing)", no_args_is_help=True)
    app.add_typer(import_app, name="import")

    def command(kind: str, help_text: str) -> None:
        @import_app.command(kind, help=help_text)
        @handles_errors
        def run(file: Path = typer.Argument(..., help="CSV（UTF-8/GBK）或 XLSX 文件 / a CSV or XLSX file"),
                dry_run: bool = typer.Option(False, "--dry-run", help="只检查不写入 / check, write nothing"),
                encoding: Optional[str] = typer.Option(None, "--encoding", help="CSV 编码，默认自动识别 / CSV encoding"),
                sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX 工作表，默认第一个 / XLSX sheet"),
                actor: Optional[str] = typer.Option(None, "--actor", help="以该用户身份导入，仅限其管理范围 / "
                                                    "import as this user, inside their subtrees only")) -> None:
            from ..importing import import_file
            from ..services.audit import Origin
            db = database()
            with progress_display(file.name) as progress:
                summary = import_file(db, kind, file, today=today(), dry_run=dry_run, encoding=encoding,
                                      sheet=sheet, progress=progress, actor=actor, origin=Origin.command_line())
            print_summary(summary)

    command("orgs", "导入组织树 / import the organisation tree")
    command("members", "导入党员名册 / import the member roster")
    command("contacts", "导入联系记录（组织生活、党费）/ import contact events")
    command("persons", "导入证件管理人员（docs/travel-documents.md）/ import the travel-documents registry's persons")
