"""Finding a PostgreSQL server for the tests: LOSTCONTACT_TEST_PG, else a throwaway cluster started
with infra/pg-local.sh when the binaries exist, else a loud skip (a failure under CI=true)."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "infra" / "pg-local.sh"


class NoPostgres(Exception):
    pass


def _pg_bin() -> Path | None:
    if shutil.which("pg_ctl"):
        return Path(shutil.which("pg_ctl")).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return candidates[-1].parent if candidates else None


class Server:
    """A PostgreSQL server for one test session; `create_database` gives each user a fresh database."""

    def __init__(self) -> None:
        self.cluster_dir: str | None = None
        url = os.environ.get("LOSTCONTACT_TEST_PG")
        if not url:
            url = self._start_throwaway()
        self.admin_url = url
        try:
            engine = create_engine(url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
        except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
            raise NoPostgres(f"cannot connect to {make_url(url).render_as_string(hide_password=True)}: {exc}") from exc

    def _start_throwaway(self) -> str:
        if _pg_bin() is None:
            raise NoPostgres("LOSTCONTACT_TEST_PG is not set and no PostgreSQL binaries were found")
        self.cluster_dir = tempfile.mkdtemp(prefix="lc-pg-")
        port = 55432 + os.getpid() % 1000
        out = subprocess.run(["bash", str(SCRIPT), "start", self.cluster_dir, str(port)], capture_output=True,
                             text=True)
        if out.returncode != 0:
            raise NoPostgres(f"throwaway cluster failed: {out.stderr.strip() or out.stdout.strip()}")
        return f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"

    def create_database(self) -> str:
        name = f"lc_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # A test database need not survive a server crash: commits stop waiting for the disk, which on a
            # busy machine is most of a small transaction's time.
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        engine.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    def stop(self) -> None:
        if self.cluster_dir:
            subprocess.run(["bash", str(SCRIPT), "stop", self.cluster_dir], capture_output=True)
            shutil.rmtree(self.cluster_dir, ignore_errors=True)
