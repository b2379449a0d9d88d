from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Computed, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


# The last six characters of the ID number, last first: "the last 4–6 digits" is then a prefix, an index
# range (substr and || mean the same on SQLite and PostgreSQL; ID numbers are 18 characters).
ID_TAIL_REVERSED_SQL = "||".join(f"substr(id_number, {i}, 1)" for i in range(18, 12, -1))


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (Index("ix_members_name", "name"),
                      Index("ix_members_id_tail_reversed", "id_tail_reversed"))

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # searching by the last digits (virtual on SQLite, stored on PostgreSQL)
    id_tail_reversed: Mapped[str | None] = mapped_column(String(6), Computed(ID_TAIL_REVERSED_SQL))
    sex: Mapped[str | None] = mapped_column(String(1))  # M / F
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    birth_date: Mapped[date | None]
    join_date: Mapped[date]
    standing: Mapped[str] = mapped_column(String(16))  # full / probationary
    probation_start: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    branch_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    occupation: Mapped[int | None]
    mobile: Mapped[bool] = mapped_column(default=False)
    flow_direction: Mapped[int | None]
    flow_reason: Mapped[str | None] = mapped_column(String(200))
    flow_card_no: Mapped[str | None] = mapped_column(String(60))
    receiving_unit: Mapped[str | None] = mapped_column(String(200))
    away_since: Mapped[date | None] = mapped_column(index=True)  # R3 range scan
    reported: Mapped[bool] = mapped_column(default=False)
    abroad: Mapped[bool] = mapped_column(default=False)
    abroad_reason: Mapped[str | None] = mapped_column(String(200))
    abroad_date: Mapped[date | None]
    transfer_out_date: Mapped[date | None] = mapped_column(index=True)  # R4 range scan
    receipt_returned: Mapped[bool] = mapped_column(default=False)
    receiving_org: Mapped[str | None] = mapped_column(String(200))
    # seed 003 附件1 党员基本信息表 (value lists: statemachines/member_codes.py)
    marital_status: Mapped[str | None] = mapped_column(String(16))     # MARITAL_STATUSES
    work_start_date: Mapped[date | None]                                # 参加工作时间
    education: Mapped[str | None] = mapped_column(String(40))          # 学历
    degree: Mapped[str | None] = mapped_column(String(40))             # 学位
    school: Mapped[str | None] = mapped_column(String(200))            # 毕业院校
    party_post: Mapped[str | None] = mapped_column(String(200))        # 现任党内职务
    abroad_contact: Mapped[str | None] = mapped_column(String(16))     # ABROAD_CONTACTS
    membership_handling: Mapped[str | None] = mapped_column(String(16))  # MEMBERSHIP_HANDLINGS
    return_date: Mapped[date | None]                                    # 回国日期
    life_resumption: Mapped[str | None] = mapped_column(String(16))    # LIFE_RESUMPTIONS
    # 家庭主要成员及重要社会关系: a JSON list of {"relation", "name", "birth", "political", "work"}. Not a child
    # table: the list is only ever read and written whole with its member (one cell of the import, one block
    # of the form, one entry of the member's history when it changes) and never searched or counted in SQL.
    family: Mapped[str | None] = mapped_column(Text)
    # The latest contact as recorded now (DOMAIN.md §6.3), kept by the service layer so the six-month
    # rule is a range scan over this index rather than a scan of every member's events.
    last_contact_on: Mapped[date] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MemberChange(Base):
    """What a re-import or an edit changed in a member's record (the member's history)."""
    __tablename__ = "member_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ContactEvent(Base):
    """Organisational life, dues or another contact, effective on its date."""
    __tablename__ = "contact_events"
    __table_args__ = (UniqueConstraint("member_id", "on_date", "kind"),
                      Index("ix_contact_events_member_date", "member_id", "on_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    on_date: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(40))  # import / manual
    actor: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
