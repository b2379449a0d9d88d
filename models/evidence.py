"""佐证材料: files attached to a case, one of its search-log entries or one of its steps.

The bytes live in a storage backend (lostcontact.storage: a folder beside the database, or an
S3-compatible bucket), addressed by `storage_key`; the row keeps what was checked when the file came in.
Append-only: a replaced file stays, and the row that replaces it names it in `supersedes_id` (unique, so a
file is replaced at most once)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Attachment(Base):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_case_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    search_entry_id: Mapped[int | None] = mapped_column(ForeignKey("search_entries.id"))
    step_seq: Mapped[int | None]                       # the case_events.seq of the step it documents
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))  # as sniffed from the content, never as claimed
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
