"""The lifecycle step's second floor: bench/lifecycle.py's raw-SQL floor written with the standard library's
`sqlite3` instead of SQLAlchemy, so the ratio against it shows what the whole Python stack above the driver
costs (issue 15). The same statements (lifecycle._CASE_SQL … _LOGGED_SQL), the same pragmas as
models.db.open_database (WAL, foreign keys, synchronous=NORMAL, busy timeout), BEGIN IMMEDIATE … COMMIT
around each step."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from models.db import SQLITE_BUSY_SECONDS

from . import lifecycle as lc


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_SECONDS)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                   f"busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class Sqlite3FloorPath:
    """lifecycle.FloorPath with a bare `sqlite3` connection: read case (or member) and grants, one
    conditional UPDATE or INSERT of the case, one INSERT of history or search entry, one transaction."""

    def __init__(self, path: Path, world: lc.World):
        self.conn, self.world = connect(path), world
        self.case_ids: dict[int, int] = {}

    def _grant(self, login: str, branch_path: str) -> tuple:
        for grant in self.conn.execute(lc._GRANTS_SQL, (login,)).fetchall():
            if branch_path.startswith(grant[2]):
                return grant
        raise RuntimeError(f"sqlite3 floor: {login} has no grant over {branch_path}")

    def run(self, index: int, step: lc.Step) -> None:
        actor = self.world.actor(index, step.role)
        now, on = datetime.now(timezone.utc).isoformat(sep=" "), step.on.isoformat()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if step.kind == "open":
                member_id, branch_id, last, path = conn.execute(lc._MEMBER_SQL,
                                                                (self.world.id_numbers[index],)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                case_id = conn.execute(lc._OPEN_SQL, (member_id, branch_id, on, last, on, on)).lastrowid
                conn.execute(lc._HISTORY_SQL, (case_id, 1, "open", None, "lost_contact", actor, role, org_id,
                                               None, on, now))
                self.case_ids[index] = case_id
            else:
                case_id = self.case_ids[index]
                _, state, version, last_seq, _, path = conn.execute(lc._CASE_SQL, (case_id,)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                if step.kind == "log":
                    updated = conn.execute(lc._LOGGED_SQL, (on, case_id, version)).rowcount
                    conn.execute(lc._SEARCH_SQL, (case_id, on, now, step.channel, step.outcome, actor))
                else:
                    seq = last_seq + 1
                    updated = conn.execute(lc._FIRE_SQL, (step.to_state, seq, on, seq, on, case_id,
                                                          version)).rowcount
                    conn.execute(lc._HISTORY_SQL, (case_id, seq, step.trigger, state, step.to_state, actor, role,
                                                   org_id, step.options.get("opinion"), on, now))
                if updated != 1:
                    raise RuntimeError(f"sqlite3 floor: case {case_id} changed underneath")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
