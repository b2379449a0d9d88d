"""Who did what to whom, when and from where: the administrators' audit log (append-only), and the
server-side record of every login session and API token, so that logging out really ends them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_recorded_at", "recorded_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))           # login, or "operator" for the local CLI
    action: Mapped[str] = mapped_column(String(32))          # user.create / grant.add / grant.revoke / …
    target_kind: Mapped[str] = mapped_column(String(16))     # user / grant / import / policy / …
    target: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"), index=True)  # scopes who may read it
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON, never a password or a full ID number
    remote_addr: Mapped[str | None] = mapped_column(String(64))


class UserSession(Base):
    """A page session (cookie) or an API token. The cookie or token carries a random id; the row keeps only
    its SHA-256, so a copy of the database cannot be replayed as a session."""
    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_open", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(8))             # page / api
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(String(200))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
