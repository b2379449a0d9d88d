"""Problems (问题, PROGRAMMES.md §4): a Q1–Q3 recorded by hand by the exit-entry liaison, and every step of a
problem's lifecycle fired through the one shared machine (statemachines.travel.problems). Each step writes the
problem row only at the version read (optimistic lock) and one append-only history record, in one unit of work.

Who may: the cadre supervisor over the problem's org handles every kind; the exit-entry liaison records and
handles the police side's (Q1–Q3) and sees no other problem. A problem the actor may not see is answered as an
unknown problem number."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, insert, select, update

from models import Org, Problem, ProblemEvent
from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.texts import check_text_length
from statemachines.travel import problems as lifecycle
from statemachines.travel.codes import MEASURES, PROBLEM_KINDS, RECORDED_BY_HAND

from ...permissions import Actor, GrantRef, load_actor
from ...uow import UnitOfWork
from ..dates import effective_on
from .access import person_in_scope

_problems, _events, _orgs = Problem.__table__, ProblemEvent.__table__, Org.__table__
HANDLERS = ("cadre_supervisor",)          # every kind
POLICE_SIDE = ("exit_entry_liaison",)     # the police side's kinds only
READERS = ("cadre_supervisor", "discipline_officer", "admin")
_MEASURE_WORDS = {**{k: k for k in MEASURES}, **{v: k for k, v in MEASURES.items()}}
_PROBLEM_FOR_FIRE = (select(_problems, _orgs.c.path.label("org_path"))
                     .join(_orgs, _orgs.c.id == _problems.c.org_id).where(_problems.c.id == bindparam("problem_id")))


@dataclass(frozen=True)
class ProblemResult:
    problem_id: int
    trigger: str
    from_status: str
    to_status: str
    version: int


def unknown_problem(problem_id: int) -> BadInput:
    return BadInput(f"未知问题编号 {problem_id}（或不在您的管理范围内）", f"no problem {problem_id} in your subtrees")


def may_read_problem(actor: Actor, org_path: str, kind: str) -> bool:
    """Readers of the subtree read every kind; the liaison reads the police side's only."""
    if actor.is_operator:
        return True
    roles = READERS + (POLICE_SIDE if kind in RECORDED_BY_HAND else ())
    return any(g.role in roles and org_path.startswith(g.org_path) for g in actor.grants)


def handler_grant(actor: Actor, org_path: str, kind: str, action: str) -> GrantRef:
    roles = HANDLERS + (POLICE_SIDE if kind in RECORDED_BY_HAND else ())
    if actor.is_operator:
        raise Refused("办理问题需要指定办理用户", f"{action} needs the user who does it", "--actor")
    for grant in actor.grants:
        if grant.role in roles and org_path.startswith(grant.org_path):
            return grant
    names = "或".join(ROLES[r] for r in roles)
    raise Refused(f"该问题须由管理该单位的{names}办理，{actor.person()}没有该授权",
                  f"{action} needs a {'/'.join(roles)} grant over the problem's org; {actor.login} has none")


