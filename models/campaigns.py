"""Campaigns (集中排查, DOMAIN.md R10): milestones owed by the orgs of a level, and their submissions."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    start_on: Mapped[date]
    end_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Milestone(Base):
    """Every org of `level` owes a submission by `due_on`."""
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("campaign_id", "key"), Index("ix_milestones_due_on", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    key: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date]
    level: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(400))


class Submission(Base):
    """An org's submission for a milestone; its tally is frozen as of `as_of` (the tally's snapshot)."""
    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("milestone_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    submitted_on: Mapped[date]
    as_of: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
