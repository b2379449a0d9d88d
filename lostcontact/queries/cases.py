"""Case lists and case views (INTERFACE.md `cases`, `case show`), as of any past date."""
from __future__ import annotations

import json
from datetime import date
from typing import Iterator

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from models import Case, CaseEvent, Deadline, Member, Org, SearchEntry
from models.db import Database
from statemachines.errors import Refused, UsageError
from statemachines.case_states import OPEN_STATES, STATES

from ..masking import mask_id
from ..orgtree import in_subtree, org_by_code
from ..permissions import Actor, load_actor, load_actor_and_chain, may_see_full_id, may_see_org, scope_filter
from ..services.case_lookup import get_case_member_branch
from ..services.dates import check_as_of
from ..uow import UnitOfWork


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def scoped_org_path(session: Session, actor: Actor, org_code: str | None) -> str | None:
    """The path of `--org` after checking the actor may see it (None: no --org)."""
    if org_code is None:
        return None
    return scoped_org(session, actor, org_code).path


def scoped_org(session: Session, actor: Actor, org_code: str) -> Org:
    """The org `--org` names, after checking the actor may see it."""
    org = org_by_code(session, org_code)
    if not may_see_org(actor, org.path):
        raise Refused(f"组织 {org_code} 不在{actor.person()}的授权范围内",
                      f"org {org_code} is outside {actor.login}'s subtrees")
    return org


def _case_rows(session: Session, actor: Actor, org_path: str | None, state: str | None, as_of: date, today: date):
    if as_of >= today:  # nothing can be effective after today: the case rows are the answer
        state_col, disposition_col, due_col = Case.state, Case.disposition, Case.due_on
        query = select(Case.id, state_col, disposition_col, Case.opened_on, Case.lost_since, due_col,
                       Member.name, Member.id_number, Org.code, Org.path)
    else:
        latest = (select(CaseEvent.case_id, func.max(CaseEvent.seq).label("seq"))
                  .where(CaseEvent.effective_on <= as_of).group_by(CaseEvent.case_id).subquery())
        event = aliased(CaseEvent)
        due = (select(Deadline.due_on).where(Deadline.case_id == Case.id, Deadline.step_seq == event.seq,
                                             Deadline.effective_on <= as_of)
               .order_by(Deadline.id.desc()).limit(1).scalar_subquery())
        state_col, disposition_col = event.to_state, event.disposition
        query = (select(Case.id, state_col, disposition_col, Case.opened_on, Case.lost_since, due,
                        Member.name, Member.id_number, Org.code, Org.path)
                 .join(latest, latest.c.case_id == Case.id)
                 .join(event, and_(event.case_id == Case.id, event.seq == latest.c.seq)))
    query = query.join(Member, Member.id == Case.member_id).join(Org, Org.id == Case.branch_id)
    scope = scope_filter(actor, Org.path)
    if scope is not None:
        query = query.where(scope)
    if org_path is not None:
        query = query.where(in_subtree(Org.path, org_path))
    if state is not None:
        query = query.where(state_col == state)
    return session.execute(query.order_by(Case.id).execution_options(yield_per=1000))


def list_cases(db: Database, *, today: date, actor_login: str | None = None, org_code: str | None = None,
               state: str | None = None, overdue: bool = False, as_of: date | None = None) -> Iterator[dict]:
    if state is not None and state not in STATES:
        raise UsageError(f"未知状态 {state}", f"unknown state {state}")
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        org_path = scoped_org_path(s, actor, org_code)
        rows = _case_rows(s, actor, org_path, state, day, today)
        for (case_id, case_state, disposition, opened_on, lost_since, due_on, name, id_number, branch_code,
             _path) in rows:
            if case_state not in OPEN_STATES:
                due_on = None
            overdue_days = None if due_on is None else max(0, (day - due_on).days)
            if overdue and not overdue_days:
                continue
            yield {"id": case_id, "member_id_number_masked": mask_id(id_number), "member_name": name,
                   "branch_code": branch_code, "state": case_state, "disposition": disposition,
                   "opened_on": _iso(opened_on), "last_contact_on": _iso(lost_since), "due_on": _iso(due_on),
                   "overdue_days": overdue_days}


