"""Each case as it stood at the end of a day D, from the records effective on or before D (DOMAIN.md §6.2, §8).

A case whose latest record is on or before D (`cases.last_event_on <= D`) stood on D exactly as its row
stands now. Only a case touched after D is read back from the history (`case_events`, which carries the
state, disposition and reached flag each transition left): its latest record on or before D, and its
latest closing record on or before D, through correlated subqueries that read the (case_id,
effective_on, seq, …) index alone and run for those cases only. A past day therefore costs in
proportion to the cases touched since, never to the size of the history.

A case row's facts today are its stored `tally_key` (models.tally_key); the history's are packed texts
(HISTORY); lostcontact.queries.tally.facts decodes both into the facts of the rule.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import String, and_, case, cast, func, literal, or_, select, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from models import Case, CaseEvent
from models.tally_key import history_key_parts

# the same read back from the history, each a packed text so one index probe returns several columns:
# then_latest = "to_state|reached" (with detail: "to_state|reached|disposition|cause") of the latest
# record on or before the day, then_final = "disposition|reached" of the latest closing record (NULL: none)
HISTORY = ("then_latest", "then_final")
_SEP = "|"


def _text(column: ColumnElement) -> ColumnElement:
    return func.coalesce(cast(column, String), "")


def _flag(column: ColumnElement) -> ColumnElement:
    return case((column.is_(True), "1"), (column.is_(False), "0"), else_="")


def history_columns(c, as_of: date, *, only_if: ColumnElement | None = None, detail: bool = False
                    ) -> list[ColumnElement]:
    """The HISTORY columns of each case on `as_of` — NULL where `only_if` is false (a case untouched since
    the day: its row already says it; or opened after it). Ordered by date then sequence, the order of the
    (case_id, effective_on, seq, …) index, which holds every column read: two index probes per case."""
    e = CaseEvent.__table__

    def latest(packed: ColumnElement, *conditions) -> ColumnElement:
        query = (select(packed).where(e.c.case_id == c.c.id, e.c.effective_on <= as_of, *conditions)
                 .order_by(e.c.effective_on.desc(), e.c.seq.desc()).limit(1).scalar_subquery())
        return query if only_if is None else case((only_if, query), else_=literal(None))

    sep = literal(_SEP)
    packed = e.c.to_state + sep + _flag(e.c.reached)
    if detail:  # the cause is not in the index: listings only
        packed = packed + sep + _text(e.c.disposition) + sep + _text(e.c.cause)
    return [latest(packed).label("then_latest"),
            latest(_text(e.c.disposition) + sep + _flag(e.c.reached), e.c.to_state == "closed").label("then_final")]


def history_key(c, as_of: date, *, only_if: ColumnElement | None = None) -> ColumnElement:
    """The tally key (models.tally_key) each case would have held at the end of `as_of`, read back from the
    history by the same two index probes as history_columns, as integers: cheaper to build and to group
    than packed texts, and decoded exactly as a stored key is. NULL where `only_if` is false."""
    e = CaseEvent.__table__
    latest_part, final_part = history_key_parts(e.c.to_state, e.c.reached, e.c.disposition)

    def latest(part: ColumnElement, *conditions) -> ColumnElement:
        return (select(part).where(e.c.case_id == c.c.id, e.c.effective_on <= as_of, *conditions)
                .order_by(e.c.effective_on.desc(), e.c.seq.desc()).limit(1).scalar_subquery())

    key = latest(latest_part) + func.coalesce(latest(final_part, e.c.to_state == "closed"), 0)
    return key if only_if is None else case((only_if, key), else_=literal(None))


def unpack(then_latest: str, then_final: str | None) -> tuple[str, bool | None, str | None, int | None,
                                                               str | None, bool | None]:
    """(state, reached, disposition, cause, final disposition, final reached) from the HISTORY columns."""
    def flag(text: str) -> bool | None:
        return None if text == "" else text == "1"

    state, reached, disposition, cause = (then_latest.split(_SEP) + ["", ""])[:4]
    final_disposition, final_reached = then_final.split(_SEP) if then_final is not None else (None, "")
    return (state, flag(reached), disposition or None, int(cause) if cause else None, final_disposition,
            flag(final_reached))


class unindexed(FunctionElement):
    """A column compared without its index: SQLite's `+column` (PostgreSQL plans these well as they are).
    SQLite's statistics favour a skip-scan of (branch_id, state) once per branch for `state = 'voided'`
    over the range of ix_cases_last_event_on that holds the state too."""
    type = String()
    inherit_cache = True


@compiles(unindexed)
def _as_is(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unary_plus(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


def standing(c, as_of: date) -> ColumnElement:
    """No case of the member still standing (not voided now) supersedes this one on `as_of`: what
    `cases.superseded_on` says (kept by lostcontact.services.supersession)."""
    return or_(c.c.superseded_on.is_(None), c.c.superseded_on > as_of)


def superseded_through_void(as_of: date):
    """Ids of the cases that `standing` keeps but that a later case of their member did supersede on
    `as_of`: a case opened on or before the day and voided after it (a void is terminal, so that is a
    voided case whose last record is after the day). Few: read from ix_cases_last_event_on alone, then
    each member's earlier cases from ix_cases_member_id. DISTINCT: superseded by several, taken back once."""
    # aliases only: this is used inside queries over `cases`, which must not correlate with it
    voided = aliased(Case.__table__, name="voided_later")
    earlier = aliased(Case.__table__, name="earlier")
    return (select(earlier.c.id.label("id")).distinct()
            .select_from(voided.join(earlier, and_(
                earlier.c.member_id == voided.c.member_id,
                or_(earlier.c.opened_on < voided.c.opened_on,
                    and_(earlier.c.opened_on == voided.c.opened_on, earlier.c.id < voided.c.id)))))
            .where(voided.c.last_event_on > as_of, voided.c.opened_on <= as_of,
                   unindexed(voided.c.state) == "voided", standing(earlier, as_of)))


def superseded(as_of: date):
    """Ids of cases that are not their member's latest case as of `as_of`: the member has a case opened
    later (ordered as services.members.latest_case orders them), on or before `as_of`, and not voided by
    then. Whole tree, not a subtree: a later case at another branch (after a transfer) supersedes the
    earlier one everywhere, so a subtree's figures equal its row in a larger tally.

    A later case not voided now is recorded on the earlier one (`cases.superseded_on`, read from its
    partial index); one voided now superseded it until its void, which is on its own row."""
    stored = aliased(Case.__table__, name="superseded_stored")
    return union(select(stored.c.id.label("id")).where(stored.c.superseded_on <= as_of),
                 superseded_through_void(as_of))
