"""Helpers for races between threads with their own connections, and between `lostcontact` processes: hold
each at its first write until all have read what they read, then let them write together."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from sqlalchemy import event

from statemachines.errors import LostContactError


class HoldAtFirstWrite:
    """Holds each thread at its first statement that starts with one of `statements` (upper case, e.g.
    "UPDATE CASES") until `parties` threads are there."""

    def __init__(self, engine, *statements: str, parties: int = 2):
        self.engine, self.statements = engine, statements
        self.barrier, self.seen = threading.Barrier(parties, timeout=60), threading.local()

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(self.statements) and not getattr(self.seen, "held", False):
            self.seen.held = True
            self.barrier.wait()

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)


def outcome(call):
    """What the call returned, or the refusal it raised (any other error still fails the test)."""
    try:
        return call()
    except LostContactError as refused:
        return refused


# --- races between processes -------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent

# A `lostcontact` process that imports everything and opens its database, says "ready", and runs its command
# when the test sends a line. With RACE_HOLD_AT set it then stops at its first statement starting with those
# words (upper case), says "held" and waits for another line: the test holds each racer just before its write,
# after it has read what it read, then releases them together, exactly as HoldAtFirstWrite does for threads.
_CLI_HELD_AT_FIRST_WRITE = textwrap.dedent("""
    import os, sys
    from sqlalchemy import event
    from lostcontact.cli import common
    from lostcontact.cli.main import app
    import lostcontact.services.cases, lostcontact.services.transfers  # loaded before the gun, not after
    hold = os.environ.get("RACE_HOLD_AT", "").upper()
    held = []

    def hold_before_the_first_write(conn, cursor, statement, parameters, context, executemany):
        if hold and not held and statement.lstrip().upper().startswith(hold):
            held.append(True)
            print("held", flush=True)
            sys.stdin.readline()

    event.listen(common.database().engine, "before_cursor_execute", hold_before_the_first_write)
    print("ready", flush=True)
    sys.stdin.readline()
    app(args=sys.argv[1:], prog_name="lostcontact")
""")


def mark_migrated(db) -> None:
    """The `db` fixture builds its schema from the models; the CLI insists on a migrated database."""
    from alembic import command

    from models.migrate import alembic_config
    with db.engine.begin() as connection:
        command.stamp(alembic_config(connection), "head")


class RacingCommand:
    """One `lostcontact` command in a process of its own, started, held and released by the test."""

    def __init__(self, db_url: str, *args: str, hold_at: str | None = None):
        env = {**os.environ, "LOSTCONTACT_DB": db_url, "RACE_HOLD_AT": hold_at or ""}
        self.process = subprocess.Popen([sys.executable, "-c", _CLI_HELD_AT_FIRST_WRITE, *args], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.output: list[str] = []
        line = self.process.stdout.readline()
        assert line.strip() == "ready", line + self.process.stderr.read()

    def go(self) -> None:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def reached_its_write(self) -> bool:
        """Wait until the command is held before its write (True) or has ended without reaching it (False)."""
        for line in self.process.stdout:
            if line.strip() == "held":
                return True
            self.output.append(line)
        return False

    def finish(self, timeout: float = 120) -> subprocess.CompletedProcess:
        out, err = self.process.communicate(timeout=timeout)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, "".join(self.output) + out, err)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def race_commands(db_url: str, *commands: tuple[str, tuple[str, ...]]) -> list[subprocess.CompletedProcess]:
    """Run each (hold_at, args) command in a process of its own, held just before its first statement starting
    with `hold_at` until all are there (or have ended before it), then released together; their results in
    order. PostgreSQL only: on SQLite the second writer queues at BEGIN IMMEDIATE, behind the held first."""
    racers = [RacingCommand(db_url, *args, hold_at=hold_at) for hold_at, args in commands]
    try:
        for racer in racers:
            racer.go()
        held = [racer for racer in racers if racer.reached_its_write()]
        for racer in held:
            racer.go()
        return [racer.finish() for racer in racers]
    finally:
        for racer in racers:
            racer.kill()
