"""出行审批: the private trips waiting for a user, and the steps a user may take on one trip. Who may take a
step is decided by the trip service's own grant checks (discipline_grant, approver_grant, custodian_grant), so
the queue offers exactly what the service would accept; SQL narrows to the open trips in the reader's subtrees
first, and the grant check then runs on those few rows only."""
from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from models import Org, Person, Trip
from models.db import Database
from statemachines.errors import Refused
from statemachines.travel import trips as machine

from ...masking import mask_id
from ...permissions import Actor, load_actor
from ...policies import policy_as_of
from ...services.travel.access import custodian_grant, reader_scope, status_only
from ...services.travel.trips import approver_grant, discipline_grant
from ...uow import UnitOfWork

_trips, _persons, _orgs = Trip.__table__, Person.__table__, Org.__table__
# what each step waits for, and who takes it
DECISIONS = ("approve", "refuse")
# the states in which a trip waits for someone (a checkout is the custody desk's)
WAITING = {"draft": ("submit",), "submitted": ("consult", "approve"), "consulted": ("approve",),
           "travelling": ("return",), "returned": ("close",)}


def _may(actor: Actor, trigger: str, path: str, rank: str, level: str) -> bool:
    try:
        if trigger == "consult":
            discipline_grant(actor, path)
        elif trigger in DECISIONS:
            approver_grant(actor, path, rank, level, f"trip {trigger}")
        else:
            custodian_grant(actor, path, f"trip {trigger}")
    except Refused:
        return False
    return True


def steps_for(actor: Actor, state: str, path: str, rank: str, level: str) -> list[str]:
    """The steps the machine has from `state` that this actor's grants allow (the guards still decide)."""
    return [t for t in machine.triggers_from(state) if t != "hand_out" and _may(actor, t, path, rank, level)]


def waiting_trips(db: Database, *, actor_login: str | None, today: date) -> list[dict]:
    """The trips whose next step is this user's: to consult (a discipline officer), to decide (a cadre
    supervisor at the level the policy gives the person's rank), to submit, record the return or close (the
    unit's cadre supervisor). ID numbers masked."""
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        if status_only(actor):
            return []
        travel_policy = policy_as_of(uow.session, today).travel
        scope = reader_scope(actor, _orgs.c.path)
        rows = uow.session.connection().execute(
            select(_trips.c.id, _trips.c.state, _trips.c.destinations, _trips.c.planned_departure,
                   _trips.c.planned_return, _trips.c.strict_review, _trips.c.last_event_on, _trips.c.version,
                   _persons.c.name, _persons.c.id_number, _persons.c.rank, _orgs.c.name.label("org_name"),
                   _orgs.c.path)
            .join(_persons, _persons.c.id == _trips.c.person_id).join(_orgs, _orgs.c.id == _persons.c.org_id)
            .where(_trips.c.state.in_(WAITING), *([scope] if scope is not None else []))
            .order_by(_trips.c.planned_departure, _trips.c.id)).all()
    out = []
    for r in rows:
        level = travel_policy.approver_level(r.rank)
        mine = [t for t in WAITING[r.state] if _may(actor, t, r.path, r.rank, level)]
        if mine:
            out.append({"id": r.id, "person_name": r.name, "person_id_number_masked": mask_id(r.id_number),
                        "org_name": r.org_name, "rank": r.rank, "destinations": json.loads(r.destinations),
                        "planned_departure": r.planned_departure.isoformat(),
                        "planned_return": r.planned_return.isoformat(), "state": r.state,
                        "state_since": r.last_event_on.isoformat(), "strict_review": r.strict_review,
                        "waiting_for": mine})
    return out


def my_steps(db: Database, trip_id: int, *, actor_login: str | None, today: date) -> list[str]:
    """The steps this user may take on the trip now (the caller has already read the trip in scope), with
    `edit` when they may edit the application now (a form of its own, not a step fired on the trip's page)."""
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        row = uow.session.connection().execute(
            select(_trips.c.state, _persons.c.rank, _orgs.c.path)
            .join(_persons, _persons.c.id == _trips.c.person_id).join(_orgs, _orgs.c.id == _persons.c.org_id)
            .where(_trips.c.id == trip_id)).first()
        if row is None or actor.is_operator:
            return []
        level = policy_as_of(uow.session, today).travel.approver_level(row.rank)
        editable = row.state in machine.EDITABLE_STATES and may_edit(actor, row.path)
        return steps_for(actor, row.state, row.path, row.rank, level) + (["edit"] if editable else [])


def may_edit(actor: Actor, path: str) -> bool:
    """Whether the user edits the applications of persons of `path` (`trip edit`: the unit's cadre supervisor,
    the service's own grant check); the machine decides in which states."""
    return _may(actor, "edit", path, "", "unit")
