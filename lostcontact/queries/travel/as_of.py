"""Persons and documents as of a day, read from their append-only histories alone: the latest history record
on or before the day (histories only grow forward in time, so the highest sequence is the latest day)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, literal, select

from models import CustodyEvent, Org, PersonEvent

from ...orgtree import in_subtree
from ...permissions import Actor
from ...services.travel.access import may_read, reader_scope, unknown_org

_person_events, _custody_events, _orgs = PersonEvent.__table__, CustodyEvent.__table__, Org.__table__


def persons_as_of(day: date):
    """One row per person recorded by `day`: the history record in force (status, type, org, rank)."""
    e = _person_events
    latest = (select(e.c.person_id, func.max(e.c.seq).label("seq")).where(e.c.effective_on <= day)
              .group_by(e.c.person_id).subquery("latest_person_event"))
    return (select(e.c.person_id, e.c.to_status.label("status"), e.c.person_type, e.c.org_id, e.c.rank,
                   e.c.effective_on.label("last_event_on"))
            .join(latest, and_(latest.c.person_id == e.c.person_id, latest.c.seq == e.c.seq))
            .subquery("person_as_of"))


def documents_as_of(day: date):
    """One row per document recorded by `day`: its custody state then and the return due of a checkout."""
    e = _custody_events
    latest = (select(e.c.document_id, func.max(e.c.seq).label("seq")).where(e.c.effective_on <= day)
              .group_by(e.c.document_id).subquery("latest_custody_event"))
    return (select(e.c.document_id, e.c.to_state.label("state"), e.c.return_due_on, e.c.trip_ref,
                   e.c.effective_on.label("state_since"))
            .join(latest, and_(latest.c.document_id == e.c.document_id, latest.c.seq == e.c.seq))
            .subquery("document_as_of"))


def registered_on(person_id_column, day: date):
    """The latest day on or before `day` the person was filed (备案) with the exit-entry administration."""
    e = _person_events
    return (select(func.max(e.c.effective_on))
            .where(e.c.person_id == person_id_column, e.c.action == "register", e.c.effective_on <= day)
            .scalar_subquery())


def org_filter(conn, actor: Actor, org_code: str | None, path_column):
    """The WHERE clauses limiting `path_column` to what the actor reads, and to `org_code`'s subtree."""
    clauses = []
    scope = reader_scope(actor, path_column)
    if scope is not None:
        clauses.append(scope)
    if org_code is not None:
        path = conn.scalar(select(_orgs.c.path).where(_orgs.c.code == org_code))
        if path is None or not may_read(actor, path):
            raise unknown_org(org_code)
        clauses.append(in_subtree(path_column, path))
    return clauses or [literal(True)]


__all__ = ["persons_as_of", "documents_as_of", "registered_on", "org_filter"]
