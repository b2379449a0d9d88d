"""Closing alerts when their cause goes (DOMAIN.md §4), each rule written once. Every function closes either
every alert whose cause went (the sweep: subject None, set-based) or one subject's alerts (a service, inside
the unit of work of the action that removed the cause, so the list is right the moment the action commits).

- case alerts: R5/R7/R8 when the step is left (any later history record), R5 also when its due date
  changes, R9 when the case leaves the proposal stage; closed on the effective day of that record;
- member alerts: R2 on a contact or a new case, R3 on a report or a contact after leaving;
- campaign alerts (R10): on the org's submission of the milestone, closed on the day it was submitted.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Connection, Select, and_, bindparam, exists, func, or_, select, union, update
from sqlalchemy.orm import Session

from models import Alert, Case, CaseEvent, Deadline, Member, Submission
from statemachines.clocks import crossing_day
from statemachines.policy import Policy

from ..prepared import Prepared

alerts = Alert.__table__
BATCH = 5000

# R9 holds while the case is still being verified or proposed (the probationary member's exhausted search)
R9_STATES = ("verifying", "branch_proposal")
# rule -> extra condition on the first later history record that ends it
CASE_RULES = {"R5": (), "R7": (), "R8": (), "R9": (CaseEvent.to_state.not_in(R9_STATES),)}
MEMBER_RULES = ("R2", "R3")


def close_alerts(session: Session, ids: list[int], closed_on: date) -> int:
    closed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        closed += session.execute(update(alerts).where(alerts.c.id.in_(chunk)).values(closed_on=closed_on)).rowcount
    return closed


def close_alerts_on(session: Session, gone_on: list[tuple[int, date]]) -> int:
    """Close each (alert id, day) on its day: one UPDATE per distinct day, not per alert."""
    by_day: dict[date, list[int]] = {}
    for alert_id, day in gone_on:
        by_day.setdefault(day, []).append(alert_id)
    return sum(close_alerts(session, ids, day) for day, ids in by_day.items())


# ---- case alerts ---------------------------------------------------------------------------------------

def _first_event_after(*extra):
    return (select(func.min(CaseEvent.effective_on))
            .where(CaseEvent.case_id == alerts.c.case_id, CaseEvent.seq > alerts.c.step_seq, *extra))


class ClosedBefore(NamedTuple):
    """What the previous completed sweep closed: every case alert whose cause had gone as of its day `as_of`,
    among the alerts raised before its closings, seeing the records up to its high-water marks (the last
    history record's and due date's ids when it started) and any recorded later (services.sweep.runs
    .closed_before says when that is all there is to know)."""
    as_of: date
    max_case_event_id: int
    max_deadline_id: int


def _changed_since(as_of, rule: str):
    """The open alerts of `rule` that can have become closable since the previous sweep (parameters since_on,
    case_event_mark, deadline_mark): those of a case with a history record or due date recorded since its
    marks (a back-dated one too) or taking effect after its day (recorded earlier, in force since; or in force
    only after this run's day).
    Any other alert was raised before the previous sweep closed, with the same records in force as of its day
    (and that sweep closed none of them); or this run raised it, for a case's current step (the case row
    mirrors its latest record and newest due date), which a record can only have ended if it takes effect
    after this run's day (a replayed step, a due date recounted since): such a case is in the set.
    With the indexes on the records' effective days, each part is a range of an index."""
    since = bindparam("since_on", type_=Alert.due_on.type)
    events, deadlines = CaseEvent.__table__.c, Deadline.__table__.c
    cases = union(
        select(events.case_id).where(events.id > bindparam("case_event_mark")),
        select(events.case_id).where(events.effective_on > since),
        select(deadlines.case_id).where(deadlines.id > bindparam("deadline_mark")),
        select(deadlines.case_id).where(deadlines.effective_on > since))
    # as the open alerts' ids, the UPDATE's only condition on the alert besides its cause: SQLite then visits
    # these alerts alone, by their key (with the rule's condition beside, it walks every open alert of the rule)
    candidate = alerts.alias("candidate")
    return alerts.c.id.in_(select(candidate.c.id).where(
        candidate.c.closed_on.is_(None), candidate.c.subject_kind == "case", candidate.c.rule == rule,
        candidate.c.subject_id.in_(cases)))


@lru_cache(maxsize=3)
def _case_statements(one_case: bool, since: bool = False) -> tuple:
    """The UPDATEs closing case alerts (parameters: as_of, and case_id when `one_case`, the previous sweep's
    marks when `since`): one per rule, since with `rule IN (…)` SQLite walks every case alert ever raised
    by the unique key instead of the partial index over the open ones; then R5 whose step's due date was
    recounted."""
    as_of = bindparam("as_of", type_=Alert.due_on.type)

    def open_(rule):
        if since:  # the alerts open and of the rule among those that can have become closable
            return [_changed_since(as_of, rule)]
        return [alerts.c.closed_on.is_(None), alerts.c.subject_kind == "case", alerts.c.rule == rule,
                *([alerts.c.subject_id == bindparam("subject_case_id")] if one_case else [])]
    statements = []
    for rule, extra in CASE_RULES.items():
        left_on = _first_event_after(*extra).scalar_subquery()
        statements.append((rule, update(alerts).where(*open_(rule), left_on <= as_of)
                           .values(closed_on=left_on).execution_options(synchronize_session=False)))

    def newest(column):
        return (select(column).where(Deadline.case_id == alerts.c.case_id, Deadline.step_seq == alerts.c.step_seq,
                                     Deadline.effective_on <= as_of)
                .order_by(Deadline.id.desc()).limit(1).scalar_subquery())
    statements.append(("R5", update(alerts).where(*open_("R5"),
                                                  newest(Deadline.due_on) != alerts.c.due_on)
                       .values(closed_on=newest(Deadline.effective_on))
                       .execution_options(synchronize_session=False)))
    return tuple(statements)


