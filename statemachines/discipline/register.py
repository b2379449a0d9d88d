"""An entry of the discipline register (PROGRAMMES.md §5): ONE shared machine for every entry, fired as
`MACHINE.events[trigger].trigger(entry, ctx=ctx)` like the case lifecycle.

    open --find--> found          (已取得联系: reached again)
    open --return--> returned     (已归案/已回国: a 外逃 or 出走 person back)
    open --decease--> deceased
    open --revoke--> revoked      (wrong person: the entry should not have been made)

An entry is made only when the failed re-contact is recorded (经再次联系仍然无法取得联系); a 外逃 entry only
after a case was filed against the person. Every rule reads the day it is given, never the clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from transitions import Machine

from ..clocks import more_than_months
from ..travel.firing import NotedContext, fire_on
from .codes import STATES, TRIGGERS

REQUIRES_NOTE = frozenset({"revoke"})


@dataclass
class Entry:
    state: str
    category: str
    since_on: date          # lost since / fled on / left on
    opened_on: date


class EntryContext(NotedContext):
    """An entry's step: its day, and the note a revocation needs."""


def _not_before_opening(event) -> bool:
    ctx, entry = event.kwargs["ctx"], event.model
    if ctx.effective_on >= entry.opened_on:
        return True
    return ctx.refuse(f"办理日期 {ctx.effective_on} 早于登记日期 {entry.opened_on}",
                      f"{ctx.effective_on} is before the entry was made ({entry.opened_on})")


def _fled_or_absconded(event) -> bool:
    if event.model.category in ("fled", "absconded"):
        return True
    return event.kwargs["ctx"].refuse("“已归案/已回国”只用于外逃、出走人员；失联人员取得联系请用“已取得联系”",
                                      "return is for fled or absconded persons; a lost one is found")


def _says_why(event) -> bool:
    note = event.kwargs["ctx"].note
    if note and note.strip():
        return True
    return event.kwargs["ctx"].refuse("撤销登记须说明原因", "revoking an entry needs a reason", "--note")


TRANSITIONS = [
    dict(trigger="find", source="open", dest="found", conditions=[_not_before_opening]),
    dict(trigger="return", source="open", dest="returned", conditions=[_not_before_opening, _fled_or_absconded]),
    dict(trigger="decease", source="open", dest="deceased", conditions=[_not_before_opening]),
    dict(trigger="revoke", source="open", dest="revoked", conditions=[_not_before_opening, _says_why]),
]

MACHINE = Machine(model=None, states=list(STATES), initial="open", transitions=TRANSITIONS, auto_transitions=False,
                  send_event=True)


def fire(entry: Entry, trigger: str, ctx: EntryContext) -> Entry:
    fire_on(MACHINE, entry, trigger, ctx, thing=("该登记", "register entry"), states=STATES, triggers=TRIGGERS)
    return entry


def is_candidate(last_contact_on: date | None, as_of: date, threshold_months: int) -> bool:
    """失联's first condition: more than the threshold's months without contact with the org or unit (month
    ends clamped as for DOMAIN R1). No contact on record is not a candidate: nothing says when it was lost."""
    return last_contact_on is not None and more_than_months(last_contact_on, threshold_months, as_of)
