"""`lostcontact schedule`: serve the deployments — the daily sweep at 06:00 Asia/Shanghai, and the tally
at campaign milestones when workflows.tally provides deployments — with `prefect.serve`.

With no PREFECT_API_URL a local Prefect server is started first (SQLite in ./.prefect, 127.0.0.1 only,
telemetry off) and stopped on exit.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

DAILY_CRON = "0 6 * * *"
TIMEZONE = "Asia/Shanghai"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_prefect_server(home: Path, timeout_s: float = 90.0) -> Iterator[str]:
    """A Prefect server on 127.0.0.1 for as long as the block runs; yields its API URL."""
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_SERVER_API_HOST": "127.0.0.1"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "ab")
    process = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local Prefect server did not start (see {home / 'server.log'})")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def deployments() -> list:
    from prefect.schedules import Cron

    from .sweep import daily_sweep

    found = [daily_sweep.to_deployment(name="daily-sweep", schedule=Cron(DAILY_CRON, timezone=TIMEZONE),
                                       description="R1–R10 every morning (DOMAIN.md §4)")]
    try:  # the tally issue's deployments (tallies at campaign milestones), once it exists
        from . import tally
    except ImportError:
        return found
    if hasattr(tally, "deployments"):
        found += list(tally.deployments())
    return found


def serve_deployments(api_url: str | None, echo: Callable[[str], None] = print) -> None:
    from prefect import serve
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if api_url:
        echo(f"使用 Prefect 服务器 / using the Prefect server at {api_url}")
        serve(*deployments())
        return
    home = Path.cwd() / ".prefect"
    echo(f"未设置 PREFECT_API_URL：正在启动本地 Prefect 服务器（{home}，仅 127.0.0.1）/ "
         "PREFECT_API_URL is not set: starting a local Prefect server")
    with local_prefect_server(home) as url, temporary_settings(updates={PREFECT_API_URL: url}):
        os.environ["PREFECT_API_URL"] = url  # the runner's child processes
        echo(f"本地 Prefect 服务器 / local Prefect server: {url}（Ctrl-C 停止 / to stop）")
        serve(*deployments())
