"""What every rule of one sweep partition shares: the as-of day, the policy, the partition, and what the
previous completed sweep already saw (so each rule scans only the boundary crossed since)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from models import CaseEvent, Case, Deadline, Member, MemberChange, Org
from statemachines.clocks import latest_since_crossing_on_or_before
from statemachines.policy import Policy

from ...orgtree import in_subtree


@dataclass(frozen=True)
class Seen:
    """The previous completed sweep: its as-of day and the high-water marks taken when it started.
    Rows above the marks are "changed since" and are looked at whatever their dates."""
    as_of: date
    max_member_id: int
    max_member_change_id: int
    max_case_event_id: int
    max_deadline_id: int


@dataclass
class SweepContext:
    session: Session
    as_of: date
    policy: Policy
    partition_path: str
    run_id: int | None
    seen: Seen | None            # None: look at everything (first sweep, a replay, a new policy)
    recompute_policy: bool       # a policy version took effect since the previous sweep
    recompute_provisional: bool  # holiday data arrived for a year that had provisional due dates
    recount_calendar_years: tuple[int, ...] = ()  # years an operator loaded (anew) since the previous sweep

    # ---- the partition ---------------------------------------------------------------------------

    def branch_ids(self):
        """The orgs of the partition (members and cases hang on branches): an index range on the path."""
        return select(Org.id).where(in_subtree(Org.path, self.partition_path))

    # ---- windows: the boundary crossed since the previous sweep ---------------------------------

    def month_window(self, column, months: int):
        """`column` values whose "more than `months` months" became true after the previous sweep's
        day and on or before this one: (cutoff(previous), cutoff(as_of)]."""
        upper = latest_since_crossing_on_or_before(self.as_of, months)
        if self.seen is None:
            return column <= upper
        lower = latest_since_crossing_on_or_before(self.seen.as_of, months)
        return and_(column > lower, column <= upper)

    def date_window(self, column, bound_of) -> object:
        """(bound_of(previous), bound_of(as_of)] for a monotone `bound_of(day) -> date`."""
        upper = bound_of(self.as_of)
        if self.seen is None:
            return column <= upper
        return and_(column > bound_of(self.seen.as_of), column <= upper)

    def changed_member_ids(self):
        """Members added, edited or whose cases moved since the previous sweep (None: no previous)."""
        parts = self._changed_member_parts()
        return None if parts is None else union(*parts)

    def _changed_member_parts(self):
        if self.seen is None:
            return None
        return (
            select(Member.id).where(Member.id > self.seen.max_member_id),
            select(MemberChange.member_id).where(MemberChange.id > self.seen.max_member_change_id),
            select(Case.member_id).join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(CaseEvent.id > self.seen.max_case_event_id),
        )

    def changed_case_ids(self):
        parts = self._changed_case_parts()
        return None if parts is None else union(*parts)

    def _changed_case_parts(self):
        if self.seen is None:
            return None
        return (select(CaseEvent.case_id).where(CaseEvent.id > self.seen.max_case_event_id),
                select(Deadline.case_id).where(Deadline.id > self.seen.max_deadline_id))

    def members_to_scan(self, window, *extra):
        """Member ids in the window, changed since the previous sweep, or matching `extra` conditions, as
        one id set: each part is its own index range, so the scan stays in proportion to the crossings."""
        parts = [select(Member.id).where(window)] + [select(Member.id).where(condition) for condition in extra]
        parts += self._changed_member_parts() or ()
        return Member.id.in_(union(*parts))

    def cases_to_scan(self, *windows):
        """Case ids whose indexed date lies in one of the windows, or changed since the previous sweep."""
        parts = [select(Case.id).where(window) for window in windows]
        parts += self._changed_case_parts() or ()
        return Case.id.in_(union(*parts))


def insert_ignoring_duplicates(session: Session, table):
    """INSERT … ON CONFLICT DO NOTHING on either engine: the unique keys make every raise exactly-once."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


class InsertSelectIgnoring(Insert):
    """INSERT … SELECT … ON CONFLICT DO NOTHING (both engines) as a cacheable statement: the dialects'
    own upsert constructs are compiled anew on every execution, which dominates a small sweep."""
    inherit_cache = True


@compiles(InsertSelectIgnoring)
def _insert_select_ignoring(element, compiler, **kw):
    return compiler.visit_insert(element, **kw) + " ON CONFLICT DO NOTHING"
