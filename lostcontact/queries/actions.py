"""What an actor may do now on a case: the triggers from its state whose role the actor holds over the
case's branch, "log a search attempt" while searching, and the dispositions that apply.

A read for the web (and any other entry point): the rules stay where they are (the machine's transitions,
`roles_for`, `grant_for`, `why_not_applicable`); a guard that depends on what the user enters (a vote, the
search log, dates) is still checked when the action is fired, and its refusal says why.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models import Case, Member, Org
from models.db import Database
from statemachines import lifecycle
from statemachines.dispositions import DISPOSITIONS, REOPEN_ALLOWED, why_not_applicable
from statemachines.errors import Refused

from ..orgtree import BranchChain, branch_chain
from ..permissions import Actor, grant_for, load_actor, may_see_org
from ..policies import policy_as_of
from ..services.case_lookup import get_case
from ..services.cases import CASE_WORKERS
from ..uow import UnitOfWork

# The order options are asked for on a form.
OPTION_ORDER = ("disposition", "cause", "meeting", "opinion", "at")


@dataclass(frozen=True)
class Action:
    trigger: str
    label: str
    role: str                       # the role of the actor's grant that allows it
    options: tuple[str, ...]        # what the trigger takes (lifecycle.TAKES), in form order
    required: tuple[str, ...]       # of which required (lifecycle.REQUIRES)


@dataclass(frozen=True)
class DispositionChoice:
    id: str
    label: str
    chain: str | None = None


@dataclass(frozen=True)
class CaseActions:
    case_id: int
    state: str
    version: int
    triggers: tuple[Action, ...]
    can_log_search: bool
    dispositions: tuple[DispositionChoice, ...]      # the ones `submit` may carry for this case
    refused_dispositions: tuple[tuple[str, str], ...]  # (label, why not), so the form can say why one is missing

    def as_json(self) -> dict:
        return {"case_id": self.case_id, "state": self.state, "version": self.version,
                "can_log_search": self.can_log_search,
                "triggers": [{"trigger": a.trigger, "label": a.label, "role": a.role, "options": list(a.options),
                              "required": list(a.required)} for a in self.triggers],
                "dispositions": [{"id": d.id, "label": d.label, "chain": d.chain} for d in self.dispositions]}


def _may_ever_pass(trigger: str, case: Case) -> bool:
    """Hide a trigger the case's own fields already rule out, so the page offers nothing that must fail
    whatever is entered. Only structural facts of the case are read; the guard still decides."""
    if trigger == "withdraw_reopen":
        return case.reopen_kind is not None
    if trigger == "reopen":
        return case.disposition in lifecycle.REOPENABLE
    if trigger == "confirm_death" and case.state == "closed":
        return case.disposition is not None and DISPOSITIONS[case.disposition].suspends
    return True


def _allowed_role(actor: Actor, roles: tuple[str, ...], chain: BranchChain, action: str) -> str | None:
    try:
        return grant_for(actor, roles, chain, action).role
    except Refused:
        return None


def submittable_dispositions(case: Case, member: Member, policy_chains: dict[str, str] | None = None
                             ) -> tuple[tuple[DispositionChoice, ...], tuple[tuple[str, str], ...]]:
    """The dispositions `submit` may carry for this case (who the member is, reached or not, a reopened
    round's limits), and why each other one may not. R6 (months, search tiers) is checked on submit."""
    allowed, refused = [], []
    for d in DISPOSITIONS.values():
        if not d.submittable:
            continue
        if case.reopen_kind and d.id not in REOPEN_ALLOWED[case.reopen_kind]:
            refused.append((d.label, "重新启动的案件不能提出此处置"))
            continue
        reason = why_not_applicable(d.id, reached=bool(case.reached), standing=member.standing,
                                    abroad=member.abroad, cause=case.cause)
        if reason:
            refused.append((d.label, reason[0]))
        else:
            allowed.append(DispositionChoice(d.id, d.label, (policy_chains or {}).get(d.id)))
    return tuple(allowed), tuple(refused)


def case_actions(session: Session, actor: Actor, case: Case, *, today: date, member: Member | None = None,
                 chain: BranchChain | None = None) -> CaseActions:
    """`member` and `chain` (the case's branch's): pass them when already read."""
    member = member or session.get(Member, case.member_id)
    chain = chain or branch_chain(session, case.branch_id)
    triggers = []
    for trigger in lifecycle.triggers_from(case.state):
        if not _may_ever_pass(trigger, case):
            continue
        role = _allowed_role(actor, lifecycle.roles_for(trigger, case.state), chain, trigger)
        if role is None:
            continue
        options = tuple(o for o in OPTION_ORDER if o in lifecycle.TAKES[trigger])
        triggers.append(Action(trigger, lifecycle.TRIGGERS[trigger], role, options,
                               tuple(o for o in options if o in lifecycle.REQUIRES[trigger])))
    can_log = case.state == "searching" and _allowed_role(actor, CASE_WORKERS, chain, "case log") is not None
    dispositions: tuple = ()
    refused: tuple = ()
    if any(a.trigger == "submit" for a in triggers):
        chains = dict(policy_as_of(session, today).chains)
        dispositions, refused = submittable_dispositions(case, member, chains)
    return CaseActions(case.id, case.state, case.version, tuple(triggers), can_log, dispositions, refused)


def actions_for(db: Database, case_id: int, *, actor_login: str, today: date) -> CaseActions:
    """What `actor_login` may do on case `case_id` now (Refused when the case is outside their subtrees)."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        case = get_case(s, case_id)
        branch_path = s.get(Org, case.branch_id).path
        if not may_see_org(actor, branch_path):
            raise Refused(f"案件 {case_id} 不在{actor.person()}的授权范围内",
                          f"case {case_id} is outside {actor.login}'s subtrees")
        return case_actions(s, actor, case, today=today)
