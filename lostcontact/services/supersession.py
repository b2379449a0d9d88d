"""Which of a member's cases a later case supersedes (DOMAIN.md §8: a member counts once, by their latest
non-voided case), recorded on the case as `cases.superseded_on`, so the tally of any day reads it from the
row instead of joining every member's cases.

`superseded_on` is the opening day of the earliest case of the same member that comes after it (ordered
by opening day, then id, as services.members.latest_case orders them) and is not voided now; NULL when
there is none. It changes only when a case of the member is opened or voided, and then for that member's
cases alone. A case voided *after* a past day still superseded earlier ones on that day: the tally finds
those few through the void (lostcontact.queries.tally.status.superseded_through_void).
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import Case

from ..prepared import Prepared, connection_of


def _built_once() -> tuple:
    """The statement parts every call shares, built on first use: an alias of `cases` sets up its column
    collection (a proxy per column) when first read, which per call cost more than the UPDATE itself."""
    global _PARTS
    if _PARTS is None:
        c = Case.__table__
        later, other = c.alias("later"), c.alias("other")
        first_later = (select(func.min(later.c.opened_on))
                       .where(later.c.member_id == c.c.member_id, later.c.state != "voided",
                              or_(later.c.opened_on > c.c.opened_on,
                                  and_(later.c.opened_on == c.c.opened_on, later.c.id > c.c.id)))
                       .scalar_subquery())
        several = exists().where(other.c.member_id == c.c.member_id, other.c.id != c.c.id)
        _PARTS = (c, first_later, several)
    return _PARTS


_PARTS: tuple | None = None
_ONE_MEMBER: Prepared | None = None


def record_supersession(session: Session, members: int | Iterable[int] | Select) -> None:
    """Set `superseded_on` on every case of `members` (a member id, ids, or a SELECT of member ids) from
    their cases as they stand in the session's transaction. Call after opening or voiding a case (no commit).
    A member with a single case is left alone at the cost of one index probe."""
    c, first_later, several = _built_once()
    if isinstance(members, int):  # an opening or a void, in its unit of work: the statement prepared once
        global _ONE_MEMBER
        if _ONE_MEMBER is None:
            _ONE_MEMBER = Prepared(update(c).where(c.c.member_id == bindparam("member_id"), several,
                                                   c.c.superseded_on.is_distinct_from(first_later))
                                   .values(superseded_on=first_later))
        _ONE_MEMBER.run(connection_of(session), {"member_id": members})
        return
    if isinstance(members, Select):
        chosen = c.c.member_id.in_(members.correlate(None))  # a query over `cases` itself: never the updated row
    else:
        chosen = c.c.member_id.in_(list(members))
    session.execute(update(c).where(chosen, several, c.c.superseded_on.is_distinct_from(first_later))
                    .values(superseded_on=first_later).execution_options(synchronize_session=False))
