"""serve: the web UI and JSON API (on 127.0.0.1 unless told otherwise)."""
from __future__ import annotations

import typer

from .common import database, handles_errors


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @handles_errors
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to bind (default: this machine only)"),
              port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口 / port")) -> None:
        """启动网页界面和 JSON 接口 / serve the web UI and the JSON API."""
        import uvicorn

        from ..web import create_app

        db = database()  # refuses, with the usual message, a database that `lostcontact init` has not prepared
        typer.echo(f"网页界面 / web UI: http://{host}:{port}/  （Ctrl+C 停止 / to stop）")
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo("注意：已对本机以外开放，请在前面配置 HTTPS 反向代理 / note: reachable from other machines; "
                       "put an HTTPS reverse proxy in front", err=True)
        # The access log is safe to keep: no URL carries a name or an ID number (they travel in form bodies).
        uvicorn.run(create_app(db), host=host, port=port, log_level="info", server_header=False)
