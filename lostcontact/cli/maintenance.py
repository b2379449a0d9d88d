"""backup: maintenance of the installation itself (not of cases)."""
from __future__ import annotations

from pathlib import Path

import typer

from .common import handles_errors, settings


def register(app: typer.Typer) -> None:
    @app.command("backup")
    @handles_errors
    def backup(file: Path = typer.Argument(..., help="备份文件 / the copy to write", show_default=False),
               force: bool = typer.Option(False, "--force", help="覆盖已有的备份文件 / replace an existing file")) -> None:
        """在使用中复制一份一致的内置数据库（SQLite）/ a consistent copy of the embedded database while it is in use.

        PostgreSQL 请用 pg_dump / back PostgreSQL up with pg_dump (docs/operations.md)."""
        from ..services.backup import backup_database

        result = backup_database(settings().db_url, file, force=force)
        typer.echo(f"已备份 / backed up: {result.source} → {result.target} ({result.size_bytes:,} 字节 / bytes)")
        typer.echo("佐证材料文件夹需另行复制 / copy the attachments folder as well (docs/operations.md)")
