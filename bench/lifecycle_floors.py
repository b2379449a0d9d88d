"""The lifecycle step's two floors (bench/lifecycle.py): the least any engine must do per step — read the case
(or the member) with its branch path and the actor's grants, one conditional UPDATE or INSERT of the case,
one INSERT of history or search entry, one transaction — written as raw SQL

* through the project's SQLAlchemy engine (`FloorPath`: the same engine settings and transaction pattern as
  a unit of work), and
* on the standard library's `sqlite3` (`Sqlite3FloorPath`, issue 15: the same statements, the same pragmas
  as models.db.open_database — WAL, foreign keys, synchronous=NORMAL, busy timeout — and BEGIN IMMEDIATE …
  COMMIT around each step), so the ratio against it shows what the whole Python stack above the driver costs.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from models.db import SQLITE_BUSY_SECONDS

if TYPE_CHECKING:
    from models.db import Database

    from .lifecycle import Step, World

_CASE_SQL = ("SELECT c.id, c.state, c.version, c.last_seq, c.last_event_on, o.path FROM cases c "
             "JOIN orgs o ON o.id = c.branch_id WHERE c.id = ?")
_MEMBER_SQL = ("SELECT m.id, m.branch_id, m.last_contact_on, o.path FROM members m "
               "JOIN orgs o ON o.id = m.branch_id WHERE m.id_number = ?")
_GRANTS_SQL = ("SELECT g.role, o.id, o.path FROM grants g JOIN users u ON u.id = g.user_id "
               "JOIN orgs o ON o.id = g.org_id WHERE u.login = ?")
_OPEN_SQL = ("INSERT INTO cases (member_id, branch_id, state, origin, opened_on, lost_since, step_seq, "
             "step_entered_on, policy_version, last_event_on, last_seq, version, due_provisional) "
             "VALUES (?, ?, 'lost_contact', 'manual', ?, ?, 1, ?, 'default-1', ?, 1, 1, 0)")
_HISTORY_SQL = ("INSERT INTO case_events (case_id, seq, trigger, from_state, to_state, actor, role, grant_org_id, "
                "opinion, effective_on, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_SEARCH_SQL = ("INSERT INTO search_entries (case_id, effective_on, recorded_at, channel, tier, outcome, actor, role) "
               "VALUES (?, ?, ?, ?, 'direct', ?, ?, 'branch_officer')")
_FIRE_SQL = ("UPDATE cases SET state = ?, last_seq = ?, last_event_on = ?, step_seq = ?, step_entered_on = ?, "
             "version = version + 1 WHERE id = ? AND version = ?")
_LOGGED_SQL = "UPDATE cases SET last_event_on = ?, version = version + 1 WHERE id = ? AND version = ?"


class FloorPath:
    """The least any engine must do per step, as raw SQL through the same engine and transaction pattern."""

    def __init__(self, db: Database, world: World):
        self.db, self.world = db, world
        self.case_ids: dict[int, int] = {}

    def _grant(self, conn, login: str, branch_path: str) -> tuple:
        for grant in conn.exec_driver_sql(_GRANTS_SQL, (login,)).all():
            if branch_path.startswith(grant[2]):
                return grant
        raise RuntimeError(f"floor: {login} has no grant over {branch_path}")

    def run(self, index: int, step: Step) -> None:
        actor = self.world.actor(index, step.role)
        now, on = datetime.now(timezone.utc).isoformat(sep=" "), step.on.isoformat()
        with self.db.writer.begin() as conn:  # BEGIN IMMEDIATE, exactly as a unit of work
            if step.kind == "open":
                member_id, branch_id, last, path = conn.exec_driver_sql(
                    _MEMBER_SQL, (self.world.id_numbers[index],)).one()
                role, org_id, _ = self._grant(conn, actor, path)
                case_id = conn.exec_driver_sql(_OPEN_SQL, (member_id, branch_id, on, last, on, on)).lastrowid
                conn.exec_driver_sql(_HISTORY_SQL, (case_id, 1, "open", None, "lost_contact", actor, role, org_id,
                                                    None, on, now))
                self.case_ids[index] = case_id
                return
            case_id = self.case_ids[index]
            _, state, version, last_seq, _, path = conn.exec_driver_sql(_CASE_SQL, (case_id,)).one()
            role, org_id, _ = self._grant(conn, actor, path)
            if step.kind == "log":
                updated = conn.exec_driver_sql(_LOGGED_SQL, (on, case_id, version)).rowcount
                conn.exec_driver_sql(_SEARCH_SQL, (case_id, on, now, step.channel, step.outcome, actor))
            else:
                seq = last_seq + 1
                updated = conn.exec_driver_sql(_FIRE_SQL, (step.to_state, seq, on, seq, on, case_id, version)).rowcount
                conn.exec_driver_sql(_HISTORY_SQL, (case_id, seq, step.trigger, state, step.to_state, actor, role,
                                                    org_id, step.options.get("opinion"), on, now))
            if updated != 1:
                raise RuntimeError(f"floor: case {case_id} changed underneath")



def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=SQLITE_BUSY_SECONDS)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                   f"busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


class Sqlite3FloorPath:
    """lifecycle.FloorPath with a bare `sqlite3` connection: read case (or member) and grants, one
    conditional UPDATE or INSERT of the case, one INSERT of history or search entry, one transaction."""

    def __init__(self, path: Path, world: World):
        self.conn, self.world = connect(path), world
        self.case_ids: dict[int, int] = {}

    def _grant(self, login: str, branch_path: str) -> tuple:
        for grant in self.conn.execute(_GRANTS_SQL, (login,)).fetchall():
            if branch_path.startswith(grant[2]):
                return grant
        raise RuntimeError(f"sqlite3 floor: {login} has no grant over {branch_path}")

    def run(self, index: int, step: Step) -> None:
        actor = self.world.actor(index, step.role)
        now, on = datetime.now(timezone.utc).isoformat(sep=" "), step.on.isoformat()
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if step.kind == "open":
                member_id, branch_id, last, path = conn.execute(_MEMBER_SQL,
                                                                (self.world.id_numbers[index],)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                case_id = conn.execute(_OPEN_SQL, (member_id, branch_id, on, last, on, on)).lastrowid
                conn.execute(_HISTORY_SQL, (case_id, 1, "open", None, "lost_contact", actor, role, org_id,
                                               None, on, now))
                self.case_ids[index] = case_id
            else:
                case_id = self.case_ids[index]
                _, state, version, last_seq, _, path = conn.execute(_CASE_SQL, (case_id,)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                if step.kind == "log":
                    updated = conn.execute(_LOGGED_SQL, (on, case_id, version)).rowcount
                    conn.execute(_SEARCH_SQL, (case_id, on, now, step.channel, step.outcome, actor))
                else:
                    seq = last_seq + 1
                    updated = conn.execute(_FIRE_SQL, (step.to_state, seq, on, seq, on, case_id,
                                                          version)).rowcount
                    conn.execute(_HISTORY_SQL, (case_id, seq, step.trigger, state, step.to_state, actor, role,
                                                   org_id, step.options.get("opinion"), on, now))
                if updated != 1:
                    raise RuntimeError(f"sqlite3 floor: case {case_id} changed underneath")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
