"""The monthly reports of registration changes to the exit-entry administration (PROGRAMMES.md §1: changes reach
it by the 25th of each month, and it records them within a working day). A report lists the registration
changes of an org's subtree not reported before; `registration_report_items` says which report carried each
change, once (its unique key), and is append-only on PostgreSQL (0013)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class RegistrationReport(Base):
    """变更备案报送: one submission of an org's changes; recorded by the administration's liaison."""
    __tablename__ = "registration_reports"
    __table_args__ = (Index("ix_registration_reports_org_on", "org_id", "reported_on"),
                      # the sweep's T4: the reports still to be recorded
                      Index("ix_registration_reports_recorded", "recorded_on", "reported_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    reported_on: Mapped[date]
    reported_by: Mapped[str] = mapped_column(String(64))
    changes: Mapped[int]                              # how many registration changes it carries
    recorded_on: Mapped[date | None]                  # 出入境管理部门录入
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __mapper_args__ = {"version_id_col": version}


class RegistrationReportItem(Base):
    """One registration change (a person_events record) carried by a report; never two reports for a change."""
    __tablename__ = "registration_report_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("registration_reports.id"), index=True)
    person_event_id: Mapped[int] = mapped_column(ForeignKey("person_events.id"), unique=True)


class TravelRule(Base):
    """出国（境）管理制度: a rule an org has issued on private travel (seed 002 附件3's 是否建立相关制度, 制度名称及出台时间;
    “应建尽建”). Recorded once; a rule replaced is a new rule with its own date."""
    __tablename__ = "travel_rules"
    __table_args__ = (Index("ix_travel_rules_org_issued", "org_id", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
