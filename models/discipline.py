"""The discipline commission's register of 失联, 外逃 and 出走 (PROGRAMMES.md §5) and the contacts with a
person's unit it reads besides the roster's: an entry per person and category (one open at a time: a partial
unique index), its append-only history, and the unit contacts. Histories are append-only on PostgreSQL (0016)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow

_OPEN = text("state = 'open'")


class UnitContact(Base):
    """A contact of a person with their unit (单位), recorded by hand; the roster's contacts (组织生活, 党费) are
    a member's contacts with their party org. `persons.unit_contact_on` keeps the latest."""
    __tablename__ = "unit_contacts"
    __table_args__ = (Index("ix_unit_contacts_person_on", "person_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    on_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class DisciplineEntry(Base):
    """登记: a person on the register as 失联 (lost), 外逃 (fled) or 出走 (absconded), with the fields of its form
    (seed 000 附件1-1…1-3). `case_id`: the member's lost-contact case it was linked to (never a second record)."""
    __tablename__ = "discipline_entries"
    __table_args__ = (
        Index("uq_discipline_entries_open", "person_id", "category", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_discipline_entries_org_state", "org_id", "state"),
        Index("ix_discipline_entries_case", "case_id"),
        # a person's entries of a category on a day (is a 失联 candidate already entered?): a probe per
        # candidate, whatever the register's size (0017)
        Index("ix_discipline_entries_person", "person_id", "category", "opened_on"),
        # the entry list's order with what its filters and scope read (0021): a province's page walks it and
        # stops at the page, reading no entry's row but the page's
        Index("ix_discipline_entries_list_order", "opened_on", "id", "org_id", "category", "state", "ended_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    category: Mapped[str] = mapped_column(String(12))          # lost / fled / absconded
    state: Mapped[str] = mapped_column(String(12))             # open / found / returned / deceased / revoked
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))  # the person's org when entered
    since_on: Mapped[date]                                      # 失联时间 / 外逃时间 / 出走时间
    recontact_on: Mapped[date]                                  # 经再次联系仍然无法取得联系: the day it failed
    recontact_note: Mapped[str] = mapped_column(Text)
    disciplined: Mapped[bool | None]                           # 是否党政纪处分
    sanction: Mapped[str | None] = mapped_column(String(200))   # 处分情况
    remarks: Mapped[str | None] = mapped_column(Text)
    # 外逃 (附件1-2)
    documents_held: Mapped[str | None] = mapped_column(Text)    # 外逃所持证照信息
    whereabouts: Mapped[str | None] = mapped_column(String(12))  # domestic / abroad
    place: Mapped[str | None] = mapped_column(String(200))
    case_filed_by: Mapped[str | None] = mapped_column(String(200))   # 立案单位
    case_filed_on: Mapped[date | None]                                # 立案时间
    suspected_offence: Mapped[str | None] = mapped_column(String(200))  # 涉嫌罪名
    amount_wan: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))  # 涉案金额（万元）
    # 出走 (附件1-3)
    region: Mapped[str | None] = mapped_column(String(200))     # 所属地区
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    opened_on: Mapped[date]
    ended_on: Mapped[date | None]
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}


class DisciplineEvent(Base):
    """An entry's append-only history: its opening and how it ended, with the day and who."""
    __tablename__ = "discipline_events"
    __table_args__ = (UniqueConstraint("entry_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("discipline_entries.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(12))            # open / find / return / decease / revoke
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
