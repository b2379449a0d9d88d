"""serve: the web UI and JSON API (on 127.0.0.1 unless told otherwise)."""
from __future__ import annotations

import os

import typer

from .common import database, handles_errors

APP_FACTORY = "lostcontact.web.app:app_from_environment"  # what each worker process builds
WORKER_PING_SECONDS = 60


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @handles_errors
    def serve(host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to bind (default: this machine only)"),
              port: int = typer.Option(8000, "--port", min=1, max=65535, help="端口 / port"),
              workers: int = typer.Option(1, "--workers", min=1, max=64,
                                          help="工作进程数（每个 CPU 核一个）/ server processes (one per CPU core)")) -> None:
        """启动网页界面和 JSON 接口 / serve the web UI and the JSON API."""
        import uvicorn

        db = database()  # refuses, with the usual message, a database that `lostcontact init` has not prepared
        typer.echo(f"网页界面 / web UI: http://{host}:{port}/  （Ctrl+C 停止 / to stop）")
        if host not in ("127.0.0.1", "localhost", "::1"):
            typer.echo("注意：已对本机以外开放，请在前面配置 HTTPS 反向代理 / note: reachable from other machines; "
                       "put an HTTPS reverse proxy in front", err=True)
        # The access log is safe to keep: no URL carries a name or an ID number (they travel in form bodies).
        options = dict(host=host, port=port, log_level="info", server_header=False)
        if workers == 1:
            from ..web import create_app

            uvicorn.run(create_app(db), **options)
            return
        # One process runs Python on one core at a time (the GIL): the pages' own work then queues behind
        # each other however many threads serve them. Each worker builds its app from the environment; a
        # session cookie signed by one must be read by all, so they share one key (a fresh one per start
        # when none is configured, as with one process).
        from ..web.config import SECRET_ENV, fresh_secret_key

        os.environ.setdefault(SECRET_ENV, fresh_secret_key())
        db.dispose()  # the workers open their own connections
        # uvicorn kills a worker that does not answer its supervisor's ping in time (5 s by default): on a
        # machine busy with logins (argon2) and more, a healthy worker can miss that, and its requests go with it
        uvicorn.run(APP_FACTORY, factory=True, workers=workers, timeout_worker_healthcheck=WORKER_PING_SECONDS,
                    **options)
