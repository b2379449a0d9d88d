from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class TallySnapshot(Base):
    """An org's A–X tally frozen as reported (R10): the columns of the org and of every descendant,
    as of `as_of`, kept unchanged whatever is recorded (补录) later."""
    __tablename__ = "tally_snapshots"
    __table_args__ = (Index("ix_tally_snapshots_org_as_of", "org_id", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    as_of: Mapped[date]
    # the campaign submission that froze it (None: frozen by a flow or by hand)
    submission_id: Mapped[int | None] = mapped_column(index=True)
    tree: Mapped[str] = mapped_column(Text)  # JSON: the `tally --format json` shape
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
