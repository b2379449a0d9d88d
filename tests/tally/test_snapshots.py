"""Snapshots (R10): what an org reported stays as reported, and can be shown beside today's figures."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lostcontact.orgtree import org_by_code
from lostcontact.queries.tally import tally
from lostcontact.queries.tally.snapshots import snapshot_beside_today
from lostcontact.services.snapshots import freeze_tally, store_tally
from lostcontact.uow import UnitOfWork
from models import TallySnapshot
from statemachines.errors import Refused

from .driver import REVIEWER, Driver
from .scenario import PAST, TODAY, build_scenario


def test_a_frozen_tally_is_stored_in_the_callers_unit_of_work_only_when_it_commits(db):
    build_scenario(db)
    with UnitOfWork(db) as uow:
        snapshot_id = freeze_tally(uow.session, org_id=org_by_code(uow.session, "C1").id, as_of=PAST,
                                   submission_id=None)
        # not committed: the caller (e.g. campaign submit) decides
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.get(TallySnapshot, snapshot_id) is None
    with UnitOfWork(db) as uow:
        snapshot_id = freeze_tally(uow.session, org_id=org_by_code(uow.session, "C1").id, as_of=PAST,
                                   submission_id=7)
        uow.commit()
    with UnitOfWork(db, write=False) as uow:
        stored = uow.session.get(TallySnapshot, snapshot_id)
        assert (stored.as_of, stored.submission_id) == (PAST, 7)
        assert json.loads(stored.tree) == tally(db, today=TODAY, org_code="C1", as_of=PAST)[0].as_json(PAST)


def test_a_snapshot_keeps_what_was_reported_while_today_moves_on(db):
    sc = build_scenario(db)
    stored = store_tally(db, today=TODAY, org_code="B3", as_of=date(2016, 3, 31))
    assert stored.tree["columns"]["A"] == 3 and stored.tree["columns"]["X"] == 0
    Driver(db, TODAY).fire(sc.cases["孙八"], "record_expulsion", TODAY, REVIEWER["B3"], opinion="纪委决定开除党籍")
    view = snapshot_beside_today(db, stored.snapshot_id, today=TODAY)
    assert view["snapshot"]["tally"] == stored.tree                     # unchanged
    assert view["today"]["columns"]["X"] == 1 and view["today"]["columns"]["V"] == 1
    assert view["change"]["X"] == 1 and view["change"]["W"] == -2 and view["change"]["A"] == 0


def test_a_snapshot_outside_the_actors_subtree_is_refused(db):
    build_scenario(db)
    stored = store_tally(db, today=TODAY, org_code="B3", as_of=PAST)
    with pytest.raises(Refused):
        snapshot_beside_today(db, stored.snapshot_id, today=TODAY, actor_login="officer1")
    assert snapshot_beside_today(db, stored.snapshot_id, today=TODAY, actor_login="officer3")["snapshot"]["org"] == "B3"


def test_a_campaign_submission_freezes_the_orgs_tally_as_of_its_date(db):
    from lostcontact.services.campaigns import add_campaign, add_milestone, submit
    build_scenario(db)
    add_campaign(db, "2016集中排查", start=date(2016, 2, 1), end=date(2016, 6, 30))
    add_milestone(db, "2016集中排查", "registers", due=date(2016, 3, 20), level="committee", title="报送登记表")
    submission = submit(db, "2016集中排查", "registers", org_code="C1", actor_login="reviewer1", today=TODAY,
                        as_of=PAST)
    with UnitOfWork(db, write=False) as uow:
        stored = uow.session.execute(select(TallySnapshot.tree).where(TallySnapshot.submission_id == submission)
                                     ).scalar_one()
    assert json.loads(stored) == tally(db, today=TODAY, org_code="C1", as_of=PAST)[0].as_json(PAST)


def test_the_milestone_schedule_freezes_each_owing_org_once(db):
    from lostcontact.services.campaigns import add_campaign, add_milestone
    from lostcontact.services.snapshots import milestone_orgs
    build_scenario(db)
    add_campaign(db, "2016集中排查", start=date(2016, 2, 1), end=date(2016, 6, 30))
    add_milestone(db, "2016集中排查", "registers", due=PAST, level="committee", title="报送登记表")
    assert milestone_orgs(db, PAST - timedelta(days=1)) == []
    assert milestone_orgs(db, PAST) == ["C1", "C2"]
    store_tally(db, today=TODAY, org_code="C1", as_of=PAST)
    assert milestone_orgs(db, PAST) == ["C2"]
