"""The statements of a lifecycle step, an opening and a search entry (services.cases), built once with bound
parameters and prepared (lostcontact.prepared): compiled once per dialect, run on the driver's cursor."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import bindparam, func, insert, select, update

from models import Case, CaseEvent, Deadline, Member, Org, SearchEntry

from ..policies import IN_FORCE_BODY, IN_FORCE_VERSION
from ..prepared import Prepared
from .alert_closing import open_case_alerts_exist

# A logged or fired case is read as plain columns (a transition writes it back with one conditional UPDATE,
# so it needs no ORM instance), with its branch path (for its org chain and the actor's grant); for fire also
# its member's standing and the policy in force on the action's day (parameter `policy_day`).
_cases, _members, _orgs = Case.__table__, Member.__table__, Org.__table__
CASE_AND_BRANCH_PATH = Prepared(
    select(_cases.c.id, _cases.c.member_id, _cases.c.state, _cases.c.last_event_on, _cases.c.version,
           _orgs.c.path.label("branch_path"))
    .join(_orgs, _orgs.c.id == _cases.c.branch_id).where(_cases.c.id == bindparam("case_id")))
# Whether the case has open alerts comes along too: most transitions find none and skip closing them.
CASE_FOR_FIRE = Prepared(
    select(_cases, _members.c.standing.label("member_standing"), _members.c.abroad.label("member_abroad"),
           _orgs.c.path.label("branch_path"), IN_FORCE_VERSION.label("policy_in_force"),
           IN_FORCE_BODY.label("policy_body"), open_case_alerts_exist(_cases.c.id).label("has_open_alerts"))
    .join(_members, _members.c.id == _cases.c.member_id).join(_orgs, _orgs.c.id == _cases.c.branch_id)
    .where(_cases.c.id == bindparam("case_id")))
_entries = SearchEntry.__table__
SEARCH_SUMMARY = Prepared(
    select(_entries.c.tier, _entries.c.outcome, func.min(_entries.c.effective_on).label("first_on"))
    .where(_entries.c.case_id == bindparam("case_id"), _entries.c.effective_on <= bindparam("as_of"))
    .group_by(_entries.c.tier, _entries.c.outcome))

# A transition writes the case with one conditional UPDATE that matches only the version it read: of two
# concurrent transitions exactly one updates the row, the other none (Conflict). On PostgreSQL the loser
# waits for the winner's row lock, then finds the version changed. The UPDATE goes first, so the loser
# never reaches the history INSERT (whose (case_id, seq) would clash). It sets only the columns the
# transition changed: SQLite rewrites the entry of every index on a column named in SET, changed or not, and
# `cases` has ten (each rewritten entry a page more to write at commit). A few dozen shapes occur, each
# compiled once; the inserts are Core inserts, not flushed objects.
TRANSITION_COLUMNS = ("state", "cause", "reached", "disposition", "chain", "closed_on", "reopen_kind",
                       "restore_disposition", "restore_reached", "restore_chain", "restore_closed_on",
                       "step_seq", "step_entered_on", "due_on", "due_provisional", "policy_version",
                       "last_event_on", "last_seq")


@lru_cache(maxsize=256)
def update_case_if_unchanged(changed: tuple[str, ...]) -> Prepared:
    """The conditional UPDATE setting the columns `changed` (parameters `new_<column>`) and the version."""
    return Prepared(
        update(_cases).where(_cases.c.id == bindparam("case_id"), _cases.c.version == bindparam("read_version"))
        .values({**{c: bindparam(f"new_{c}", type_=_cases.c[c].type) for c in changed},
                 "version": _cases.c.version + 1}))


def _all_columns_insert(table, *, returning_id: bool = False) -> Prepared:
    """A prepared INSERT of every column but the id and computed ones (the caller passes each, None where it
    has no value)."""
    statement = insert(table).values({c.key: bindparam(c.key, type_=c.type) for c in _written_columns(table)})
    return Prepared(statement.returning(table.c.id) if returning_id else statement)


def _written_columns(table) -> list:
    return [c for c in table.c if c.key != "id" and c.computed is None]


INSERT_EVENT_ROW = _all_columns_insert(CaseEvent.__table__)
INSERT_DEADLINE_ROW = _all_columns_insert(Deadline.__table__)
INSERT_CASE_ROW = _all_columns_insert(_cases, returning_id=True)  # a new case: INSERT … RETURNING id
NO_CASE_VALUES = {c.key: None for c in _written_columns(_cases)} | {"due_provisional": False}
INSERT_SEARCH_ENTRY_ROW = _all_columns_insert(SearchEntry.__table__, returning_id=True)
MOVE_LAST_EVENT_IF_UNCHANGED = Prepared(
    update(_cases).where(_cases.c.id == bindparam("case_id"), _cases.c.version == bindparam("read_version"))
    .values(last_event_on=bindparam("new_last_event_on", type_=_cases.c.last_event_on.type),
            version=_cases.c.version + 1))
