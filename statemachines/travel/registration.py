"""A person's registration with the exit-entry administration (登记备案, PROGRAMMES.md §1): one shared
machine for every person, fired as `MACHINE.events[trigger].trigger(person, ctx=ctx)`.

    unregistered --register--> registered --change--> changed --register (re-filed)--> registered
    registered / changed --revoke--> revoked --register--> registered
"""
from __future__ import annotations

from dataclasses import dataclass

from transitions import Machine

from .codes import PERSON_TYPES, REGISTRATION_STATUSES
from .firing import NotedContext, fire_on

TRIGGERS = {"register": "备案", "change": "变更备案", "revoke": "撤销备案"}
# a revocation says why (left, retired past the rule, died); a change says what changed
REQUIRES_NOTE = frozenset({"change", "revoke"})


@dataclass
class Registration:
    state: str
    person_type: str | None


class RegistrationContext(NotedContext):
    """A registration step's day and note (a change or a revocation says why)."""


def _has_type(event) -> bool:
    if event.model.person_type in PERSON_TYPES:
        return True
    return event.kwargs["ctx"].refuse("未确定登记备案人员类别，不能备案",
                                      "the person has no registered-person type: nothing to register", "--type")


TRANSITIONS = [
    dict(trigger="register", source=["unregistered", "changed", "revoked"], dest="registered", conditions=[_has_type]),
    dict(trigger="change", source="registered", dest="changed"),
    dict(trigger="revoke", source=["registered", "changed"], dest="revoked"),
]

MACHINE = Machine(model=None, states=list(REGISTRATION_STATUSES), initial="unregistered", transitions=TRANSITIONS,
                  auto_transitions=False, send_event=True)


def fire(registration: Registration, trigger: str, ctx: RegistrationContext) -> Registration:
    fire_on(MACHINE, registration, trigger, ctx, thing=("该人员的备案", "registration"),
            states=REGISTRATION_STATUSES, triggers=TRIGGERS)
    return registration
