"""Self-report campaigns (自查自报, PROGRAMMES.md §4): a DOMAIN R10 campaign and its milestone, owed by every
person of an org subtree; each person's report, its append-only history and the lines it reported, frozen.

The lines are the checks' input (P3 瞒报持有证件: a police-record document missing from the confirmed report;
P6 瞒报出国: a police-record exit no confirmed trip line covers). A report keeps every submission's lines
(`submission_seq`); the lines of the report's current submission are those with
`self_reports.submission_seq = line.submission_seq` (docs/travel-documents.md "Self-report campaigns")."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SelfReportCampaign(Base):
    """A campaign (R10's `campaigns` row) asking every person of `scope_org_id`'s subtree for a self-report by
    its milestone's due day (a milestone of level `person`: owed by persons, so R10 — org levels — skips it)."""
    __tablename__ = "self_report_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), unique=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), unique=True)
    scope_org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), index=True)
    trips_since: Mapped[date]                   # every private trip since (seed 002: 2016-01-01)
    documents_expired_since: Mapped[date]       # documents held now and those expired since (seed 002: 2018-01-01)
    opened_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfReport(Base):
    """One person's self-report in one campaign, the current state of its history (`owed` is the absence of a
    row). `version` is its optimistic lock."""
    __tablename__ = "self_reports"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),
                      # the checks: a person's confirmed reports
                      Index("ix_self_reports_person_state", "person_id", "state", "confirmed_on"),
                      Index("ix_self_reports_campaign_state", "campaign_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("self_report_campaigns.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    state: Mapped[str] = mapped_column(String(16))
    submission_seq: Mapped[int]                 # which submission's lines are current (1, 2 after a return …)
    zero_report: Mapped[bool]                   # 零报告: no document, no trip
    notes: Mapped[str | None] = mapped_column(Text)           # 其他需要说明情况
    pledge_text: Mapped[str] = mapped_column(Text)            # the pledge as signed, word for word
    pledge_signed_on: Mapped[date]
    submitted_on: Mapped[date]
    recorded_by: Mapped[str] = mapped_column(String(64))
    reviewer: Mapped[str | None] = mapped_column(String(64))  # 审核人 of the confirmation or the return
    reviewer_role: Mapped[str | None] = mapped_column(String(32))
    confirmed_on: Mapped[date | None]
    returned_on: Mapped[date | None]
    return_reason: Mapped[str | None] = mapped_column(Text)
    last_seq: Mapped[int]
    last_event_on: Mapped[date]
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


class SelfReportEvent(Base):
    """A report's append-only history: each submission, return and the confirmation."""
    __tablename__ = "self_report_events"
    __table_args__ = (UniqueConstraint("report_id", "seq"),
                      Index("ix_self_report_events_report_on", "report_id", "effective_on", "seq", "to_state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("self_reports.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    submission_seq: Mapped[int]
    effective_on: Mapped[date]
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SelfReportDocument(Base):
    """本人持有（及报告起始日后失效的）证件: one document line as submitted. Only `self_corrected` and its note
    may change later (the checks mark a declared violation corrected within the campaign)."""
    __tablename__ = "self_report_documents"
    __table_args__ = (UniqueConstraint("report_id", "submission_seq", "line_no"),
                      # P3: is a police-record document (kind, number) in a confirmed report?
                      Index("ix_self_report_documents_kind_number", "kind", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("self_reports.id"))
    submission_seq: Mapped[int]
    line_no: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))           # normalised like travel_documents.number
    name_on_document: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None]
    expires_on: Mapped[date]
    expired: Mapped[bool]                                     # expired on the day it was submitted
    kept_at: Mapped[str | None] = mapped_column(String(200))  # 保管机构 (empty: the person holds it)
    remark: Mapped[str | None] = mapped_column(Text)
    self_corrected: Mapped[bool] = mapped_column(default=False)
    correction: Mapped[str | None] = mapped_column(Text)      # how it was corrected (e.g. handed in on …)


class SelfReportTrip(Base):
    """本人因私出国（境）情况: one trip line as submitted."""
    __tablename__ = "self_report_trips"
    __table_args__ = (UniqueConstraint("report_id", "submission_seq", "line_no"),
                      # P6: does a confirmed trip line of the person cover an exit day?
                      Index("ix_self_report_trips_report_dates", "report_id", "submission_seq", "departure_on",
                            "return_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("self_reports.id"))
    submission_seq: Mapped[int]
    line_no: Mapped[int]
    departure_on: Mapped[date]
    return_on: Mapped[date]
    destinations: Mapped[str] = mapped_column(String(400))   # 所到国家（地区）, joined by 、
    reason: Mapped[str] = mapped_column(String(400))         # 事由
    approved: Mapped[bool]                                   # reported as approved
    approving_authority: Mapped[str | None] = mapped_column(String(200))  # 审批机构
    remark: Mapped[str | None] = mapped_column(Text)
    self_corrected: Mapped[bool] = mapped_column(default=False)
    correction: Mapped[str | None] = mapped_column(Text)