def measure_ids(given: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Measures as typed: their ids or their Chinese names; an unknown one is a usage error naming them all."""
    out = []
    for word in given:
        key = _MEASURE_WORDS.get(word.strip())
        if key is None:
            raise UsageError(f"未知处理方式 {word}（{'、'.join(f'{k}={v}' for k, v in MEASURES.items())}）",
                             f"unknown measure {word} ({'|'.join(MEASURES)})")
        out.append(key)
    return tuple(dict.fromkeys(out))


def record_problem(db: Database, id_number: str, kind: str, *, evidence: str, actor_login: str | None, today: date,
                   at: date | None = None) -> int:
    """A police-side problem (Q1–Q3) on a person of the liaison's subtrees, `found` on the day. The same
    evidence recorded twice on one day is one problem."""
    if kind not in RECORDED_BY_HAND:
        raise UsageError(f"只能录入公安机关核查的问题 {'、'.join(RECORDED_BY_HAND)}（其余由自动检查发现）",
                         f"only the police side's problems {', '.join(RECORDED_BY_HAND)} are recorded by hand")
    if not (evidence and evidence.strip()):
        raise UsageError("须填写问题情况", "a recorded problem needs its evidence", "--evidence")
    check_text_length("note", evidence)
    duplicate = Conflict("同一问题已经录入", "the same problem is already recorded")
    with UnitOfWork(db, duplicate=duplicate) as uow:
        s = uow.session
        conn = s.connection()
        person, actor = person_in_scope(s, id_number, actor_login)
        grant = next((g for g in actor.grants if g.role in POLICE_SIDE and person.org_path.startswith(g.org_path)),
                     None)
        if grant is None:
            raise Refused(f"{kind}（{PROBLEM_KINDS[kind]}）由管理该人员的公安出入境管理部门联络员录入",
                          f"{kind} is recorded by an exit_entry_liaison over the person's org")
        day = effective_on(at, today)
        subject = f"record:{day.isoformat()}:{hashlib.sha256(evidence.strip().encode()).hexdigest()[:20]}"
        exists_already = conn.scalar(select(_problems.c.id).where(
            _problems.c.person_id == person.id, _problems.c.kind == kind, _problems.c.subject == subject))
        if exists_already is not None:
            raise duplicate
        problem_id = conn.execute(insert(_problems).values(
            person_id=person.id, kind=kind, subject=subject, org_id=person.org_id, found_on=day,
            evidence=evidence.strip(), status="found", self_corrected=False, last_seq=1, last_event_on=day,
            version=1)).inserted_primary_key[0]
        conn.execute(insert(_events).values(problem_id=problem_id, seq=1, trigger="record", from_status=None,
                                            to_status="found", self_corrected=False, effective_on=day,
                                            actor=actor.label(), role=grant.role))
        uow.commit()
        return problem_id


def fire_problem(db: Database, problem_id: int, trigger: str, *, actor_login: str | None, today: date,
                 at: date | None = None, measures: tuple[str, ...] = (), reason: str | None = None,
                 self_corrected: bool | None = None, expected_version: int | None = None) -> ProblemResult:
    """verify / handle / dismiss. Refused (exit 3) changes nothing."""
    if trigger not in lifecycle.TRIGGERS:
        raise UsageError(f"未知操作 {trigger}（{'|'.join(lifecycle.TRIGGERS)}）",
                         f"unknown problem trigger {trigger} ({'|'.join(lifecycle.TRIGGERS)})")
    check_text_length("note", reason)
    measures = measure_ids(measures)
    if trigger == "handle" and not measures:
        raise UsageError("处理须至少选择一种处理方式", "handle requires at least one measure", "--measure")
    if trigger == "dismiss" and not (reason and reason.strip()):
        raise UsageError("排除须说明理由", "dismiss requires a reason", "--reason")
    with UnitOfWork(db) as uow:
        s = uow.session
        conn = s.connection()
        actor = load_actor(s, actor_login)
        row = conn.execute(_PROBLEM_FOR_FIRE, {"problem_id": problem_id}).first()
        if row is None or not may_read_problem(actor, row.org_path, row.kind):
            raise unknown_problem(problem_id)
        grant = handler_grant(actor, row.org_path, row.kind, trigger)
        if expected_version is not None and row.version != expected_version:
            raise _changed_meanwhile()
        day = effective_on(at, today, row.last_event_on)
        model = lifecycle.fire(lifecycle.ProblemState(row.status, tuple(filter(None, (row.measures or "").split(","))),
                                                      row.self_corrected), trigger,
                               lifecycle.ProblemContext(day, measures=measures, reason=reason,
                                                        self_corrected=self_corrected))
        stored = ",".join(model.measures) or None
        written = conn.execute(update(_problems).where(_problems.c.id == row.id, _problems.c.version == row.version)
                               .values(status=model.state, measures=stored, self_corrected=model.self_corrected,
                                       last_seq=row.last_seq + 1, last_event_on=day, version=_problems.c.version + 1))
        if written.rowcount != 1:
            raise _changed_meanwhile()
        conn.execute(insert(_events).values(problem_id=row.id, seq=row.last_seq + 1, trigger=trigger,
                                            from_status=row.status, to_status=model.state, measures=stored,
                                            self_corrected=model.self_corrected, note=reason, effective_on=day,
                                            actor=actor.label(), role=grant.role))
        uow.commit()
        return ProblemResult(row.id, trigger, row.status, model.state, row.version + 1)


def _changed_meanwhile() -> Conflict:
    return Conflict("该问题已被他人办理，请刷新后重试", "the problem was changed by someone else: reload and retry")
