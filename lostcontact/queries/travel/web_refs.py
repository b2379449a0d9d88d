"""What the web's travel pages look up by a row id in their URLs (an ID number never goes into a URL): the ID
number of a person the reader may see, a person's trips, and the names behind the logins a history records.
A person outside the reader's subtrees is answered exactly as a person id that does not exist."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from models import Org, Person, Trip
from models.db import Database
from statemachines.errors import BadInput

from ...permissions import load_actor
from ...services.travel.access import may_read
from ...uow import UnitOfWork
from ..people import person_labels

_persons, _orgs, _trips = Person.__table__, Org.__table__, Trip.__table__
# what the programme's histories record as the actor besides a login
NON_LOGINS = {"operator": "系统管理员（命令行）", "import": "批量导入", "system": "系统（自动）"}


def unknown_person_id(person_id: int) -> BadInput:
    return BadInput(f"未知人员编号 {person_id}（或不在您的管理范围内）", f"no person {person_id} in your subtrees")


def person_number(db: Database, person_id: int, *, actor_login: str | None) -> str:
    """The ID number of the person `person_id`, when the actor reads that person's org."""
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        row = uow.session.connection().execute(
            select(_persons.c.id_number, _orgs.c.path).join(_orgs, _orgs.c.id == _persons.c.org_id)
            .where(_persons.c.id == person_id)).first()
    if row is None or not may_read(actor, row.path):
        raise unknown_person_id(person_id)
    return row.id_number


def person_id_of(db: Database, id_number: str) -> int:
    """The row id of the person just recorded with this (normalised) ID number: where a form goes next."""
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(_persons.c.id).where(_persons.c.id_number == id_number))


def custodian_orgs(db: Database, *, actor_login: str) -> tuple[tuple[str, str, int], ...]:
    """(code, name, depth) of the orgs where the user may record persons: their cadre-supervisor subtrees, top
    down and bounded (a code typed by hand reaches any other; the service decides)."""
    from ...permissions import Actor
    from ...services.travel.access import CUSTODIAN
    from ..case_scope import org_choices

    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        custodian = Actor(actor.login, tuple(g for g in actor.grants if g.role in CUSTODIAN), actor.name)
        return org_choices(uow.session, custodian) if custodian.grants else ()


def person_trip_ids(db: Database, person_id: int) -> set[int]:
    """The ids of a person's trips (the caller has already checked the person is in scope)."""
    with UnitOfWork(db, write=False) as uow:
        return set(uow.session.scalars(select(_trips.c.id).where(_trips.c.person_id == person_id)))


def actor_names(db: Database, logins: Iterable[str | None]) -> dict[str, str]:
    """{login: what a page calls them}: the user's name, a login without a name marked as such."""
    wanted = {login for login in logins if login}
    with UnitOfWork(db, write=False) as uow:
        names = person_labels(uow.session, wanted - set(NON_LOGINS))
    return {**names, **{k: v for k, v in NON_LOGINS.items() if k in wanted}}


def document_person_id(db: Database, document_id: int) -> int | None:
    """The holder of a document (the caller has already read the document in scope)."""
    from models import TravelDocument

    docs = TravelDocument.__table__
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(docs.c.person_id).where(docs.c.id == document_id))


def problem_steps(db: Database, problem_id: int, *, actor_login: str | None) -> list[str]:
    """The steps this user may take on a problem now: those its lifecycle has from its status, when the user
    holds the grant the problem service asks for (the caller has already read the problem in scope)."""
    from models import Problem
    from statemachines.errors import Refused
    from statemachines.travel import problems as lifecycle

    from ...services.travel.problems import handler_grant

    problems = Problem.__table__
    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        row = uow.session.connection().execute(
            select(problems.c.kind, problems.c.status, _orgs.c.path).join(_orgs, _orgs.c.id == problems.c.org_id)
            .where(problems.c.id == problem_id)).first()
    if row is None:
        return []
    try:
        handler_grant(actor, row.path, row.kind, "problem")
    except Refused:
        return []
    return lifecycle.triggers_from(row.status)


def visible_campaigns(db: Database, *, actor_login: str | None) -> list[dict]:
    """The self-report campaigns whose scope meets the user's subtrees (campaign_row's rule), newest first."""
    from models import SelfReportCampaign
    from statemachines.errors import BadInput as Unknown

    from ...services.travel.self_reports import campaign_row

    with UnitOfWork(db, write=False) as uow:
        actor = load_actor(uow.session, actor_login)
        ids = uow.session.scalars(select(SelfReportCampaign.__table__.c.id)
                                  .order_by(SelfReportCampaign.__table__.c.id.desc())).all()
        out = []
        for campaign_id in ids:  # campaigns are a handful a year: each checked by the service's own rule
            try:
                row = campaign_row(uow.session, campaign_id, actor)
            except Unknown:
                continue
            out.append({"id": row.id, "name": row.name, "due_on": row.due_on.isoformat(),
                        "opened_on": row.opened_on.isoformat()})
        return out
