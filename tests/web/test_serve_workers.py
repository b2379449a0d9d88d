"""`lostcontact serve --workers N`: several server processes, each building the app from the environment,
all reading the same session cookies and tokens (one signing key for all of them)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lostcontact.cli import common
from lostcontact.cli.main import app as cli
from lostcontact.services.auth import hash_password
from lostcontact.services.orgs import add_org
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from lostcontact.web.app import app_from_environment
from lostcontact.web.config import SECRET_ENV

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def officer_of_b1(db) -> None:
    with UnitOfWork(db) as uow:
        add_org(uow.session, code="B1", name="第一党支部", level="branch")
        uow.commit()
    add_user(db, "officer1", role="branch_officer", org_code="B1", password_hash=hash_password(PASSWORD))


@pytest.fixture
def served_world(tmp_path, monkeypatch, sqlite_snapshot):
    """A database as `serve` finds it (initialised by `init`, migrated once a session; a branch officer with a
    password) in LOSTCONTACT_DB, and no signing key configured."""
    monkeypatch.setenv("LOSTCONTACT_DB", sqlite_snapshot("served-officer1", officer_of_b1).copy_to(tmp_path / "served.db"))
    monkeypatch.setenv(SECRET_ENV, "")  # so that monkeypatch puts back what was there, after `serve` set one
    monkeypatch.delenv(SECRET_ENV)
    common._state.clear()
    yield
    common._state.clear()


def test_serve_with_workers_hands_uvicorn_the_app_factory_and_one_signing_key(served_world, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--port", "8123"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert started["app"] == "lostcontact.web.app:app_from_environment"
    assert started["factory"] is True and started["workers"] == 2
    assert started["timeout_worker_healthcheck"] >= 30  # a busy worker is not killed as hung
    assert started["host"] == "127.0.0.1" and started["port"] == 8123
    assert len(os.environ[SECRET_ENV]) >= 32  # made at the start, inherited by every worker


def test_a_token_one_worker_issued_is_honoured_by_another(served_world, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, "one-key-for-every-worker-0123456789")
    first, second = TestClient(app_from_environment()), TestClient(app_from_environment())
    token = first.post("/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]
    answer = second.get("/api/queue", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and "cases" in answer.json()


def test_workers_started_with_different_keys_would_refuse_each_others_tokens(served_world, monkeypatch):
    """Why `serve` fixes the key before the workers start: each would otherwise make its own."""
    first = TestClient(app_from_environment())
    second = TestClient(app_from_environment())
    token = first.post("/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]
    assert second.get("/api/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_two_server_processes_answer_one_logged_in_user_alike(served_world, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", "from lostcontact.cli.main import main; main()", "serve",
                               "--port", str(port), "--workers", "2"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # three interpreters importing the app, on a loaded machine
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        token = httpx.post(f"{base}/api/session", json={"login": "officer1", "password": PASSWORD}).json()["token"]

        def queue(_):  # a fresh connection each: the requests spread over the processes
            return httpx.get(f"{base}/api/queue", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(queue, range(64)))
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    assert answers == [200] * 64
    assert (tmp_path / "serve.log").read_text().count("Started server process") == 2
