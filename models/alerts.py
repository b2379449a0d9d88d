"""Alerts (DOMAIN.md §4 "Alerts"), the notices outbox and the sweep-run log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, postgresql_only, utcnow

_OPEN = text("closed_on IS NULL")


class Alert(Base):
    """A reminder, overdue alert or escalation, raised exactly once: the unique key is DOMAIN §4's
    (subject kind, subject id, rule, level, step sequence, due date). `step_seq` is 0 where the rule has
    no step (R2, R3, calendar); for R10 it holds the milestone id. Open while `closed_on` is NULL; as of
    a day D an alert is open when raised_on <= D < closed_on."""
    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("subject_kind", "subject_id", "rule", "level", "step_seq", "due_on",
                         name="uq_alerts_key"),
        Index("ix_alerts_org_raised", "org_id", "raised_on"),
        # the sweep closes alerts whose cause went: a scan over the open ones only
        Index("ix_alerts_open_rule", "rule", "subject_id", sqlite_where=_OPEN, info=postgresql_only(where=_OPEN)),
        # the alert list of a large subtree: walked in the list's order (most severe first), open-on-a-day and
        # the filters read from the entry, stopping at the page (queries.alerts._page_query)
        Index("ix_alerts_list_order", "level", "due_on", "id", "raised_on", "closed_on", "rule", "org_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(8))   # case / member / org / system
    subject_id: Mapped[int]                                # case id, member id, org id, or the year (calendar)
    rule: Mapped[str] = mapped_column(String(10))          # R2..R10 / calendar
    level: Mapped[str] = mapped_column(String(10))         # reminder / overdue / escalated
    step_seq: Mapped[int]
    due_on: Mapped[date]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))  # the recipient
    raised_on: Mapped[date]
    closed_on: Mapped[date | None]
    message: Mapped[str] = mapped_column(Text)
    sweep_run_id: Mapped[int | None] = mapped_column(ForeignKey("sweep_runs.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SweepRun(Base):
    """One run of the daily rules: as-of date, how it ran, counts per rule, duration. Only a completed
    run moves the incremental window; its high-water marks say what was already seen."""
    __tablename__ = "sweep_runs"
    __table_args__ = (Index("ix_sweep_runs_status_as_of", "status", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date]
    mode: Mapped[str] = mapped_column(String(16))          # in-process / prefect
    status: Mapped[str] = mapped_column(String(12))        # running / completed / failed / abandoned
    policy_version: Mapped[str] = mapped_column(String(64))
    max_member_id: Mapped[int]
    max_member_change_id: Mapped[int]
    max_case_event_id: Mapped[int]
    max_deadline_id: Mapped[int]
    # the newest stored calendar version when it started: years loaded after it have their due dates recounted
    max_calendar_version_id: Mapped[int] = mapped_column(default=0, server_default="0")
    org_fingerprint: Mapped[str] = mapped_column(String(100), default="")
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON: rule -> count
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    duration_s: Mapped[float | None]
    # the last sign of life of a running run (each step that commits); a killed process stops it
    heartbeat_at: Mapped[datetime | None]


class Notice(Base):
    """The outbox: one notice per recipient org and sweep run, listing the alerts that run raised for it
    (a second sweep of the same day notifies only what it added)."""
    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("org_id", "as_of", "sweep_run_id", name="uq_notices_org_run"),
                      Index("ix_notices_status", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    as_of: Mapped[date]
    sweep_run_id: Mapped[int] = mapped_column(ForeignKey("sweep_runs.id"))
    alert_count: Mapped[int]
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending / sent / failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class AlertRecipient(Base):
    """Who receives each level of a step alert for the cases of a branch, by the org answering for the
    step (DOMAIN.md §4 "Alerts"): derived from the org tree by the sweep (rebuilt when the tree changes) so
    that step alerts are raised by one INSERT … SELECT."""
    __tablename__ = "alert_recipients"

    branch_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"), primary_key=True)
    branch_reminder: Mapped[int]
    branch_overdue: Mapped[int]
    branch_escalated: Mapped[int]
    committee_reminder: Mapped[int]
    committee_overdue: Mapped[int]
    committee_escalated: Mapped[int]
    upper_reminder: Mapped[int]
    upper_overdue: Mapped[int]
    upper_escalated: Mapped[int]
