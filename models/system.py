from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PolicyVersion(Base):
    """A stored policy file: the one every process uses from `effective_from` on."""
    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    effective_from: Mapped[date] = mapped_column(index=True)
    body: Mapped[str] = mapped_column(Text)
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportLog(Base):
    __tablename__ = "import_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(400))
    rows: Mapped[int]
    inserted: Mapped[int]
    updated: Mapped[int]
    unchanged: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarVersion(Base):
    """A year's statutory holidays and make-up working days (调休) as an operator loaded them
    (`lostcontact calendar load`). Each load is a new version of its year; the newest wins over the
    installed chinesecalendar package in every process; older versions stay as history."""
    __tablename__ = "calendar_versions"
    __table_args__ = (UniqueConstraint("year", "version", name="uq_calendar_versions_year_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    version: Mapped[int]  # 1, 2, … per year
    holidays: Mapped[str] = mapped_column(Text)   # ISO dates, comma-separated, sorted
    workdays: Mapped[str] = mapped_column(Text)   # make-up working days, likewise
    notice: Mapped[str | None] = mapped_column(String(400))  # the State Council notice it transcribes
    file_name: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)       # the file as loaded
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
