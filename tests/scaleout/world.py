"""A world whose sweep does something in every partition, and the processes that share its runs."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from lostcontact.policies import ensure_default_policy
from lostcontact.uow import UnitOfWork
from models import Base
from models.db import Database, open_database
from tests.builders import build_world

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = date(2016, 3, 1)
PARTITIONS = 3  # the builders' tree at three partitions: B1, GB1 (with B2), B3


def populate(db: Database) -> None:
    """In each branch: members six months out of contact (R1 opens cases), five months (R2 warns), in touch."""
    world = build_world(db)
    for branch in ("B1", "B2", "B3"):
        for k in range(3):
            world.add_member(f"{branch}失联{k}", branch=branch, last_contact=date(2015, 8, 31 - k))
            world.add_member(f"{branch}将满{k}", branch=branch, last_contact=date(2015, 10, 1 + k))
            world.add_member(f"{branch}正常{k}", branch=branch, last_contact=date(2016, 2, 1 + k))


def fresh_database(pg_server) -> Database:
    url = pg_server.create_database()
    database = open_database(url)
    Base.metadata.create_all(database.engine)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    return database


# A worker process that says it is ready and starts claiming only when the test fires the starting gun on its
# stdin. With PAUSE it stops inside its first partition's transaction (after the rules, before the commit)
# and says so: the test can then SIGKILL it there.
WORKER = textwrap.dedent("""
    import os, sys
    from lostcontact.services.sweep import PARTITION_RULES
    def pause(ctx):
        print("mid-partition", ctx.partition_path, flush=True)
        sys.stdin.readline()
        return 0
    if os.environ.get("PAUSE"):
        PARTITION_RULES.append(("paused", pause))
    from workflows.scaleout import _db, main
    _db()
    print("ready", flush=True)
    sys.stdin.readline()
    main(["work", sys.argv[1]])
""")


def start_worker(db: Database, run_id: int, *, pause: bool = False) -> subprocess.Popen:
    env = {**os.environ, "LOSTCONTACT_DB": db.url, "PAUSE": "1" if pause else ""}
    process = subprocess.Popen([sys.executable, "-c", WORKER, str(run_id)], cwd=ROOT, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    line = process.stdout.readline().strip()
    assert line == "ready", process.stderr.read()
    return process


def fire(process: subprocess.Popen) -> None:
    process.stdin.write("go\n")
    process.stdin.flush()


class ThrowawayCluster:
    """A PostgreSQL cluster of one test's own (infra/pg-local.sh), so that it can be restarted under a
    running sweep without disturbing the session's server."""

    SCRIPT = ROOT / "infra" / "pg-local.sh"

    def __init__(self) -> None:
        import socket
        import tempfile

        self.dir = tempfile.mkdtemp(prefix="lc-restart-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.start()
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        subprocess.run(["bash", str(self.SCRIPT), "start", self.dir, str(self.port)], check=True,
                       capture_output=True)

    def restart(self) -> None:
        subprocess.run(["bash", str(self.SCRIPT), "stop", self.dir], check=True, capture_output=True)
        self.start()

    def stop(self) -> None:
        import shutil

        subprocess.run(["bash", str(self.SCRIPT), "stop", self.dir], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def fresh_database(self) -> Database:
        from sqlalchemy import create_engine, text

        admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE lostcontact"))
        admin.dispose()
        database = open_database(self.url.rsplit("/", 1)[0] + "/lostcontact")
        Base.metadata.create_all(database.engine)
        with UnitOfWork(database) as uow:
            ensure_default_policy(uow.session)
            uow.commit()
        return database
