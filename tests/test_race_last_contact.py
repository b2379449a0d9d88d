"""A member's last contact only moves forward, even when two contacts are recorded at the same moment
(issue 13: a write that read the member row and wrote it back could put the earlier date over the later)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.services.members import add_contact
from lostcontact.uow import UnitOfWork
from models import Member

from .builders import build_world
from .races import HoldAtFirstWrite

TODAY = date(2016, 6, 20)
ROUNDS = 10
EARLIER, LATER = date(2016, 5, 1), date(2016, 6, 1)


@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_two_contacts_recorded_at_once_leave_the_later_date_as_the_last_contact(db):
    world = build_world(db)
    for serial in range(1, ROUNDS + 1):
        id_number = world.add_member(f"党员{serial}", last_contact=date(2015, 8, 31), serial=serial)

        def record(day: date):
            return add_contact(db, id_number, on=day, kind="org_life", actor_login="officer1", today=TODAY)

        with HoldAtFirstWrite(db.engine, "INSERT INTO CONTACT_EVENTS"), ThreadPoolExecutor(2) as pool:
            assert [f.result(timeout=60) for f in [pool.submit(record, LATER), pool.submit(record, EARLIER)]] == [
                True, True]
        with UnitOfWork(db, write=False) as uow:
            assert uow.session.scalar(select(Member.last_contact_on).where(Member.id_number == id_number)) == LATER
