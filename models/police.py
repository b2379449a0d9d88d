"""Police records and problems (PROGRAMMES.md §4): what the exit-entry administration holds on file (documents
and crossings, imported all-or-nothing, keyed by their natural keys so a re-import adds nothing twice), and the
problems (问题) found on persons with their append-only history (PostgreSQL triggers, 0012)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class PoliceHolding(Base):
    """A document the exit-entry administration has on file under a resident ID number (one per kind and
    number). The ID number is not a foreign key: M1 looks for the other identities a person uses, which the
    registry does not know."""
    __tablename__ = "police_holdings"
    __table_args__ = (UniqueConstraint("kind", "number"),
                      Index("ix_police_holdings_id_number", "id_number", "kind"),
                      Index("ix_police_holdings_name_birth", "name", "birth_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date]                         # read from the ID number: M1 matches name and birth date
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16))  # valid / expired / revoked / lost, as the administration says
    recorded_on: Mapped[date]                        # the import that first brought it
    updated_on: Mapped[date]                         # the import that last changed it


class PoliceCrossing(Base):
    """An exit or entry the administration recorded. The natural key leads with (id_number, crossed_on): the
    index the checks read a person's crossings in date order by."""
    __tablename__ = "police_crossings"
    __table_args__ = (UniqueConstraint("id_number", "crossed_on", "direction", "document_kind", "document_number",
                                       name="uq_police_crossings_person_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18))
    crossed_on: Mapped[date]
    direction: Mapped[str] = mapped_column(String(8))   # exit / entry
    document_kind: Mapped[str] = mapped_column(String(20))
    document_number: Mapped[str] = mapped_column(String(40))
    port: Mapped[str] = mapped_column(String(100))      # 口岸
    destination: Mapped[str | None] = mapped_column(String(100))
    recorded_on: Mapped[date]


class Problem(Base):
    """问题: one finding on a person, found by a check or recorded by hand; unique per (person, kind, subject)
    so a check run again finds nothing twice. The row is the current state of its history."""
    __tablename__ = "problems"
    __table_args__ = (UniqueConstraint("person_id", "kind", "subject"),
                      Index("ix_problems_org_status", "org_id", "status"),
                      Index("ix_problems_kind_found", "kind", "found_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(4))
    subject: Mapped[str] = mapped_column(String(120))   # what it is about (a document, an identity, a trip …)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))   # the person's org when found
    found_on: Mapped[date]
    evidence: Mapped[str] = mapped_column(Text)          # numbers masked
    status: Mapped[str] = mapped_column(String(12))
    measures: Mapped[str | None] = mapped_column(String(300))    # measure ids joined by commas
    self_corrected: Mapped[bool] = mapped_column(default=False)
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)


class ProblemEvent(Base):
    """A problem's append-only history: found (or recorded) and every step, with what it left."""
    __tablename__ = "problem_events"
    __table_args__ = (UniqueConstraint("problem_id", "seq"),
                      Index("ix_problem_events_problem_on", "problem_id", "effective_on", "seq"))

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problems.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(12))   # find / record / verify / handle / dismiss
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    measures: Mapped[str | None] = mapped_column(String(300))
    self_corrected: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)     # the dismissal's reason, a step's remark
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
