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

from sqlalchemy import String, and_, case, cast, func, literal, not_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from models import Case, CaseEvent

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


def unpack(then_latest: str, then_final: str | None) -> tuple[str, bool | None, str | None, int | None,
                                                               str | None, bool | None]:
    """(state, reached, disposition, cause, final disposition, final reached) from the HISTORY columns."""
    def flag(text: str) -> bool | None:
        return None if text == "" else text == "1"

    state, reached, disposition, cause = (then_latest.split(_SEP) + ["", ""])[:4]
    final_disposition, final_reached = then_final.split(_SEP) if then_final is not None else (None, "")
    return (state, flag(reached), disposition or None, int(cause) if cause else None, final_disposition,
            flag(final_reached))


def superseded(as_of: date):
    """Ids of cases that are not their member's latest case as of `as_of`: the member has a case opened
    later (ordered as services.members.latest_case orders them), on or before `as_of`, and not voided by
    then. Whole tree, not a subtree: a later case at another branch (after a transfer) supersedes the
    earlier one everywhere, so a subtree's figures equal its row in a larger tally.

    Voiding is terminal, so a case was voided on or before D exactly when it is voided now and its last
    record (the void) is on or before D: no history is needed here. Only members with more than one case
    are joined, found from the member_id index alone."""
    # aliases only: this is used inside queries over `cases`, which must not correlate with it
    c, later, each = (aliased(Case.__table__, name=n) for n in ("earlier", "later", "each_case"))
    multi = select(each.c.member_id).group_by(each.c.member_id).having(func.count() > 1)
    # DISTINCT: a case superseded by several later cases is still taken back once
    return (select(c.c.id.label("id")).distinct().join(later, and_(
        later.c.member_id == c.c.member_id,
        or_(later.c.opened_on > c.c.opened_on, and_(later.c.opened_on == c.c.opened_on, later.c.id > c.c.id))))
        .where(c.c.member_id.in_(multi), c.c.opened_on <= as_of, later.c.opened_on <= as_of,
               not_(and_(later.c.state == "voided", later.c.last_event_on <= as_of))))
