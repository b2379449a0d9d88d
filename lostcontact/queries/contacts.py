"""A person's latest contact as of a day, written once (PROGRAMMES.md §5, §6): the later of their member's last
contact with the party org as it stood that day (the roster's, DOMAIN §6.3) and their latest contact with their
unit on or before it. The 失联 candidates, the register's entry check and the flight risk's exits all read it,
so a contact counts alike for the three. SQL over a row of `persons` outer-joined to its `members` row."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, null, or_, select, union
from sqlalchemy.orm import aliased

from models import Case, CaseEvent, ContactEvent, Member, Person, SearchEntry, UnitContact

from ..services.members import ACTIVE_CLOSINGS
from ..sqlfuncs import latest_date, latest_of

_persons, _members, _unit_contacts = Person.__table__, Member.__table__, UnitContact.__table__


def org_contact_as_of(day: date):
    """The member's last contact as it stood on the day: `last_contact_on` when not after it (exact for any day
    on or after it); for a past day replayed, re-read from the effective-dated records (contact events, reached
    search entries, closings leaving the member active; else the join date). NULL with no member row."""
    recorded_case = aliased(Case)
    contact = (select(func.max(ContactEvent.on_date))
               .where(ContactEvent.member_id == Member.id, ContactEvent.on_date <= day).scalar_subquery())
    reached = (select(func.max(SearchEntry.effective_on))
               .join(recorded_case, recorded_case.id == SearchEntry.case_id)
               .where(recorded_case.member_id == Member.id, SearchEntry.outcome == "reached",
                      SearchEntry.effective_on <= day).scalar_subquery())
    closing = (select(func.max(CaseEvent.effective_on))
               .join(recorded_case, recorded_case.id == CaseEvent.case_id)
               .where(recorded_case.member_id == Member.id, CaseEvent.to_state == "closed",
                      CaseEvent.disposition.in_(ACTIVE_CLOSINGS), CaseEvent.effective_on <= day)
               .scalar_subquery())
    return case((Member.last_contact_on <= day, Member.last_contact_on), (Member.id.is_(None), null()),
                else_=latest_of(Member.join_date, contact, reached, closing))


def unit_contact_as_of(day: date):
    """The person's latest contact with their unit on or before the day: the kept latest when not after it,
    else read back from the unit contacts (NULL: none by then)."""
    before = (select(func.max(_unit_contacts.c.on_date))
              .where(_unit_contacts.c.person_id == _persons.c.id, _unit_contacts.c.on_date <= day).scalar_subquery())
    return case((_persons.c.unit_contact_on.is_(None), null()),
                (_persons.c.unit_contact_on <= day, _persons.c.unit_contact_on), else_=before)


def latest_contact_as_of(day: date, unit=None, org=None):
    """The later of the two (NULL when neither is on record by the day); `unit` and `org` when the caller
    already labelled them."""
    unit = unit_contact_as_of(day) if unit is None else unit
    org = org_contact_as_of(day) if org is None else org
    return latest_date(func.coalesce(unit, org), func.coalesce(org, unit))


def persons_with_members():
    """The FROM the expressions above read: each person with their member's row, if any."""
    return _persons.outerjoin(_members, _members.c.id == _persons.c.member_id)


def maybe_out_of_contact_since(day: date, cutoff: date):
    """The ids of the persons whose latest contact as of the day may be on or before `cutoff`, by range scans
    over the two kept latest dates (ix_persons_unit_contact_on, ix_members_last_contact_on): a person whose
    contact that day is that old has a kept latest on one side that is either that old too or after the day
    (a later contact, re-read as of the day). A superset: the caller applies `latest_contact_as_of`."""
    def old_or_later(column):
        return or_(column <= cutoff, column > day)

    return union(select(_persons.c.id).where(old_or_later(_persons.c.unit_contact_on)).correlate(None),
                 select(_persons.c.id).join(_members, _members.c.id == _persons.c.member_id)
                 .where(old_or_later(_members.c.last_contact_on)).correlate(None))


def latest_contact_of(conn, person_id: int, day: date) -> date | None:
    """One person's latest contact as of the day (the same expression, for one row)."""
    return conn.scalar(select(latest_contact_as_of(day)).select_from(persons_with_members())
                       .where(_persons.c.id == person_id))
