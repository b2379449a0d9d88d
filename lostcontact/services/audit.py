"""The administrators' audit log: who did what to whom, when and from where. Append-only (on PostgreSQL a
trigger refuses UPDATE and DELETE, migration 0003).

A service that changes accounts, grants, rosters or policy calls `record` inside its own unit of work, so
the entry commits with the change or not at all. `detail` is a small JSON object of what changed: never a
password, a hash or a full ID number (mask them first)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import AuditEntry


@dataclass(frozen=True)
class Origin:
    """Where a request came from: the web passes the client's address, the CLI the local operator's mark."""
    remote_addr: str | None = None

    @staticmethod
    def command_line() -> "Origin":
        return Origin("命令行")


def record(session: Session, *, actor: str | None, action: str, target_kind: str, target: str,
           org_id: int | None = None, detail: dict | None = None, origin: Origin | None = None,
           at: datetime | None = None) -> None:
    """Add one entry to the session's transaction (the caller's unit of work commits it). `at`: the entry
    point's clock when it has one (else the row's default, now)."""
    session.add(AuditEntry(**({"recorded_at": at} if at is not None else {}), actor=actor or "operator", action=action, target_kind=target_kind, target=target[:200],
                           org_id=org_id, detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
                           remote_addr=(origin or Origin()).remote_addr))
