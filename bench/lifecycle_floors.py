"""The lifecycle step's floors (bench/lifecycle.py): the least any engine must do per step — read the case
(or the member) with its branch path and the actor's grants, one conditional UPDATE or INSERT of the case,
one INSERT of history or search entry, one transaction — written as raw SQL

* through the project's SQLAlchemy engine (`FloorPath`: the same engine settings and transaction pattern as
  a unit of work), and
* on the standard library's `sqlite3` (`Sqlite3FloorPath`, issue 15: the same statements, the same pragmas
  as models.db.open_database — WAL, foreign keys, synchronous=NORMAL, busy timeout — and BEGIN IMMEDIATE …
  COMMIT around each step), so the ratio against it shows what the whole Python stack above the driver costs;
* and on `sqlite3` writing what a step of this schema writes besides (`Sqlite3FloorPath(writes=True)`): the
  due date with the case, the new step's deadline, and its `case_steps` span kept in place (the running
  span ended, the new one begun, as services/case_step_spans.py does), so the ratio against it leaves out
  the work the data itself asks for and shows the stack's cost alone.
"""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from models.case_steps import RUNNING, span_cells
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
# what a step of this schema writes besides (Sqlite3FloorPath(writes=True)); a step's clock is a fixed DUE_DAYS
_CASE_BRANCH_SQL = ("SELECT c.id, c.state, c.version, c.last_seq, c.branch_id, o.path FROM cases c "
                    "JOIN orgs o ON o.id = c.branch_id WHERE c.id = ?")
_OPEN_DUE_SQL = ("INSERT INTO cases (member_id, branch_id, state, origin, opened_on, lost_since, step_seq, "
                 "step_entered_on, policy_version, last_event_on, last_seq, version, due_on, due_provisional) "
                 "VALUES (?, ?, 'lost_contact', 'manual', ?, ?, 1, ?, 'default-1', ?, 1, 1, ?, 0)")
_FIRE_DUE_SQL = ("UPDATE cases SET state = ?, last_seq = ?, last_event_on = ?, step_seq = ?, step_entered_on = ?, "
                 "due_on = ?, version = version + 1 WHERE id = ? AND version = ?")
_DEADLINE_SQL = ("INSERT INTO deadlines (case_id, step_seq, state, entered_on, due_on, provisional, policy_version, "
                 "effective_on, recorded_at) VALUES (?, ?, ?, ?, ?, 0, 'default-1', ?, ?)")
_END_SPAN_SQL = "DELETE FROM case_steps WHERE case_id = ? AND cell = -1 RETURNING entered_on, seq, state, due_on"
_SPANS_SQL = ("INSERT INTO case_steps (case_id, entered_on, cell, left_on, seq, state, due_on, branch_id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
DUE_DAYS = 7
_CLOSED = ("closed", "deceased", "voided")


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
    conditional UPDATE or INSERT of the case, one INSERT of history or search entry, one transaction.
    `writes`: also what a step of this schema writes besides (the due date, the deadline, the step's span)."""

    def __init__(self, path: Path, world: World, *, writes: bool = False):
        self.conn, self.world, self.writes = connect(path), world, writes
        self.case_ids: dict[int, int] = {}

    def _grant(self, login: str, branch_path: str) -> tuple:
        for grant in self.conn.execute(_GRANTS_SQL, (login,)).fetchall():
            if branch_path.startswith(grant[2]):
                return grant
        raise RuntimeError(f"sqlite3 floor: {login} has no grant over {branch_path}")

    def run(self, index: int, step: Step) -> None:
        if self.writes and step.kind != "log":
            return self._run_writing(index, step)
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

    def _run_writing(self, index: int, step: Step) -> None:
        """An opening or a fire, with the due date, the deadline and the span of the step it enters."""
        actor = self.world.actor(index, step.role)
        now, on = datetime.now(timezone.utc).isoformat(sep=" "), step.on
        due = (on + timedelta(days=DUE_DAYS)).isoformat() if step.to_state not in _CLOSED else None
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if step.kind == "open":
                member_id, branch_id, last, path = conn.execute(_MEMBER_SQL,
                                                                (self.world.id_numbers[index],)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                case_id = conn.execute(_OPEN_DUE_SQL, (member_id, branch_id, on.isoformat(), last, on.isoformat(),
                                                       on.isoformat(), due)).lastrowid
                conn.execute(_HISTORY_SQL, (case_id, 1, "open", None, "lost_contact", actor, role, org_id,
                                               None, on.isoformat(), now))
                self.case_ids[index] = case_id
                seq, state, spans = 1, "lost_contact", []
            else:
                case_id = self.case_ids[index]
                _, state, version, last_seq, branch_id, path = conn.execute(_CASE_BRANCH_SQL, (case_id,)).fetchone()
                role, org_id, _ = self._grant(actor, path)
                seq = last_seq + 1
                if conn.execute(_FIRE_DUE_SQL, (step.to_state, seq, on.isoformat(), seq, on.isoformat(), due, case_id,
                                                version)).rowcount != 1:
                    raise RuntimeError(f"sqlite3 floor: case {case_id} changed underneath")
                conn.execute(_HISTORY_SQL, (case_id, seq, step.trigger, state, step.to_state, actor, role,
                                               org_id, step.options.get("opinion"), on.isoformat(), now))
                spans = []
                for entered, was_seq, was_state, was_due in conn.execute(_END_SPAN_SQL, (case_id,)).fetchall():
                    entered_on = date.fromisoformat(entered)
                    spans = [(case_id, entered, cell, on.isoformat(), was_seq, was_state, was_due, branch_id)
                             for cell in span_cells(entered_on, on)] if entered_on < on else []
                state = step.to_state
            if due is not None:
                conn.execute(_DEADLINE_SQL, (case_id, seq, state, on.isoformat(), due, on.isoformat(), now))
                spans.append((case_id, on.isoformat(), RUNNING, None, seq, state, due, branch_id))
            conn.executemany(_SPANS_SQL, spans)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()
