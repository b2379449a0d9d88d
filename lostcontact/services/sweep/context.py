"""What every rule of one sweep partition shares: the as-of day, the policy, the partition, and what the
previous completed sweep already saw (so each rule scans only the boundary crossed since)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select, true, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ClauseElement

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
    replayed: list | None = None  # the steps replayed from history (steps.replayed_steps), once read
    whole_tree: bool = False     # the partition is the only root: every org is in it

    # ---- the partition ---------------------------------------------------------------------------

    def branch_ids(self):
        """The orgs of the partition (members and cases hang on branches): an index range on the path."""
        return select(Org.id).where(in_subtree(Org.path, self.partition_path))

    def in_partition(self, branch_column):
        """`branch_column` (a member's or a case's org) lies in the partition. For the whole tree that is
        every row, and no condition: `IN (the subtree's org ids)` builds the list of every org for each
        statement (10,000 at 1M members) and turns SQLite's plans into a loop over the orgs."""
        return true() if self.whole_tree else branch_column.in_(self.branch_ids())

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


_members = Member.__table__.c
# One indexed probe each, built once (as Core: no ORM compilation): whether any member has the date a rule
# counts from. A rule whose condition needs that date on or before a cutoff can raise nothing without it.
_ANY_MEMBER_WITH = {name: select(_members.id).where(_members[name].isnot(None)).limit(1)
                    for name in ("transfer_out_date", "away_since")}


def any_member_with(session: Session, date_column: str) -> bool:
    """Whether any member at all has `date_column` (`transfer_out_date` for R4, `away_since` for R3): where
    none has, the rule's statements (building, compiling, running them) are skipped; the answer is the same."""
    return session.execute(_ANY_MEMBER_WITH[date_column]).first() is not None


def insert_ignoring_duplicates(session: Session, table):
    """INSERT … ON CONFLICT DO NOTHING on either engine: the unique keys make every raise exactly-once.
    (`session` is kept for the callers: the statement is the same on both engines.)"""
    return InsertSelectIgnoring(table)


class _OnConflictDoNothing(ClauseElement):
    """ON CONFLICT DO NOTHING, the same on both engines; as the INSERT's post-VALUES clause, so SQLAlchemy
    puts it where it belongs (before a RETURNING, which the ORM's bulk insert may add)."""
    __visit_name__ = "lostcontact_on_conflict_do_nothing"
    _traverse_internals = []
    inherit_cache = True


@compiles(_OnConflictDoNothing)
def _on_conflict_do_nothing(element, compiler, **kw):
    return "ON CONFLICT DO NOTHING"


class InsertSelectIgnoring(Insert):
    """INSERT … (SELECT or VALUES) … ON CONFLICT DO NOTHING (both engines) as a cacheable statement: the
    dialects' own upsert constructs are compiled anew on every execution, which dominates a small sweep
    (each batch of raised alerts, each day's notices)."""
    inherit_cache = True

    def __init__(self, table):
        super().__init__(table)
        self._post_values_clause = _OnConflictDoNothing()
