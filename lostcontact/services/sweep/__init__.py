"""The daily rules R1–R10 (DOMAIN.md §4) as set-based SQL, one org partition per transaction.

A run is: `start_run` (log it, take the high-water marks, split the tree into partitions), then
`sweep_partition` for each partition (the member and case rules), then `sweep_system` (calendar, campaign
milestones, closing alerts whose cause went), then `finish_run`. Each step returns counts, never rows;
the flows in workflows/ and the in-process runner call exactly these.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from models import Alert, Person, RegistrationReport
from models.db import Database
from statemachines.travel.codes import AUTOMATIC_CHECKS

from ...policies import policy_as_of
from ...uow import UnitOfWork
from .calendar import close_arrived, missing_year_alerts
from .closings import close_case_alerts
from .context import SweepContext
from .change_report_alerts import CHANGE_RULE, RECORD_RULE, change_report_alerts, close_change_report_alerts
from .flight_risk_alerts import RULE as FLIGHT_RISK_RULE, close_flight_risk_alerts, flight_risk_alerts
from .custody_alerts import RULES as CUSTODY_RULES, close_custody_alerts, custody_alerts
from .deadlines import recompute_due_dates, step_alerts
from .followups import correction_period_alerts, probationary_unreachable_alerts, suspension_window_alerts
from .member_warnings import close_member_warnings, early_warnings, unreported_mobile
from .milestones import close_submitted, milestone_alerts
from .openings import open_pocket_cases, open_six_month_cases
from .self_report_alerts import RULES as SELF_REPORT_RULES, close_self_report_alerts, self_report_alerts
from .runs import RunPlan, beat, closed_before, fail_run, finish_run, heartbeat, load_context, start_run

# Order matters: due dates are recounted before R5 reads them; R1 opens before R4 (one open case each),
# and R2/R3 skip members with a case opened today.
PARTITION_RULES: list[tuple[str, Callable[[SweepContext], int]]] = [
    ("due_dates_recomputed", recompute_due_dates),
    ("R1", open_six_month_cases),
    ("R4", open_pocket_cases),
    ("R2", early_warnings),
    ("R3", unreported_mobile),
    ("R5", step_alerts),
    ("R7", correction_period_alerts),
    ("R8", suspension_window_alerts),
    ("R9", probationary_unreachable_alerts),
]


def sweep_partition(db: Database, run_id: int, org_code: str) -> dict[str, int]:
    """Every member and case rule over one org subtree, in one transaction (all or nothing)."""
    with UnitOfWork(db) as uow:
        counts = apply_partition_rules(uow.session, run_id, org_code)
        beat(uow.session, run_id)
        uow.commit()
        return counts


def apply_partition_rules(session: Session, run_id: int, org_code: str) -> dict[str, int]:
    """The partition rules inside the caller's transaction (a claimed partition commits with its claim)."""
    ctx = load_context(session, run_id, org_code)
    return {name: rule(ctx) for name, rule in PARTITION_RULES}


def sweep_system(db: Database, run_id: int) -> dict[str, int]:
    """The rules over the whole tree (few rows): calendar years, campaign milestones, and the closing of
    alerts whose cause went. Runs after the partitions."""
    from models import SweepRun

    with UnitOfWork(db) as uow:
        s = uow.session
        run = s.get(SweepRun, run_id)
        day, policy = run.as_of, policy_as_of(s, run.as_of)
        others = programmes_beside_in_use(s)
        counts = {
            "calendar": missing_year_alerts(s, day, run_id),
            "R10": milestone_alerts(s, day, policy, run_id),
            **(programme_alerts(s, day, policy, run_id) if others else dict.fromkeys(PROGRAMME_COUNTS, 0)),
            "closed": (close_case_alerts(s, day, closed_before=closed_before(s, run))
                       + close_member_warnings(s, day, policy) + close_submitted(s, day)
                       + close_arrived(s, day) + (close_programme_alerts(s, day) if others else 0)),
        }
        beat(s, run_id)
        uow.commit()
        return counts


# What the programmes beside lost-contact raise (PROGRAMMES.md): their alerts' rules, and the counts they report.
PROGRAMME_RULES = (*CUSTODY_RULES, CHANGE_RULE, RECORD_RULE, *SELF_REPORT_RULES, FLIGHT_RISK_RULE)
PROGRAMME_COUNTS = (*CUSTODY_RULES, CHANGE_RULE, RECORD_RULE, *SELF_REPORT_RULES, *AUTOMATIC_CHECKS, FLIGHT_RISK_RULE)

_alerts = Alert.__table__
# One statement, built once: whether any of the programmes' rules has something to read. Each of them reads a
# person (documents, changes, self-reports, the checks, flight risk: all hang on a person), a registration
# report (T4), or closes an open alert of its own rules.
_PROGRAMMES_IN_USE = select(
    exists().where(Person.__table__.c.id.isnot(None))
    | exists().where(RegistrationReport.__table__.c.id.isnot(None))
    | exists().where(_alerts.c.closed_on.is_(None), _alerts.c.rule.in_(PROGRAMME_RULES)))


def programmes_beside_in_use(session: Session) -> bool:
    """Whether the travel-documents programme and flight risk have anything to raise or close: a lost-contact-only
    deployment then pays one indexed read instead of building and compiling their dozen statements each day."""
    return bool(session.execute(_PROGRAMMES_IN_USE).scalar())


def programme_alerts(s: Session, day, policy, run_id: int) -> dict[str, int]:
    """The whole-tree rules of the programmes beside lost-contact, in the order of PROGRAMME_COUNTS."""
    return {**custody_alerts(s, day, policy, run_id),  # the travel-documents programme
            **change_report_alerts(s, day, policy, run_id),
            **self_report_alerts(s, day, policy, run_id),
            **travel_checks(s, day),  # the automatic checks M1, P1–P7: new problems per kind
            **flight_risk_alerts(s, day, run_id)}  # where the programmes meet (PROGRAMMES.md §6)


def close_programme_alerts(s: Session, day) -> int:
    return (close_custody_alerts(s, day) + close_change_report_alerts(s, day) + close_self_report_alerts(s, day)
            + close_flight_risk_alerts(s, day))


def travel_checks(session: Session, day) -> dict[str, int]:
    """The travel-documents checks as of the sweep's day over the whole tree, as the system (idempotent: a
    problem is found once per person, kind and subject, whatever the day)."""
    from ..travel.checks import run_checks_in

    if not anyone_recorded(session):  # no person to check: no statement of the checks to pay for
        return dict.fromkeys(AUTOMATIC_CHECKS, 0)
    return run_checks_in(session, day)


def anyone_recorded(session: Session) -> bool:
    """Whether the programmes beside lost-contact have any person at all (one indexed row read)."""
    from models import Person

    return session.execute(select(Person.__table__.c.id).limit(1)).first() is not None


def add_counts(total: Counter, counts: dict[str, int]) -> None:
    total.update({key: value for key, value in counts.items()})


__all__ = ["RunPlan", "start_run", "heartbeat", "sweep_partition", "apply_partition_rules", "sweep_system", "finish_run", "fail_run", "add_counts",
           "PARTITION_RULES"]
