"""attachments prune: remove stored files that no attachment row refers to (left by a crash)."""
from __future__ import annotations

import typer

from .common import check_format, database, emit_json, handles_errors


def register(app: typer.Typer) -> None:
    attachments_app = typer.Typer(help="佐证材料的存储 / attachment storage", no_args_is_help=True)
    app.add_typer(attachments_app, name="attachments")

    @attachments_app.command("prune")
    @handles_errors
    def prune(older_than: float = typer.Option(24.0, "--older-than", metavar="HOURS",
                                               help="只清理早于这么多小时存入的文件（至少 1）/ only files older than HOURS (≥ 1)"),
              dry_run: bool = typer.Option(False, "--dry-run", help="只列出，不删除 / list, remove nothing"),
              fmt: str = typer.Option("text", "--format", help="输出格式 / output format: text|json")) -> None:
        """清理没有记录对应的佐证材料文件（上传中断遗留）/ remove stored files no attachment row refers to."""
        from datetime import datetime, timedelta, timezone

        from ..services.orphan_files import prune_orphan_files
        check_format(fmt, ("text", "json"))
        report = prune_orphan_files(database(), now=datetime.now(timezone.utc), older_than=timedelta(hours=older_than),
                                    dry_run=dry_run)
        if fmt == "json":
            emit_json(report.as_dict())
            return
        for key in report.orphans:
            typer.echo(f"  {key}")
        done = "可清理（试运行，未删除）" if dry_run else "已删除"
        typer.echo(f"检查 {report.checked} 个文件，{report.too_recent} 个存入不足 {report.older_than_hours:g} 小时未判断；"
                   f"没有记录对应的 {len(report.orphans)} 个{done}")
        typer.echo(f"checked {report.checked} file(s), {report.too_recent} newer than {report.older_than_hours:g} h "
                   f"left alone; {len(report.orphans)} with no attachment row "
                   f"{'would be removed (dry run)' if dry_run else 'removed'}")
