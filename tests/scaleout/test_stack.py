"""The production path without Docker, end to end: infra/prefect-local.sh brings up PostgreSQL, a Prefect
server on it, a process work pool, the deployments and two workers; one shared sweep runs through the
workers; everything is stopped by PID. Skipped loudly without PostgreSQL binaries (a failure under CI)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import SweepPartition, SweepRun
from models.db import open_database
from tests.conftest import UNDER_CI
from tests.pg import _pg_bin

from .world import AS_OF, PARTITIONS, ROOT, populate

pytestmark = pytest.mark.slow  # a PostgreSQL cluster, a Prefect server and two workers

SCRIPT = ROOT / "infra" / "prefect-local.sh"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _alive(pid: int) -> bool:
    """Running, not merely a zombie: an orphan of `up` is reparented to PID 1, which may never reap it."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def stack():
    if _pg_bin() is None:
        message = "the Prefect stack test needs the PostgreSQL binaries (initdb, pg_ctl)"
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(f"SKIPPED (not a pass): {message}")
    home = Path(tempfile.mkdtemp(prefix="lc-stack-"))
    home.chmod(0o755)  # as root the cluster belongs to the postgres user, who must reach its directory
    pg_port, api_port = _free_port(), _free_port()
    # the script runs `lostcontact` and `prefect` as a shell finds them: this interpreter's, activated or not
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    up = subprocess.run(["bash", str(SCRIPT), "up", str(home), str(pg_port), str(api_port), "2"], cwd=ROOT,
                        capture_output=True, text=True, timeout=150, env={**os.environ, "PATH": path})
    try:
        assert up.returncode == 0, up.stderr + "".join(p.read_text()[-3000:] for p in home.glob("*.log"))
        env = dict(line.removeprefix("export ").split("=", 1) for line in (home / "env").read_text().splitlines()
                   if "=" in line and " " not in line.removeprefix("export "))
        yield home, pg_port, {**os.environ, "PATH": path, **env, "LOSTCONTACT_DB": env["LOSTCONTACT_DB"]}
    finally:
        pids = [int(p.read_text()) for p in home.glob("*.pid")]
        subprocess.run(["bash", str(SCRIPT), "down", str(home)], cwd=ROOT, capture_output=True, timeout=90,
                       env={**os.environ, "PATH": path})
        shutil.rmtree(home, ignore_errors=True)
        deadline = time.monotonic() + 10  # a process KILLed at the end of `down` may take a moment to go
        while [pid for pid in pids if _alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in pids if _alive(pid)], "a process of the stack outlived `down`"


@pytest.mark.postgresql
def test_two_prefect_workers_run_a_shared_sweep_on_the_stack_without_docker(stack):
    home, pg_port, env = stack
    owner = open_database(f"postgresql+psycopg2://postgres@127.0.0.1:{pg_port}/lostcontact")
    try:
        populate(owner)
        run = subprocess.run([sys.executable, "-m", "workflows.scaleout", "run", "--as-of", AS_OF.isoformat(),
                              "--workers", "2", "--max-partitions", str(PARTITIONS)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr + "".join(
            p.read_text()[-3000:] for p in home.glob("worker*.log"))
        assert json.loads(run.stdout.strip().splitlines()[-1])["state"] == "COMPLETED"
        with UnitOfWork(owner, write=False) as uow:
            runs = uow.session.execute(select(SweepRun.status, SweepRun.mode, SweepRun.counts)).all()
            partitions = uow.session.execute(select(SweepPartition.org_code, SweepPartition.status)).all()
        assert [(status, mode) for status, mode, _ in runs] == [("completed", "prefect")]
        assert json.loads(runs[0][2])["R1"] == 9  # three members six months out of contact in each branch
        assert sorted(partitions) == [("B1", "done"), ("B3", "done"), ("GB1", "done")]
        logs = "".join(p.read_text() for p in home.glob("worker*.log"))
        assert logs.count("swept ") == 2  # both sweep-worker flow runs ran on the pool's workers
    finally:
        owner.dispose()