def open_case_alerts_exist(case_id):
    """Whether the case `case_id` (a column or a parameter) has an open case alert: a column to read along
    with the case, so a transition that finds none skips close_case_alerts. The rules as equalities, not an
    IN list, so the statement can be prepared (lostcontact.prepared): one probe of the open-alert index each."""
    return exists().where(alerts.c.closed_on.is_(None), or_(*(alerts.c.rule == rule for rule in CASE_RULES)),
                          alerts.c.subject_id == case_id, alerts.c.subject_kind == "case")


_OPEN_CASE_RULES = (select(alerts.c.rule).distinct()
                    .where(alerts.c.closed_on.is_(None), alerts.c.rule.in_(tuple(CASE_RULES)),
                           alerts.c.subject_id == bindparam("subject_case_id"), alerts.c.subject_kind == "case"))


def close_case_alerts(session: Session, as_of: date, case_id: int | None = None,
                      closed_before: ClosedBefore | None = None) -> int:
    """Close the case alerts (of every case, or of `case_id`) whose cause went on or before `as_of`; given
    what the previous sweep closed (`closed_before`, of a day on or before `as_of`), only among the alerts
    that can have become closable since."""
    params = {"as_of": as_of}
    rules = set(CASE_RULES)
    if case_id is not None:
        params["subject_case_id"] = case_id
        # most transitions find nothing open: one look at the open-alert index instead of five UPDATEs
        rules = set(session.execute(_OPEN_CASE_RULES, params).scalars())
    elif closed_before is not None:
        params.update(since_on=closed_before.as_of, case_event_mark=closed_before.max_case_event_id,
                      deadline_mark=closed_before.max_deadline_id)
    closed = 0
    for rule, statement in _case_statements(case_id is not None, case_id is None and closed_before is not None):
        if rule in rules:
            closed += session.execute(statement, params).rowcount
    return closed


# ---- member alerts -------------------------------------------------------------------------------------

def _member_alerts(as_of) -> Select:
    """The open R2/R3 alerts raised on or before `as_of` (a day or a bind parameter), with what decides them."""
    new_case = exists().where(Case.member_id == Member.id, Case.state != "voided", Case.opened_on <= as_of,
                              Case.opened_on >= Alert.raised_on)
    return (select(Alert.id, Alert.rule, Alert.due_on, Member.last_contact_on, Member.mobile, Member.reported,
                   Member.away_since, new_case)
            .join(Member, Member.id == Alert.subject_id)
            .where(Alert.closed_on.is_(None), or_(*(Alert.rule == rule for rule in MEMBER_RULES)),
                   Alert.subject_kind == "member",
                   Alert.raised_on <= as_of))


@lru_cache(maxsize=2)
def _member_alerts_statement(one_member: bool) -> Prepared:
    """_member_alerts with a closing day column, built once (parameters as_of, closed_on, and member_id when
    `one_member`): a service calls it in every opening and contact, where building it cost more than running it."""
    query = _member_alerts(bindparam("as_of", type_=Alert.raised_on.type)).add_columns(
        bindparam("closed_on", type_=Alert.closed_on.type))
    return Prepared(query.where(Alert.subject_id == bindparam("member_id")) if one_member else query)


def close_member_alerts(session: Session | Connection, as_of: date, policy: Policy, member_id: int | None = None,
                        closed_on: date | None = None, *, members: Select | None = None) -> int:
    """Close R2 (on a contact or a new case) and R3 (on a report, or a contact after leaving) as things
    stand on `as_of`, for every member, for `member_id`, or for the `members` a SELECT names (columns
    member_id, closed_on: an import's members, each with its own day); `closed_on` (default `as_of`) is
    the day of the action that removed the cause."""
    lost, mobile_months = policy.months["lost_contact"], policy.months["mobile_unreported"]
    if members is not None:
        named = members.subquery("named_members")
        rows = session.execute(_member_alerts(as_of).join(named, named.c.member_id == Alert.subject_id)
                               .add_columns(named.c.closed_on))
    else:
        params = {"as_of": as_of, "closed_on": closed_on or as_of}
        if member_id is not None:
            params["member_id"] = member_id
        connection = session.connection() if isinstance(session, Session) else session
        rows = _member_alerts_statement(member_id is not None).run(connection, params).rows
    gone_on = []
    for alert_id, rule, due_on, last, mobile, reported, away, has_case, day in rows:
        contact_known = last <= as_of  # a contact recorded as effective later does not count on this day
        if rule == "R2":
            gone = has_case or (contact_known and crossing_day(last, lost) != due_on)
        else:
            gone = (not mobile or reported or away is None or crossing_day(away, mobile_months) != due_on
                    or (contact_known and last > away))
        if gone:
            gone_on.append((alert_id, day))
    return close_alerts_on(session, gone_on)


# ---- campaign milestones (R10) ------------------------------------------------------------------------

def close_milestone_alerts(session: Session, as_of: date, org_id: int | None = None,
                           milestone_id: int | None = None) -> int:
    """Close the R10 alerts of every submission made on or before `as_of` (or of one org's submission of
    one milestone), each on the day it was submitted."""
    query = (select(Alert.id, Submission.submitted_on)
             .join(Submission, and_(Submission.milestone_id == Alert.step_seq, Submission.org_id == Alert.subject_id))
             .where(Alert.rule == "R10", Alert.subject_kind == "org", Alert.closed_on.is_(None),
                    Submission.submitted_on <= as_of))
    if org_id is not None:
        query = query.where(Alert.subject_id == org_id, Alert.step_seq == milestone_id)
    return close_alerts_on(session, session.execute(query).all())
