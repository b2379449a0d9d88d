from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Computed, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, postgresql_only, utcnow
from .tally_key import TALLY_KEY_SQL

_OPEN = "state NOT IN ('closed', 'deceased', 'voided')"


class Case(Base):
    """One lost-contact episode of a member. The current state of the append-only history in
    `case_events`; `version` is the optimistic lock."""
    __tablename__ = "cases"
    __table_args__ = (
        # one open case per member (DOMAIN.md R1: opened idempotently)
        Index("uq_cases_open_member", "member_id", unique=True,
              sqlite_where=text(_OPEN), info=postgresql_only(where=text(_OPEN))),
        # R4 opens at most one case per (member, transfer date)
        UniqueConstraint("member_id", "pocket_transfer_date"),
        Index("ix_cases_branch_state", "branch_id", "state"),
        # the A–X tally: one GROUP BY reading this index alone, in its order (PostgreSQL; SQLite reads a
        # generated column from the row), the untouched and not superseded cases kept by its last two
        Index("ix_cases_branch_tally_key", "branch_id", "tally_key", "last_event_on", "superseded_on"),
        # the tally's past day: the few cases some later case supersedes (lostcontact.services.supersession)
        Index("ix_cases_superseded_on", "superseded_on", sqlite_where=text("superseded_on IS NOT NULL"),
              info=postgresql_only(where=text("superseded_on IS NOT NULL"))),
        Index("ix_cases_due_on", "due_on"),
        # 超期预警's first page for a small subtree: each branch's open cases in due order, the first few
        # read and the rest never touched (queries.overdue_page); the predicate is spelled as the query's,
        # and `state` is there because SQLite re-checks the predicate and would otherwise read each row
        Index("ix_cases_open_branch_due", "branch_id", "due_on", "id", "state",
              sqlite_where=text(_OPEN), info=postgresql_only(where=text(_OPEN))),
        # a member's cases, latest last (services.members.latest_case), with all the tally needs to tell
        # which case is each member's latest on a day (status.superseded reads this index alone)
        Index("ix_cases_member_id", "member_id", "opened_on", "id", "state", "last_event_on"),
        # the sweep: R7/R8 range scans over closing dates, replays over cases changed after a past day;
        # the tally's past day: which of those existed on it, their branch and supersession, and the voids
        # among them, from the index alone (a transition moves the entry anyway: the width costs no write)
        Index("ix_cases_closed_on", "closed_on"),
        # 全部案件 sorted by opening date: a page of a large subtree walks this index and stops when full
        Index("ix_cases_opened_on", "opened_on", "id"),
        Index("ix_cases_last_event_on", "last_event_on", "opened_on", "state", "member_id", "superseded_on",
              "branch_id", info=postgresql_only(include=["id"])),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))
    state: Mapped[str] = mapped_column(String(24))
    origin: Mapped[str] = mapped_column(String(16))  # R1 / R4 / manual
    pocket_transfer_date: Mapped[date | None]
    opened_on: Mapped[date]
    lost_since: Mapped[date]
    cause: Mapped[int | None]
    reached: Mapped[bool | None]
    disposition: Mapped[str | None] = mapped_column(String(32))
    chain: Mapped[str | None] = mapped_column(String(16))
    closed_on: Mapped[date | None]
    reopen_kind: Mapped[str | None] = mapped_column(String(24))
    restore_disposition: Mapped[str | None] = mapped_column(String(32))
    restore_reached: Mapped[bool | None]
    restore_chain: Mapped[str | None] = mapped_column(String(16))
    restore_closed_on: Mapped[date | None]
    # the open step: when it was entered (its history sequence and date) and when it is due
    step_seq: Mapped[int]
    step_entered_on: Mapped[date]
    due_on: Mapped[date | None]
    due_provisional: Mapped[bool] = mapped_column(default=False)
    policy_version: Mapped[str] = mapped_column(String(64))
    last_event_on: Mapped[date]
    last_seq: Mapped[int]
    # the opening day of the member's earliest later case that is not voided (NULL: none), kept by
    # lostcontact.services.supersession whenever a case is opened or voided: from that day on the tally
    # counts the later case instead
    superseded_on: Mapped[date | None]
    # the facts that decide the A–X bucket, computed and stored by the database (models.tally_key)
    tally_key: Mapped[int] = mapped_column(Computed(TALLY_KEY_SQL, persisted=True))
    version: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": version}


class CaseEvent(Base):
    """The append-only history: one row per transition (and the opening), source of forms and tallies."""
    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq"),
                      # a case as of a day: its latest record on or before it, read from this index alone
                      Index("ix_case_events_case_on", "case_id", "effective_on", "seq", "to_state", "reached",
                            "disposition"),
                      # 已办: the cases a user acted on
                      Index("ix_case_events_actor", "actor", "case_id"),
                      # the sweep's closings: the cases with a record come into effect since the previous run
                      Index("ix_case_events_effective_on", "effective_on", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    seq: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    grant_org_id: Mapped[int | None] = mapped_column(ForeignKey("orgs.id"))
    opinion: Mapped[str | None] = mapped_column(Text)
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # the case as this transition left it, so any past day can be replayed from the history alone
    disposition: Mapped[str | None] = mapped_column(String(32))
    reached: Mapped[bool | None]
    cause: Mapped[int | None]
    meeting: Mapped[str | None] = mapped_column(Text)  # JSON of the vote for resolve / reject


class SearchEntry(Base):
    """查找情况记录: one search attempt."""
    __tablename__ = "search_entries"
    __table_args__ = (Index("ix_search_entries_case_on", "case_id", "effective_on"),
                      Index("ix_search_entries_actor", "actor", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(32))
    tier: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    witness: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))


class Deadline(Base):
    """Every due date computed for a step, with the policy version it came from; the case row mirrors
    the newest one of its open step."""
    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_case_step", "case_id", "step_seq"),
                      # the sweep's closings: the cases with a due date come into effect since the previous run
                      Index("ix_deadlines_effective_on", "effective_on", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    step_seq: Mapped[int]
    state: Mapped[str] = mapped_column(String(24))
    entered_on: Mapped[date]
    due_on: Mapped[date]
    provisional: Mapped[bool]
    policy_version: Mapped[str] = mapped_column(String(64))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
