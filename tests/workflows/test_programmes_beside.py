"""The daily sweep reads the programmes beside lost-contact (travel documents, flight risk) only when they have
something to raise or close: a person, a registration report, or an open alert of their rules. A lost-contact-only
database skips their statements and reports their counts as 0, under the same names."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lostcontact.services.sweep import PROGRAMME_COUNTS, programme_alerts, programmes_beside_in_use
from lostcontact.policies import policy_as_of
from lostcontact.uow import UnitOfWork
from models import Alert, Org, RegistrationReport
from tests.builders import build_world
from workflows.orchestration import run_in_process

DAY = date(2016, 6, 20)


def an_alert(org_id: int, rule: str) -> Alert:
    return Alert(subject_kind="person", subject_id=1, rule=rule, level="overdue", step_seq=1, due_on=DAY,
                 org_id=org_id, raised_on=DAY, message="m")


def test_the_programmes_are_read_once_they_hold_an_open_alert_of_theirs_or_a_report(db):
    build_world(db)
    with UnitOfWork(db) as uow:
        s = uow.session
        org_id = s.scalar(select(Org.id).limit(1))
        assert not programmes_beside_in_use(s)
        s.add(an_alert(org_id, "R2"))  # lost-contact's own alert: nothing for them
        s.flush()
        assert not programmes_beside_in_use(s)
        f1 = an_alert(org_id, "F1")
        s.add(f1)
        s.flush()
        assert programmes_beside_in_use(s)  # an open flight-risk alert to close
        f1.closed_on = DAY
        s.flush()
        assert not programmes_beside_in_use(s)
        s.add(RegistrationReport(org_id=org_id, reported_on=DAY, reported_by="officer1", changes=1))
        s.flush()
        assert programmes_beside_in_use(s)  # a report the administration may be late to record (T4)


def test_a_lost_contact_only_sweep_counts_the_skipped_rules_as_0_under_the_names_they_report(db):
    build_world(db)
    with UnitOfWork(db) as uow:
        s = uow.session
        assert tuple(programme_alerts(s, DAY, policy_as_of(s, DAY), None)) == PROGRAMME_COUNTS
    counts = run_in_process(db, DAY).counts
    assert {rule: counts[rule] for rule in PROGRAMME_COUNTS} == dict.fromkeys(PROGRAMME_COUNTS, 0)