# built once (the case a parameter): a statement reused keeps its cache key, a new one is built and keyed anew
_HISTORY = select(CaseEvent).where(CaseEvent.case_id == bindparam("case_id")).order_by(CaseEvent.seq)
_SEARCH_LOG = (select(SearchEntry).where(SearchEntry.case_id == bindparam("case_id"))
               .order_by(SearchEntry.effective_on, SearchEntry.id))


def show_case(db: Database, case_id: int, *, today: date, actor_login: str | None = None,
              with_actions: bool = False) -> dict:
    """The case as `case show --format json` prints it; `with_actions` adds what the actor may do on it now
    (actions.case_actions, under "actions"), read in the same unit of work."""
    from .attachments import attachment_rows  # here: the case lists (and the tally) need none of it
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        case, member, branch = get_case_member_branch(s, case_id)
        if with_actions:  # the actor and the orgs on the branch's path in one round trip
            actor, chain = load_actor_and_chain(s, actor_login, branch.path)
        else:
            actor, chain = load_actor(s, actor_login), None
        if not may_see_org(actor, branch.path):
            raise Refused(f"案件 {case_id} 不在{actor.person()}的授权范围内",
                          f"case {case_id} is outside {actor.login}'s subtrees")
        due_on = case.due_on if case.state in OPEN_STATES else None
        history = s.scalars(_HISTORY, {"case_id": case.id}).all()
        entries = s.scalars(_SEARCH_LOG, {"case_id": case.id}).all()
        full_id = may_see_full_id(actor, branch.path)
        return {
            "id": case.id, "member_id_number_masked": mask_id(member.id_number), "member_name": member.name,
            "member_id": member.id,
            **({"member_id_number": member.id_number} if full_id else {}),
            "member_standing": member.standing, "branch_code": branch.code, "branch_name": branch.name,
            "state": case.state, "state_label": STATES[case.state], "disposition": case.disposition,
            "reached": case.reached, "cause": case.cause, "chain": case.chain, "origin": case.origin,
            "opened_on": _iso(case.opened_on), "last_contact_on": _iso(case.lost_since),
            "closed_on": _iso(case.closed_on) if case.state == "closed" else None,
            "reopen_kind": case.reopen_kind,
            "due_on": _iso(due_on), "due_provisional": bool(due_on and case.due_provisional),
            "overdue_days": None if due_on is None else max(0, (today - due_on).days),
            "step_entered_on": _iso(case.step_entered_on), "policy_version": case.policy_version,
            "version": case.version,
            "history": [{"at": _iso(e.effective_on), "recorded_at": e.recorded_at.isoformat(timespec="seconds"),
                         "actor": e.actor, "role": e.role, "trigger": e.trigger, "from": e.from_state,
                         "to": e.to_state, "opinion": e.opinion, "disposition": e.disposition,
                         "meeting": json.loads(e.meeting) if e.meeting else None} for e in history],
            "search_log": [{"at": _iso(e.effective_on), "channel": e.channel, "outcome": e.outcome, "note": e.note,
                            "witness": e.witness, "actor": e.actor} for e in entries],
            "attachments": attachment_rows(s, case.id),
            **_discipline_side(s.connection(), case.id, member.id, today),
            **({"actions": _actions(s, actor, case, today, member, chain)} if with_actions else {}),
        }


def _actions(session: Session, actor: Actor, case, today: date, member, chain) -> dict:
    from .actions import case_actions  # here: it loads the lifecycle's machine, which `case show` needs not

    return case_actions(session, actor, case, today=today, member=member, chain=chain).as_json()


def _discipline_side(conn, case_id: int, member_id: int, today: date) -> dict:
    """What the discipline register says of the case's member (docs/discipline-register.md): the entries linked
    to the case, and the member's flight risk today with its reasons in words. A member who is no person of the
    other programmes (most) costs one indexed lookup and no import of their tables (the command line's start)."""
    from .discipline_web import flight_risk_words, persons_of_member

    people = persons_of_member(conn, member_id)
    if not people:
        return {"discipline_entries": [], "flight_risk": []}
    from .discipline import entries_of_case

    return {"discipline_entries": entries_of_case(conn, case_id), "flight_risk": flight_risk_words(conn, today, people)}


def org_names(db: Database, codes: set[str]) -> dict[str, str]:
    """{code: name} of the given org codes, in one query: a table names each case's branch."""
    if not codes:
        return {}
    with UnitOfWork(db, write=False) as uow:
        return dict(uow.session.execute(select(Org.code, Org.name).where(Org.code.in_(codes))).all())
