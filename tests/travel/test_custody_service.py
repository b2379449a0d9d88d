"""Custody through the services: each step one unit of work writing the document at the version read and one
append-only history record; refusals change nothing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from lostcontact.services.travel.documents import custody_history, fire_custody
from models import TravelDocument
from statemachines.errors import Conflict, Refused
from statemachines.travel import custody

from .conftest import TODAY

def fire(travel, document_id, trigger, at, **kw):
    return fire_custody(travel.db, document_id, trigger, actor_login=kw.pop("actor", "cadre1"), today=TODAY, at=at,
                        **kw)


def state_of(db, document_id):
    with db.engine.connect() as conn:
        return conn.execute(select(TravelDocument.__table__).where(TravelDocument.id == document_id)).one()


def test_a_private_passport_goes_round_the_custody_cycle_and_its_history_says_what_was_late(travel):
    person = travel.person(registered_on=date(2024, 1, 10))
    document_id = travel.document(person)
    received = fire(travel, document_id, "receive", date(2024, 1, 25), kept_at="保密柜")  # due 2024-01-24
    assert (received.to_state, received.late) == ("in_custody", True)
    trip_id = travel.trip(person, document_id, destinations=("泰国", "老挝"))
    out = fire(travel, document_id, "check_out", date(2024, 3, 6), trip_id=trip_id)
    assert out.to_state == "checked_out" and state_of(travel.db, document_id).return_due_on == date(2024, 3, 30)
    back = fire(travel, document_id, "return", date(2024, 3, 30))
    assert (back.to_state, back.late, back.version) == ("in_custody", False, 4)
    with travel.db.engine.connect() as conn:
        history = custody_history(conn, document_id)
    assert [(h.trigger, h.to_state, h.late) for h in history] == [
        ("record", "held", None), ("receive", "in_custody", True), ("check_out", "checked_out", None),
        ("return", "in_custody", False)]
    assert (history[2].trip_ref, history[2].trip_id) == (f"出行申请{trip_id}：泰国、老挝", trip_id)
    assert state_of(travel.db, document_id).kept_at == "保密柜"


def test_a_receipt_within_the_period_is_not_late_and_one_of_an_unregistered_person_has_no_due_day(travel):
    on_file = travel.document(travel.person(registered_on=date(2024, 1, 10)))
    assert fire(travel, on_file, "receive", date(2024, 1, 24)).late is False
    not_on_file = travel.document(travel.person("赵六"))
    assert fire(travel, not_on_file, "receive", date(2024, 5, 24)).late is None


def test_a_stale_version_is_refused_and_changes_nothing(travel):
    person = travel.person(registered_on=date(2024, 1, 10))
    document_id = travel.document(person)
    fire(travel, document_id, "receive", date(2024, 1, 20))
    with pytest.raises(Conflict):
        fire(travel, document_id, "check_out", date(2024, 3, 6), trip_id=travel.trip(person, document_id),
             expected_version=1)
    assert (state_of(travel.db, document_id).state, state_of(travel.db, document_id).version) == ("in_custody", 2)


def test_a_paper_record_may_not_be_dated_before_the_latest_step_nor_in_the_future(travel):
    document_id = travel.document(travel.person(registered_on=date(2024, 1, 10)))
    fire(travel, document_id, "receive", date(2024, 2, 1))
    for day in (date(2024, 1, 31), TODAY + timedelta(days=1)):
        with pytest.raises(Refused):
            fire(travel, document_id, "release", day, note="调离")
    assert state_of(travel.db, document_id).last_seq == 2


def test_checking_out_a_private_passport_is_refused_while_the_official_one_is_out(travel):
    person = travel.person(registered_on=date(2024, 1, 10))
    travel.document(person, kind="passport_official", number="G12345678")
    private = travel.document(person)
    fire(travel, private, "receive", date(2024, 1, 20))
    with pytest.raises(Refused) as refusal:
        fire(travel, private, "check_out", date(2024, 3, 6), trip_id=travel.trip(person, private))
    assert "因公和因私" in refusal.value.zh


def test_a_lost_document_needs_the_statement_and_keeps_it(travel):
    from statemachines.errors import UsageError
    document_id = travel.document(travel.person(registered_on=date(2024, 1, 10)))
    with pytest.raises(UsageError):
        fire(travel, document_id, "report_lost", date(2024, 2, 1))
    fire(travel, document_id, "report_lost", date(2024, 2, 1), note="本人说明，已盖单位公章")
    fire(travel, document_id, "verify_loss", date(2024, 2, 5), note="经公安机关核实")
    fire(travel, document_id, "revoke", date(2024, 2, 6))
    with travel.db.engine.connect() as conn:
        notes = [h.note for h in custody_history(conn, document_id)]
    assert notes == [None, "本人说明，已盖单位公章", "经公安机关核实", None]


def test_only_a_cadre_supervisor_over_the_person_acts_and_one_outside_hears_of_no_document(travel):
    document_id = travel.document(travel.person())
    with pytest.raises(Refused) as reader:
        fire(travel, document_id, "receive", date(2024, 2, 1), actor="discipline1")
    assert "干部监督" in reader.value.zh
    with pytest.raises(Exception) as outside:
        fire(travel, document_id, "receive", date(2024, 2, 1), actor="cadre2")
    with pytest.raises(Exception) as unknown:
        fire(travel, 999_999, "receive", date(2024, 2, 1), actor="cadre2")
    assert (type(outside.value), outside.value.exit_code) == (type(unknown.value), 4)
    assert outside.value.zh.replace(str(document_id), "N") == unknown.value.zh.replace("999999", "N")


STEPS = st.lists(st.tuples(st.sampled_from(["receive", "check_out", "return"] * 3 + sorted(custody.TRIGGERS)),
                           st.integers(0, 4)), min_size=1, max_size=12)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_random_trigger_sequences_replay_from_the_history_and_versions_strictly_increase(travel, steps):
    person = travel.person(registered_on=date(2024, 1, 10))
    document_id = travel.document(person)
    day, versions = date(2024, 3, 1), [1]
    trip_id = travel.trip(person, document_id, departure=date(2024, 3, 12), ret=date(2024, 3, 15))
    for trigger, gap in steps:
        day += timedelta(days=gap)
        try:
            versions.append(fire(travel, document_id, trigger, day,
                                 trip_id=trip_id if trigger == "check_out" else None,
                                 note="说明" if trigger in ("release", "report_lost", "verify_loss") else None).version)
        except Refused:
            pass
    row = state_of(travel.db, document_id)
    with travel.db.engine.connect() as conn:
        history = custody_history(conn, document_id)
    replayed = None
    for seq, event in enumerate(history, 1):
        assert (event.seq, event.from_state) == (seq, replayed)
        replayed = event.to_state
    assert replayed == row.state and row.version == len(history) == row.last_seq
    assert versions == sorted(set(versions)) and versions[-1] == row.version
