"""Shared steps for the scheduled-flow tests: run a sweep as of a day, and read back what it left."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lostcontact.uow import UnitOfWork
from models import Alert, Case, CaseEvent, Deadline, Member, Org
from models.db import Database
from workflows.orchestration import run_in_process


def sweep(db: Database, day: date):
    return run_in_process(db, day)


def fresh_sqlite(path) -> Database:
    """A second database beside the test's own, initialised as the `db` fixture's: to compare two ways."""
    from lostcontact.policies import ensure_default_policy
    from models import Base
    from models.db import open_database

    database = open_database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    with UnitOfWork(database) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    return database


def days(first: date, last: date, step: int = 1):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


def cases_by_member(db: Database) -> dict[str, tuple]:
    """ID number -> (opened_on, lost_since, origin) of every case."""
    with UnitOfWork(db, write=False) as uow:
        rows = uow.session.execute(select(Member.id_number, Case.opened_on, Case.lost_since, Case.origin, Case.id)
                                   .join(Member, Member.id == Case.member_id).order_by(Case.id)).all()
    found: dict[str, tuple] = {}
    for id_number, opened_on, lost_since, origin, _id in rows:
        assert id_number not in found, f"two cases for one member: {found[id_number]} and {opened_on}"
        found[id_number] = (opened_on, lost_since, origin)
    return found


def alert_rows(db: Database, **where) -> list[dict]:
    with UnitOfWork(db, write=False) as uow:
        query = select(Alert, Org.code).join(Org, Org.id == Alert.org_id).order_by(Alert.id)
        for name, value in where.items():
            query = query.where(getattr(Alert, name) == value)
        return [{"subject_kind": a.subject_kind, "subject_id": a.subject_id, "rule": a.rule, "level": a.level,
                 "step_seq": a.step_seq, "due_on": a.due_on, "org": code, "raised_on": a.raised_on,
                 "closed_on": a.closed_on, "case_id": a.case_id} for a, code in uow.session.execute(query)]


def state_of_the_world(db: Database) -> dict:
    """Everything the sweeps write, without ids or recording times (cases named by their member and
    opening day, since sequences differ between engines and after a rollback): equal for equal outcomes."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        name = {c.id: (c.member_id, c.opened_on) for c in s.scalars(select(Case))}
        cases = sorted((name[c.id], c.origin, c.lost_since, c.state, c.step_seq, c.due_on, c.due_provisional,
                        c.policy_version) for c in s.scalars(select(Case)))
        events = sorted((name[e.case_id], e.seq, e.trigger, e.to_state, e.actor, e.effective_on)
                        for e in s.scalars(select(CaseEvent)))
        deadlines = sorted((name[d.case_id], d.step_seq, d.state, d.due_on, d.provisional, d.policy_version,
                            d.effective_on) for d in s.scalars(select(Deadline)))
    alerts = []
    for a in alert_rows(db):
        if a["subject_kind"] == "case":
            a["subject_id"] = a["case_id"] = name[a["case_id"]]
        alerts.append(tuple(sorted(a.items())))
    return {"cases": cases, "events": events, "deadlines": deadlines, "alerts": sorted(alerts, key=repr)}


def case_id_of(db: Database, id_number: str) -> int:
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(Case.id).join(Member, Member.id == Case.member_id)
                                  .where(Member.id_number == id_number).order_by(Case.id.desc()).limit(1))
