"""Who the member rules (R1–R4) look at, as SQL over one member row (DOMAIN.md §6.3), as of a day.

`Member.last_contact_on` is the last contact as recorded now; it is exact for a day on or after it. For a
member whose recorded last contact is later than the as-of day (a past day replayed), the last contact
as of that day is recomputed from the effective-dated records, as services.members.last_contact_as_of
does for one member.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from models import Case, CaseEvent, Member
from statemachines.dispositions import DISPOSITIONS
from statemachines.lifecycle import OPEN_STATES
from statemachines.membership import leaves_member_active

from ...queries.contacts import org_contact_as_of

# After a closing that leaves the member active the rules look at them again, except while a
# correction period runs (限期改正: R7 reopens and closes it again first).
RESUMING = tuple(d for d in DISPOSITIONS if leaves_member_active(d) and d != "correct_within_deadline")


# Each is built once per day and shared by the rules that embed it (R1–R4, in every partition): an
# expression is immutable, and building these took as long as running a rule's statement.
@lru_cache(maxsize=4)
def last_contact_as_of(as_of: date):
    """The member's last contact as it stood on the day (written once: queries/contacts.py)."""
    return org_contact_as_of(as_of)


@lru_cache(maxsize=4)
def may_open_case(as_of: date):
    """Active, no case in an open state, no non-voided case opened after `as_of`, and the latest case
    opened on or before it (as it stood that day) closed with a disposition that resumes the rules."""
    no_open = ~exists().where(Case.member_id == Member.id, Case.state.in_(OPEN_STATES))
    no_later = ~exists().where(Case.member_id == Member.id, Case.state != "voided", Case.opened_on > as_of)
    latest = (select(Case.id).where(Case.member_id == Member.id, Case.state != "voided", Case.opened_on <= as_of)
              .order_by(Case.opened_on.desc(), Case.id.desc()).limit(1).correlate(Member).scalar_subquery())
    event = aliased(CaseEvent)
    last_seq = (select(func.max(CaseEvent.seq))
                .where(CaseEvent.case_id == event.case_id, CaseEvent.effective_on <= as_of).scalar_subquery())
    resumed = exists().where(event.case_id == latest, event.seq == last_seq, event.to_state == "closed",
                             event.disposition.in_(RESUMING))
    return and_(no_open, no_later, or_(latest.is_(None), resumed))
