"""Problems as of a day (PROGRAMMES.md §4): the list (`problems`) and one problem with its history (`problem
show`). A problem's status and measures on a day are its latest history record on or before it; the list is
one query. Scope: readers of the problem's org read every kind; the exit-entry liaison reads the police side's
(Q1–Q3) only. ID numbers are always masked here; the evidence was written masked."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, func, literal, or_, select

from models import Org, Person, Problem, ProblemEvent
from models.db import Database
from statemachines.errors import UsageError
from statemachines.travel.codes import PROBLEM_KINDS, PROBLEM_STATUSES, RECORDED_BY_HAND

from ...masking import mask_id
from ...orgtree import in_subtree
from ...permissions import Actor, load_actor
from ...services.dates import check_as_of
from ...services.travel.access import may_read, unknown_org
from ...services.travel.problems import POLICE_SIDE, READERS, may_read_problem, unknown_problem
from ...uow import UnitOfWork

_problems, _events, _persons, _orgs = Problem.__table__, ProblemEvent.__table__, Person.__table__, Org.__table__


def _scope(actor: Actor, path, kind):
    if actor.is_operator:
        return literal(True)
    clauses = [in_subtree(path, g.org_path) for g in actor.grants if g.role in READERS]
    clauses += [and_(in_subtree(path, g.org_path), kind.in_(RECORDED_BY_HAND)) for g in actor.grants
                if g.role in POLICE_SIDE]
    return or_(*clauses) if clauses else path == "\x00"


def _as_of(day: date):
    """Each problem's latest history record on or before the day."""
    latest = (select(_events.c.problem_id, func.max(_events.c.seq).label("seq"))
              .where(_events.c.effective_on <= day).group_by(_events.c.problem_id).subquery("latest_problem_event"))
    return (select(_events.c.problem_id, _events.c.to_status.label("status"), _events.c.measures,
                   _events.c.self_corrected, _events.c.effective_on.label("status_since"))
            .join(latest, and_(latest.c.problem_id == _events.c.problem_id, latest.c.seq == _events.c.seq))
            .subquery("problem_as_of"))


def _measures(text: str | None) -> list[str]:
    return [m for m in (text or "").split(",") if m]


def list_problems(db: Database, *, actor_login: str | None, today: date, as_of: date | None = None,
                  kind: str | None = None, status: str | None = None, org_code: str | None = None) -> list[dict]:
    if kind is not None and kind not in PROBLEM_KINDS:
        raise UsageError(f"未知问题类别 {kind}（{'|'.join(PROBLEM_KINDS)}）", f"unknown problem kind {kind}")
    if status is not None and status not in PROBLEM_STATUSES:
        raise UsageError(f"未知问题状态 {status}（{'|'.join(PROBLEM_STATUSES)}）", f"unknown problem status {status}")
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        a = _as_of(day)
        where = [_scope(actor, _orgs.c.path, _problems.c.kind), _problems.c.found_on <= day]
        if org_code is not None:
            path = conn.scalar(select(_orgs.c.path).where(_orgs.c.code == org_code))
            if path is None or not (actor.is_operator or may_read(actor, path)):
                raise unknown_org(org_code)
            where.append(in_subtree(_orgs.c.path, path))
        if kind:
            where.append(_problems.c.kind == kind)
        if status:
            where.append(a.c.status == status)
        rows = conn.execute(
            select(_problems.c.id, _problems.c.kind, _problems.c.found_on, _problems.c.evidence, a.c.status,
                   a.c.measures, a.c.self_corrected, _persons.c.id_number, _persons.c.name, _orgs.c.code)
            .select_from(_problems.join(a, a.c.problem_id == _problems.c.id)
                         .join(_persons, _persons.c.id == _problems.c.person_id)
                         .join(_orgs, _orgs.c.id == _problems.c.org_id))
            .where(*where).order_by(_problems.c.found_on, _orgs.c.path, _problems.c.kind, _problems.c.id)).all()
    return [{"id": r.id, "kind": r.kind, "person_id_number_masked": mask_id(r.id_number), "person_name": r.name,
             "org": r.code, "found_on": r.found_on.isoformat(), "status": r.status, "measures": _measures(r.measures),
             "evidence": r.evidence, "self_corrected": bool(r.self_corrected)} for r in rows]


def show_problem(db: Database, problem_id: int, *, actor_login: str | None, today: date,
                 as_of: date | None = None) -> dict:
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        conn = uow.session.connection()
        actor = load_actor(uow.session, actor_login)
        row = conn.execute(select(_problems, _persons.c.id_number, _persons.c.name.label("person_name"),
                                  _orgs.c.code.label("org"), _orgs.c.path)
                           .join(_persons, _persons.c.id == _problems.c.person_id)
                           .join(_orgs, _orgs.c.id == _problems.c.org_id).where(_problems.c.id == problem_id)).first()
        if row is None or not may_read_problem(actor, row.path, row.kind):
            raise unknown_problem(problem_id)
        history = conn.execute(select(_events).where(_events.c.problem_id == problem_id, _events.c.effective_on <= day)
                               .order_by(_events.c.seq)).all()
        if not history:
            raise unknown_problem(problem_id)  # not yet found on that day
    now = history[-1]
    return {"id": row.id, "kind": row.kind, "person_id_number_masked": mask_id(row.id_number),
            "person_name": row.person_name, "org": row.org, "found_on": row.found_on.isoformat(),
            "status": now.to_status, "measures": _measures(now.measures), "evidence": row.evidence,
            "self_corrected": now.self_corrected, "as_of": day.isoformat(), "version": row.version,
            "history": [{"seq": h.seq, "on": h.effective_on.isoformat(), "trigger": h.trigger,
                         "from_status": h.from_status, "to_status": h.to_status, "measures": _measures(h.measures),
                         "self_corrected": h.self_corrected, "note": h.note, "actor": h.actor, "role": h.role}
                        for h in history]}
