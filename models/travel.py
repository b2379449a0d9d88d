"""The travel-documents programme (PROGRAMMES.md §1, §2): persons, their registration history, their
travel documents and the custody history. Each history table is append-only (PostgreSQL triggers, 0008);
the rows of `persons` and `travel_documents` are the current state of their history, `version` their
optimistic lock."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class Person(Base):
    """人员: a party member or a state employee, one per resident ID number; `member_id` is the roster's
    member with the same number."""
    __tablename__ = "persons"
    __table_args__ = (Index("ix_persons_org_status", "org_id", "registration_status"),
                      Index("ix_persons_name", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    former_names: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str | None] = mapped_column(String(1))   # M / F
    birth_date: Mapped[date | None]
    political_status: Mapped[str | None] = mapped_column(String(20))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))      # the org of the tree that manages them
    work_unit: Mapped[str | None] = mapped_column(String(200))     # 工作单位
    post: Mapped[str | None] = mapped_column(String(200))          # 职务
    rank: Mapped[str] = mapped_column(String(16))
    household_place: Mapped[str | None] = mapped_column(String(200))
    authority: Mapped[str | None] = mapped_column(String(200))     # 人事主管部门
    person_type: Mapped[str | None] = mapped_column(String(32))    # 登记备案人员类别; NULL: need not be registered
    registration_status: Mapped[str] = mapped_column(String(16))
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the latest contact with their unit recorded (models/discipline.py UnitContact): the discipline
    # register's candidates are a range scan over it, like the roster's last_contact_on (0016)
    unit_contact_on: Mapped[date | None] = mapped_column(index=True)

    __mapper_args__ = {"version_id_col": version}


class PersonEvent(Base):
    """A person's append-only history: the recording, each edit of what decides registration (type, org,
    rank, unit, post, authority) and each registration step, with what it left, so that any past day is
    read from the history alone (应备尽备 as of a date)."""
    __tablename__ = "person_events"
    __table_args__ = (UniqueConstraint("person_id", "seq"),
                      Index("ix_person_events_person_on", "person_id", "effective_on", "seq"),
                      # a person's filing day as of a day, one seek (0018): 应交尽交, the custody alerts, P1/P2
                      Index("ix_person_events_person_action_on", "person_id", "action", "effective_on"),
                      # the registration changes to report to the exit-entry administration (0013)
                      Index("ix_person_events_status_on", "to_status", "effective_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    seq: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))      # add / import / edit / register / change / revoke
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    person_type: Mapped[str | None] = mapped_column(String(32))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    rank: Mapped[str] = mapped_column(String(16))
    changes: Mapped[str | None] = mapped_column(Text)    # JSON: field -> [old, new] of an edit or re-import
    note: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class TravelDocument(Base):
    """证件: one travel document (or resident ID card) of a person, and where it is now."""
    __tablename__ = "travel_documents"
    __table_args__ = (UniqueConstraint("kind", "number"),
                      Index("ix_travel_documents_person", "person_id", "kind"),
                      Index("ix_travel_documents_state", "state", "kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))
    name_on_document: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date]
    expires_on: Mapped[date]
    issuing_authority: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16))
    kept_at: Mapped[str | None] = mapped_column(String(200))    # where the custodian keeps it
    received_on: Mapped[date | None]
    checked_out_on: Mapped[date | None]
    trip_ref: Mapped[str | None] = mapped_column(String(200))
    departure_on: Mapped[date | None]
    trip_ends_on: Mapped[date | None]
    return_due_on: Mapped[date | None]
    # the private trip it is checked out for (trips.id; no foreign key: trips already references this table)
    trip_id: Mapped[int | None]
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)


class CustodyEvent(Base):
    """The append-only custody history: the recording and every transition, with what it left."""
    __tablename__ = "custody_events"
    __table_args__ = (UniqueConstraint("document_id", "seq"),
                      Index("ix_custody_events_document_on", "document_id", "effective_on", "seq", "to_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("travel_documents.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    grant_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    trip_ref: Mapped[str | None] = mapped_column(String(200))
    departure_on: Mapped[date | None]
    trip_ends_on: Mapped[date | None]
    return_due_on: Mapped[date | None]
    late: Mapped[bool | None]                       # received or returned after its due day
    trip_id: Mapped[int | None] = mapped_column(ForeignKey("trips.id"))  # the private trip of a checkout
    note: Mapped[str | None] = mapped_column(Text)  # statement, verification, reason
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
