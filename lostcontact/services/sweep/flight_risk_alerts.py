"""F1 外逃风险 (PROGRAMMES.md §6), raised by the sweep to the discipline organ of the person's org (the alert goes
to the person's org: the discipline officers whose grants cover it read it), exactly once per person, reason
and basis (the key's step is the reason, its due day the day the person's basis began: on the register or in an
open case), closed on the sweep's day once the reason or the basis is gone. The set is
lostcontact.queries.flight_risk.risks — the same the views list."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Alert, Person

from ...masking import mask_id
from ...queries.flight_risk import REASONS, reasons_in_words, risks
from .alerting import NewAlert, raise_alerts

RULE, SUBJECT = "F1", "person"
_alerts, _persons = Alert.__table__, Person.__table__


def flight_risk_alerts(session: Session, as_of: date, run_id: int | None) -> dict[str, int]:
    from . import anyone_recorded

    if not anyone_recorded(session):  # no person, no risk: nothing to read
        return {RULE: 0}
    conn = session.connection()
    found = risks(conn, as_of)
    if not found:
        return {RULE: 0}
    people = dict(((pid, (name, number)) for pid, name, number in conn.execute(
        select(_persons.c.id, _persons.c.name, _persons.c.id_number)
        .where(_persons.c.id.in_({r.person_id for r in found})))))
    alerts = []
    for risk in found:
        name, number = people[risk.person_id]
        message = (f"外逃风险：{name}（{mask_id(number)}）自 {risk.basis_on} 起失联（纪检监察机关登记或失联党员案件未办结），"
                   f"且{reasons_in_words([risk])[0]}")
        alerts.append(NewAlert(SUBJECT, risk.person_id, RULE, "overdue", REASONS[risk.reason], risk.basis_on,
                               risk.org_id, message))
    return {RULE: raise_alerts(session, alerts, as_of=as_of, run_id=run_id)}


def close_flight_risk_alerts(session: Session, as_of: date) -> int:
    """Close the open F1 whose person, reason and basis are no longer at risk on the day."""
    from . import anyone_recorded

    if not anyone_recorded(session):
        return 0
    conn = session.connection()
    current = {(r.person_id, REASONS[r.reason], r.basis_on) for r in risks(conn, as_of)}
    gone = [alert_id for alert_id, person_id, step, due in conn.execute(
        select(_alerts.c.id, _alerts.c.subject_id, _alerts.c.step_seq, _alerts.c.due_on)
        .where(_alerts.c.rule == RULE, _alerts.c.subject_kind == SUBJECT, _alerts.c.closed_on.is_(None)))
        if (person_id, step, due) not in current]
    if gone:
        conn.execute(update(_alerts).where(_alerts.c.id.in_(gone)).values(closed_on=as_of))
    return len(gone)
