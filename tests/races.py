"""Helpers for races between threads with their own connections: hold each at its first write until all
have read what they read, then let them write together."""
from __future__ import annotations

import threading

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
