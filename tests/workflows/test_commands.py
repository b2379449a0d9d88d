"""`sweep`, `alerts`, `policy`, `campaign` from the command line and their services."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services import campaigns, policy_admin
from lostcontact.uow import UnitOfWork
from models import Case, CaseEvent, Deadline, TallySnapshot
from statemachines.errors import Refused
from statemachines.policy import default_policy_text
from tests.builders import build_world
from tests.cli.conftest import Cli

from .helpers import alert_rows, days, sweep

ALERT_KEYS = {"subject_kind", "subject_id", "case_id", "rule", "level", "org", "due_on", "raised_on", "message"}


@pytest.fixture
def cli(sqlite_db, monkeypatch):
    from lostcontact.cli import common
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    yield Cli(sqlite_db.url, monkeypatch)
    common._state.clear()


def test_sweep_says_it_ran_in_process_and_alerts_lists_them_in_the_interface_shape(sqlite_db, cli, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    world = build_world(sqlite_db)
    idn = world.add_member("命令", branch="B3", last_contact=date(2015, 9, 30))
    result = cli("sweep", "--as-of", "2016-03-01")
    assert result.exit_code == 0, result.output
    assert "ran in-process" in result.output and "R2" in result.output
    rows = cli.json("alerts", "--as-of", "2016-03-01")
    assert [set(r) - {"light", "member_name", "org_name"} for r in rows] == [ALERT_KEYS]
    assert (rows[0]["member_name"], rows[0]["org_name"]) == ("命令", "社区党支部")  # added for people to read
    assert (rows[0]["subject_kind"], rows[0]["subject_id"], rows[0]["rule"], rows[0]["level"], rows[0]["org"],
            rows[0]["light"]) == ("member", idn[:6] + "********" + idn[-4:], "R2", "reminder", "B3", "yellow")
    assert cli.json("alerts", "--as-of", "2016-02-29") == []           # not yet raised then
    assert cli.json("alerts", "--as-of", "2016-03-01", "--actor", "officer1") == []  # B3 is not officer1's
    assert cli("alerts", "--as-of", "2999-01-01").exit_code == 3
    assert cli("sweep", "--as-of", "2999-01-01").exit_code == 3


def test_a_new_policy_recounts_open_due_dates_at_the_next_sweep_with_its_version(db, tmp_path):
    world = build_world(db)
    world.add_member("策略", last_contact=date(2015, 8, 31))
    sweep(db, date(2016, 3, 1))                                       # due 8 March under default-1 (5 days)
    path = tmp_path / "policy.toml"
    path.write_text(default_policy_text().replace('version = "default-1"', 'version = "county-2"')
                    .replace("lost_contact = 5\n", "lost_contact = 8\n", 1), encoding="utf-8")
    with pytest.raises(Refused):
        policy_admin.load_policy(db, str(path), actor_login="officer1", today=date(2016, 3, 2))
    policy_admin.load_policy(db, str(path), actor_login="admin1", today=date(2016, 3, 2))
    assert policy_admin.show_policy(db, today=date(2016, 3, 2))["current"] == "county-2"
    report = sweep(db, date(2016, 3, 2))
    assert report.counts["due_dates_recomputed"] == 1
    with UnitOfWork(db, write=False) as uow:
        deadlines = uow.session.execute(select(Deadline.due_on, Deadline.policy_version, Deadline.effective_on)
                                        .order_by(Deadline.id)).all()
        case = uow.session.execute(select(Case.due_on, Case.policy_version)).one()
    assert deadlines == [(date(2016, 3, 8), "default-1", date(2016, 3, 1)),
                         (date(2016, 3, 11), "county-2", date(2016, 3, 2))]
    assert tuple(case) == (date(2016, 3, 11), "county-2")
    assert sweep(db, date(2016, 3, 3)).counts["due_dates_recomputed"] == 0


def test_orgs_that_miss_a_milestone_are_alerted_then_escalated_until_they_submit(db):
    build_world(db)
    campaigns.add_campaign(db, "2016年集中排查", start=date(2016, 3, 1), end=date(2016, 6, 30))
    campaigns.add_milestone(db, "2016年集中排查", "registers", due=date(2016, 3, 18), level="committee",
                            title="报送失联党员名册")
    for day in days(date(2016, 3, 18), date(2016, 3, 28)):
        sweep(db, day)
    raised = sorted((a["subject_id"], a["level"], a["org"], a["raised_on"]) for a in alert_rows(db, rule="R10"))
    c1, c2 = sorted({a["subject_id"] for a in alert_rows(db, rule="R10")})
    assert raised == sorted([(c1, "reminder", "C1", date(2016, 3, 19)), (c1, "escalated", "410402", date(2016, 3, 26)),
                             (c2, "reminder", "C2", date(2016, 3, 19)), (c2, "escalated", "410402", date(2016, 3, 26))])
    with pytest.raises(Refused):
        campaigns.submit(db, "2016年集中排查", "registers", org_code="C1", actor_login="supervisor1",
                         today=date(2016, 3, 28))
    submission = campaigns.submit(db, "2016年集中排查", "registers", org_code="C1", actor_login="reviewer1",
                                  today=date(2016, 3, 28), as_of=date(2016, 3, 20))
    sweep(db, date(2016, 3, 29))
    still_open = {(a["org"], a["level"]) for a in alert_rows(db, rule="R10") if a["closed_on"] is None}
    assert still_open == {("C2", "reminder"), ("410402", "escalated")}
    with UnitOfWork(db, write=False) as uow:
        frozen = uow.session.execute(select(TallySnapshot.as_of).where(TallySnapshot.submission_id == submission)).all()
    assert frozen == [(date(2016, 3, 20),)]


def test_the_sweep_opens_a_case_with_exactly_the_rows_a_hand_opening_writes(db):
    from lostcontact.services.cases import open_case
    world = build_world(db)
    by_hand = world.add_member("手工", last_contact=date(2015, 8, 31))
    open_case(db, by_hand, actor_login="officer1", today=date(2016, 3, 1))
    world.add_member("自动", last_contact=date(2015, 8, 31))
    sweep(db, date(2016, 3, 1))
    # who opened it differs; `version` is only the optimistic-lock counter (the ORM path flushes twice)
    skip = {"id", "member_id", "origin", "case_id", "actor", "role", "grant_org_id", "recorded_at", "version"}
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        rows = []
        for model in (Case, CaseEvent, Deadline):
            pair = s.scalars(select(model).order_by(model.id)).all()
            rows.append([{k: v for k, v in vars(r).items() if not k.startswith("_") and k not in skip} for r in pair])
    for hand, swept in rows:
        assert hand == swept


def test_the_alerts_table_names_the_member_and_the_org_and_says_the_rule_in_words(sqlite_db, cli, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    world = build_world(sqlite_db)
    world.add_member("表格", branch="B3", last_contact=date(2015, 9, 30))
    assert cli("sweep", "--as-of", "2016-03-01").exit_code == 0
    table = cli("alerts", "--as-of", "2016-03-01").output
    assert "表格" in table and "社区党支部（B3）" in table and "五个月预警（提醒）" in table
    assert "R2" not in table
