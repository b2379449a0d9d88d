"""The sweep closes only the case alerts that can have become closable since the previous sweep
(services.alert_closing, ClosedBefore): those of a case with a record recorded since it (a back-dated one too)
or in force since its day. It closes exactly what looking at every open alert closes, on the same days."""
from __future__ import annotations

from datetime import date

from lostcontact.services import sweep as sweep_service
from lostcontact.services.cases import fire
from tests.builders import build_world

from .helpers import alert_rows, case_id_of, fresh_sqlite, state_of_the_world, sweep

OPENED = date(2016, 3, 1)  # last contact 2015-08-31: R1 opens the case as of 1 March; step 1 due 8 March


def step_one_alerts(db):
    return [(a["level"], a["raised_on"], a["closed_on"]) for a in alert_rows(db, rule="R5") if a["step_seq"] == 1]


def test_a_record_recorded_before_the_previous_sweep_and_in_force_after_its_day_closes_the_alert(db):
    """The sweep of 10 March runs late, after the search started on the 12th was recorded: it replays the
    10th, raising the alerts of step 1 (open that day), which the next sweep closes as of the 12th although
    the record is older than that sweep's high-water marks."""
    world = build_world(db)
    idn = world.add_member("甲", last_contact=date(2015, 8, 31))
    sweep(db, OPENED)
    fire(db, case_id_of(db, idn), "start_search", actor_login="officer1", today=date(2016, 3, 12))
    sweep(db, date(2016, 3, 10))
    assert step_one_alerts(db) == [("reminder", date(2016, 3, 10), None), ("overdue", date(2016, 3, 10), None)]
    sweep(db, date(2016, 3, 13))
    assert step_one_alerts(db) == [("reminder", date(2016, 3, 10), date(2016, 3, 12)),
                                   ("overdue", date(2016, 3, 10), date(2016, 3, 12))]


def _a_month_of_late_and_back_dated_records(db):
    world = build_world(db)
    members = [world.add_member(name, last_contact=date(2015, 8, 31)) for name in ("甲", "乙", "丙", "丁")]
    sweep(db, OPENED)
    first, second, third, fourth = (case_id_of(db, idn) for idn in members)
    sweep(db, date(2016, 3, 9))                      # step 1 overdue for all four
    fire(db, first, "start_search", actor_login="officer1", today=date(2016, 3, 12))
    fire(db, second, "start_search", actor_login="officer1", today=date(2016, 3, 14), at=date(2016, 3, 11))
    sweep(db, date(2016, 3, 10))                     # late: replays the 10th for the first two
    sweep(db, date(2016, 3, 11))
    fire(db, third, "start_search", actor_login="officer1", today=date(2016, 3, 15), at=date(2016, 3, 10))
    sweep(db, date(2016, 3, 15))
    sweep(db, date(2016, 3, 15))                     # a second run the same day
    fire(db, fourth, "start_search", actor_login="officer1", today=date(2016, 3, 20))
    sweep(db, date(2016, 3, 18))                     # late again
    for day in (date(2016, 3, 21), date(2016, 4, 20), date(2016, 4, 28)):
        sweep(db, day)
    return state_of_the_world(db)


def test_closing_what_changed_closes_what_looking_at_every_open_alert_closes(db, tmp_path, monkeypatch):
    real, taken = sweep_service.closed_before, []
    monkeypatch.setattr(sweep_service, "closed_before", lambda s, run: taken.append(real(s, run)) or taken[-1])
    incremental = _a_month_of_late_and_back_dated_records(db)
    assert sum(closed is not None for closed in taken) >= 5  # most runs closed only what changed
    monkeypatch.setattr(sweep_service, "closed_before", lambda s, run: None)
    every_open_alert = _a_month_of_late_and_back_dated_records(fresh_sqlite(tmp_path / "full.db"))
    assert incremental == every_open_alert
    closed = [dict(a)["closed_on"] for a in incremental["alerts"]]
    assert closed.count(None) < len(closed) and len(set(closed)) > 2  # alerts closed, on several days
