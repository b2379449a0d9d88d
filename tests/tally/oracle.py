"""A naive replay of the tally rule, case by case in Python, to check the set-based SQL against (tests only)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Case, CaseEvent, Org
from statemachines.tally import case_columns, empty


def naive_tally(db, as_of: date) -> dict[str, dict[str, int]]:
    """Columns per org code (rolled up), replaying every case's history up to `as_of`."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        cases = s.execute(select(Case.id, Case.member_id, Case.branch_id, Case.opened_on)).all()
        events = defaultdict(list)
        for event in s.execute(select(CaseEvent.case_id, CaseEvent.effective_on, CaseEvent.to_state,
                                      CaseEvent.disposition, CaseEvent.reached)
                               .order_by(CaseEvent.case_id, CaseEvent.seq)):
            events[event.case_id].append(event)
        orgs = s.execute(select(Org.id, Org.code, Org.path)).all()
    by_member = defaultdict(list)
    for case in cases:
        if case.opened_on <= as_of:
            by_member[case.member_id].append(case)
    by_org = {org.id: empty() for org in orgs}
    paths = {org.id: org.path for org in orgs}
    for member_cases in by_member.values():
        for case in sorted(member_cases, key=lambda c: (c.opened_on, c.id), reverse=True):
            seen = [e for e in events[case.id] if e.effective_on <= as_of]
            if seen[-1].to_state == "voided":
                continue
            finals = [e for e in seen if e.to_state == "closed"]
            columns = case_columns(deceased=seen[-1].to_state == "deceased",
                                   final_disposition=finals[-1].disposition if finals else None,
                                   final_reached=finals[-1].reached if finals else None, reached=seen[-1].reached)
            for org_id in (int(p) for p in paths[case.branch_id].strip("/").split("/")):
                for column in columns:
                    by_org[org_id][column] += 1
            break
    return {org.code: by_org[org.id] for org in orgs}
