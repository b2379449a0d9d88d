"""Who keeps and reads the register (PROGRAMMES.md §8): the discipline officer keeps it for an org subtree and
the admin reads it; a unit contact is recorded by a discipline officer or a cadre supervisor. A person or an
entry outside the actor's subtrees is answered exactly as one that does not exist."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Org, Person
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Refused

from ...permissions import Actor, GrantRef, scope_filter
from ..travel.access import unknown_person

KEEPERS = ("discipline_officer",)
READERS = ("discipline_officer", "admin")
CONTACT_RECORDERS = ("discipline_officer", "cadre_supervisor")

_persons, _orgs = Person.__table__, Org.__table__
_PERSON_BY_NUMBER = (select(_persons.c.id, _persons.c.id_number, _persons.c.name, _persons.c.member_id,
                            _persons.c.org_id, _persons.c.unit_contact_on, _orgs.c.path.label("org_path"),
                            _orgs.c.code.label("org_code"), _orgs.c.name.label("org_name"))
                     .join(_orgs, _orgs.c.id == _persons.c.org_id)
                     .where(_persons.c.id_number == bindparam("id_number")))


def unknown_entry(entry_id: int) -> BadInput:
    return BadInput(f"登记 {entry_id} 不存在或不在您的管理范围内", f"no register entry {entry_id} in your subtrees")


def grant_over(actor: Actor, org_path: str, roles: tuple[str, ...], action_zh: str, action_en: str) -> GrantRef:
    """The actor's grant of one of `roles` over the org, or Refused naming the role needed."""
    if actor.is_operator:
        raise Refused(f"{action_zh}需要指定办理用户", f"{action_en} needs the user who does it", "--actor")
    for grant in actor.grants:
        if grant.role in roles and org_path.startswith(grant.org_path):
            return grant
    names = "或".join(ROLES[r] for r in roles)
    raise Refused(f"{action_zh}须由{names}办理，{actor.person()}没有该授权",
                  f"{action_en} needs a {'/'.join(roles)} grant over the person's org; {actor.login} has none")


def may_read(actor: Actor, org_path: str, roles: tuple[str, ...] = READERS) -> bool:
    return actor.is_operator or any(g.role in roles and org_path.startswith(g.org_path) for g in actor.grants)


def reader_scope(actor: Actor, path_column):
    """WHERE clause of what the actor reads (None: the local operator, the whole tree)."""
    return scope_filter(Actor(actor.login, tuple(g for g in actor.grants if g.role in READERS)), path_column)


def person_for(session: Session, number: str, actor: Actor, roles: tuple[str, ...] = READERS):
    """The person with this ID number when one of `roles` over their org is the actor's (else `unknown_person`,
    the same whether or not the person exists)."""
    row = session.connection().execute(_PERSON_BY_NUMBER, {"id_number": number}).first()
    if row is None or not may_read(actor, row.org_path, roles):
        raise unknown_person(number)
    return row
