"""A concurrent change is refused as a conflict (exit 3) wherever it surfaces, not only at the commit
(issue 13): the loser of two hand-opens of one member meets the winner's case at its flush, and a write
while another process holds SQLite's write lock fails at its first statement."""
from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from lostcontact.services.cases import open_case
from lostcontact.services.members import add_contact
from lostcontact.uow import UnitOfWork
from models import Base, Case, ContactEvent
from models.db import open_database
from statemachines.errors import Conflict, LostContactError, Refused

from .builders import build_world
from .races import HoldAtFirstWrite, mark_migrated, outcome, race_commands

TODAY = date(2016, 6, 20)


@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_the_loser_of_two_hand_opens_of_one_member_is_refused_not_an_internal_error(db):
    world = build_world(db)
    id_number = world.add_member("张三", last_contact=date(2015, 8, 31))

    def open_it():
        return outcome(lambda: open_case(db, id_number, actor_login="officer1", today=TODAY))

    # both are released together just before they read (and lock) the member: the second waits for the first,
    # then finds its case; were the read not locking, it would meet the case in the unique index instead
    with HoldAtFirstWrite(db.engine, "SELECT MEMBERS"), ThreadPoolExecutor(2) as pool:
        outcomes = [f.result(timeout=120) for f in [pool.submit(open_it), pool.submit(open_it)]]

    opened = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, LostContactError)]
    assert len(opened) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], Refused) and refused[0].exit_code == 3
    assert ("already has an open case" in refused[0].en or "just opened by someone else" in refused[0].en), \
        refused[0].en
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 1


@pytest.mark.slow
@pytest.mark.postgresql
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_two_processes_opening_one_member_by_hand_at_once_one_opens_and_the_other_exits_3(db):
    world = build_world(db)
    mark_migrated(db)
    for serial in range(1, 4):  # repeated: each round a fresh member, both processes released together
        id_number = world.add_member(f"党员{serial}", last_contact=date(2015, 8, 31), serial=serial)
        args = ("case", "open", id_number, "--at", "2016-06-01", "--actor", "officer1")
        results = race_commands(db.url, ("SELECT MEMBERS", args), ("SELECT MEMBERS", args))
        assert sorted(r.returncode for r in results) == [0, 3], [(r.returncode, r.stderr) for r in results]
        loser = next(r for r in results if r.returncode)
        assert "错误" in loser.stderr and "Traceback" not in loser.stderr
        with UnitOfWork(db, write=False) as uow:
            assert uow.session.scalar(select(func.count()).select_from(Case)) == serial


def test_a_write_while_another_process_holds_the_sqlite_lock_is_refused_as_busy(tmp_path):
    path = tmp_path / "busy.db"
    setup = open_database(f"sqlite:///{path}")
    Base.metadata.create_all(setup.engine)
    world = build_world(setup)
    id_number = world.add_member("李四", last_contact=date(2015, 8, 31))
    setup.dispose()
    impatient = open_database(f"sqlite:///{path}", busy_seconds=0.2)
    other_process = sqlite3.connect(path, isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # another writer holds the lock for as long as it likes
    try:
        with pytest.raises(Conflict) as refused:
            add_contact(impatient, id_number, on=date(2016, 6, 1), kind="org_life", actor_login="officer1",
                        today=TODAY)
    finally:
        other_process.execute("ROLLBACK")
        other_process.close()

    assert refused.value.exit_code == 3
    assert "数据库正忙" in refused.value.zh
    with UnitOfWork(impatient, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(ContactEvent)) == 1  # only the builder's
    impatient.dispose()


def test_a_bug_that_breaks_a_constraint_other_than_a_unique_key_stays_an_internal_error(db):
    build_world(db)
    with pytest.raises(Exception) as failure:
        with UnitOfWork(db) as uow:
            uow.session.add(ContactEvent(member_id=None, on_date=TODAY, kind="org_life", source="test"))
            uow.session.flush()
    assert not isinstance(failure.value, LostContactError)
