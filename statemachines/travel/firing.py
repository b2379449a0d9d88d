"""Firing a trigger of one of the programme's shared machines: the same refusals as the case lifecycle's
(`statemachines.lifecycle.fire`), in words that name the thing fired on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transitions import Machine, MachineError

from ..errors import Refused, Refusals, UsageError


def fire_on(machine: Machine, model: object, trigger: str, ctx, *, thing: tuple[str, str],
            states: dict[str, str], triggers: dict[str, str]) -> None:
    """Fire `trigger` on `model` in place through `machine` (model=None, shared): Refused, nothing changed,
    when the state has no such transition or a guard said no (its first reason)."""
    event = machine.events.get(trigger)
    if event is None:
        raise UsageError(f"未知操作 {trigger}", f"unknown trigger {trigger}")
    before = model.state
    zh_thing, en_thing = thing
    wrong_state = Refused(f"{zh_thing}处于“{states[before]}”，不能办理“{triggers[trigger]}”",
                          f"a {en_thing} in state {before} cannot {trigger}")
    try:
        done = event.trigger(model, ctx=ctx)
    except MachineError:
        raise wrong_state from None
    if not done:
        raise Refused(*ctx.refusals[0]) if ctx.refusals else wrong_state



@dataclass
class NotedContext(Refusals):
    """What a guard reads of a step — its day and note — and where it writes why it said no (the first reason
    is the refusal). The registration's and the discipline register's steps need no more."""
    effective_on: date
    note: str | None = None
