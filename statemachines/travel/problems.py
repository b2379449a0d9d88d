"""A problem's lifecycle (问题, PROGRAMMES.md §4): ONE shared machine for every problem, built with
`model=None` and fired as `MACHINE.events[trigger].trigger(problem, ctx=ctx)`, like custody and cases.

    found --verify--> verifying --handle (measures)--> handled
                      verifying --dismiss (reason)--> dismissed

A problem is found by a check (P1–P7, M1) or recorded by hand (Q1–Q3); both start `found`. Handling names one
or more measures of MEASURES; a dismissal says why. `handled` and `dismissed` are final: a problem found
again after a dismissal is the same problem (its key), not a new one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transitions import Machine

from .codes import MEASURES, PROBLEM_STATUSES
from ..errors import Refusals
from .firing import fire_on

TRIGGERS = {"verify": "开始核查", "handle": "处理", "dismiss": "排除"}
FINAL = ("handled", "dismissed")


@dataclass
class ProblemState:
    state: str
    measures: tuple[str, ...] = ()
    self_corrected: bool = False


@dataclass
class ProblemContext(Refusals):
    effective_on: date
    measures: tuple[str, ...] = ()
    reason: str | None = None
    self_corrected: bool | None = None   # verify may say the person declared and corrected it


def _ctx(event) -> ProblemContext:
    return event.kwargs["ctx"]


def _measures_given(event) -> bool:
    ctx = _ctx(event)
    if not ctx.measures:
        return ctx.refuse("处理须至少选择一种处理方式", "handling needs at least one measure", "--measure")
    unknown = [m for m in ctx.measures if m not in MEASURES]
    if unknown:
        return ctx.refuse(f"未知处理方式 {'、'.join(unknown)}", f"unknown measure(s) {', '.join(unknown)}")
    return True


def _reason_given(event) -> bool:
    ctx = _ctx(event)
    if ctx.reason and ctx.reason.strip():
        return True
    return ctx.refuse("排除须说明理由", "a dismissal needs its reason", "--reason")


def _mark(event) -> None:
    ctx = _ctx(event)
    if ctx.self_corrected is not None:
        event.model.self_corrected = ctx.self_corrected


def _take_measures(event) -> None:
    event.model.measures = tuple(dict.fromkeys(_ctx(event).measures))  # each once, in the order given


TRANSITIONS = [
    dict(trigger="verify", source="found", dest="verifying", before=[_mark]),
    dict(trigger="handle", source="verifying", dest="handled", conditions=[_measures_given], before=[_take_measures]),
    dict(trigger="dismiss", source="verifying", dest="dismissed", conditions=[_reason_given]),
]

MACHINE = Machine(model=None, states=list(PROBLEM_STATUSES), initial="found", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def fire(problem: ProblemState, trigger: str, ctx: ProblemContext) -> ProblemState:
    """Fire `trigger` on `problem` in place. Raises `Refused` (nothing changed) when it may not happen."""
    fire_on(MACHINE, problem, trigger, ctx, thing=("问题", "problem"), states=PROBLEM_STATUSES, triggers=TRIGGERS)
    return problem


def triggers_from(state: str) -> list[str]:
    return [t for t in TRIGGERS if state in MACHINE.events[t].transitions]
