from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # argon2id; NULL: cannot log in yet
    # login lockout (lostcontact.services.auth): consecutive failures, and until when the account is locked
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]  # a disabled account cannot log in; its sessions end
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    grants: Mapped[list["Grant"]] = relationship(back_populates="user", lazy="selectin")


class Grant(Base):
    """A role over one organisation's subtree."""
    __tablename__ = "grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user: Mapped[User] = relationship(back_populates="grants")
