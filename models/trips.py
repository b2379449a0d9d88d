"""Private trips abroad (因私出国（境）, PROGRAMMES.md §3) and their append-only history (PostgreSQL triggers,
0010). The `trips` row is the current state of its history, `version` its optimistic lock.

The shape other parts read (self-report campaigns, police records and checks): an approval stands when `state` is
one of statemachines.travel.trips.APPROVED_STATES; `destinations` and `actual_places` are JSON arrays of country or
region names; `planned_departure`/`planned_return` are what was approved, `actual_exit_on`/`actual_entry_on` what
happened (recorded on return); `deviations` a JSON array of statemachines.travel.trips.DEVIATIONS ids, or NULL
before the return is recorded."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Trip(Base):
    """因私出国（境）申请: one application of one person, with the document to use, and what came of it."""
    __tablename__ = "trips"
    __table_args__ = (Index("ix_trips_person_departure", "person_id", "planned_departure"),
                      Index("ix_trips_state_departure", "state", "planned_departure"),
                      Index("ix_trips_document", "document_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("travel_documents.id"))
    destinations: Mapped[str] = mapped_column(Text)                # JSON array: 前往国家（地区）
    reason: Mapped[str] = mapped_column(Text)                      # 事由
    planned_departure: Mapped[date]
    planned_return: Mapped[date]
    state: Mapped[str] = mapped_column(String(16))
    strict_review: Mapped[bool]                                    # 裸官, sensitive post: the stricter review
    applied_on: Mapped[date]
    consulted_on: Mapped[date | None]                              # the discipline organ's opinion (征求意见)
    consulted_by: Mapped[str | None] = mapped_column(String(64))
    consultation_opinion: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None]                               # set by an approval only
    approved_by: Mapped[str | None] = mapped_column(String(64))
    decision_note: Mapped[str | None] = mapped_column(Text)        # the approval's review opinion, the refusal's reason
    actual_exit_on: Mapped[date | None]
    actual_entry_on: Mapped[date | None]
    actual_places: Mapped[str | None] = mapped_column(Text)        # JSON array
    deviations: Mapped[str | None] = mapped_column(String(100))    # JSON array of DEVIATIONS ids
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)


class TripEvent(Base):
    """A trip's append-only history: the application and every transition, with what it recorded."""
    __tablename__ = "trip_events"
    __table_args__ = (UniqueConstraint("trip_id", "seq"),
                      Index("ix_trip_events_trip_on", "trip_id", "effective_on", "seq", "to_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(ForeignKey("trips.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    grant_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    note: Mapped[str | None] = mapped_column(Text)        # opinion, review opinion, reason
    exit_on: Mapped[date | None]
    entry_on: Mapped[date | None]
    places: Mapped[str | None] = mapped_column(Text)      # JSON array
    changes: Mapped[str | None] = mapped_column(Text)     # JSON: field -> [old, new] of an edit (0019)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
