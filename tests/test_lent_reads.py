"""Within a web request each read unit of work lends its transaction to the next (uow.lending_reads): the
session lookup's to the page's reads, and those to one another, so a request's reads are one connection, one
pre-ping and one calendar check. A write ends what is lent, so a read after it sees it; nothing is lent
outside a request, when the pool has no slot to spare or after an error; and nothing stays checked out once
the request is over."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from lostcontact.services.orgs import add_org
from lostcontact.uow import UnitOfWork, lending_reads
from models import Org


@contextmanager
def checkouts_of(db):
    """The number of connections checked out of the pool meanwhile (a list of one, read after the block)."""
    with UnitOfWork(db, write=False) as uow:  # the first unit of work on a database also asks for its tables
        orgs_in(uow)
    counted = [0]

    def checkout(*_args):
        counted[0] += 1

    event.listen(db.engine, "checkout", checkout)
    try:
        yield counted
    finally:
        event.remove(db.engine, "checkout", checkout)


def orgs_in(uow) -> int:
    return uow.connection.execute(select(func.count()).select_from(Org)).scalar_one()


def lookup_that_lends(db) -> int:
    with UnitOfWork(db, write=False) as uow:
        return orgs_in(uow)


def test_the_pages_reads_take_over_the_session_lookups_transaction_and_it_ends_with_the_request(db):
    with checkouts_of(db) as checkouts:
        with lending_reads():
            lookup_that_lends(db)
            assert db.engine.pool.checkedout() == 1  # kept for the page, not returned
            with UnitOfWork(db, write=False) as uow:
                orgs_in(uow)
    assert checkouts == [1]
    assert db.engine.pool.checkedout() == 0


def test_a_lent_transaction_nobody_takes_over_ends_with_the_request(db):
    with lending_reads():
        lookup_that_lends(db)
    assert db.engine.pool.checkedout() == 0


def test_outside_a_request_nothing_is_lent(db):
    with checkouts_of(db) as checkouts:
        lookup_that_lends(db)
        assert db.engine.pool.checkedout() == 0
        with UnitOfWork(db, write=False) as uow:
            orgs_in(uow)
    assert checkouts == [2]


def test_a_read_after_a_write_in_the_same_request_sees_the_write(db):
    with lending_reads():
        before = lookup_that_lends(db)
        with UnitOfWork(db) as uow:
            add_org(uow.session, code="LEND1", name="借用测试组织", level="county")
            uow.commit()
        with UnitOfWork(db, write=False) as uow:
            assert orgs_in(uow) == before + 1
    assert db.engine.pool.checkedout() == 0


def test_nothing_is_lent_when_the_pool_has_no_slot_to_spare(db):
    held = [db.engine.connect() for _ in range(db.engine.pool.size() - 1)]
    try:
        with checkouts_of(db) as checkouts:
            with lending_reads():
                lookup_that_lends(db)
                assert db.engine.pool.checkedout() == len(held)
                with UnitOfWork(db, write=False) as uow:
                    orgs_in(uow)
        assert checkouts == [2]
    finally:
        for connection in held:
            connection.close()


def test_a_unit_of_work_that_failed_lends_nothing(db):
    with lending_reads():
        with pytest.raises(ZeroDivisionError):
            with UnitOfWork(db, write=False) as uow:
                orgs_in(uow)
                1 / 0
        assert db.engine.pool.checkedout() == 0


def test_every_read_of_a_request_goes_on_in_the_first_ones_transaction_session_or_not(db):
    with checkouts_of(db) as checkouts:
        with lending_reads():
            lookup_that_lends(db)
            for _ in range(3):
                with UnitOfWork(db, write=False) as uow:
                    assert uow.session.scalar(select(func.count()).select_from(Org)) == orgs_in(uow)
                assert db.engine.pool.checkedout() == 1  # its session closed, its transaction lent on
    assert checkouts == [1]
    assert db.engine.pool.checkedout() == 0


def test_a_write_unit_of_work_lends_nothing(db):
    with lending_reads() as lent:
        with UnitOfWork(db) as uow:
            add_org(uow.session, code="LEND2", name="借用测试组织二", level="county")
            uow.commit()
        assert lent == {}
        with UnitOfWork(db) as uow:  # nor hands on what it left uncommitted
            add_org(uow.session, code="LEND3", name="借用测试组织三", level="county")
        assert lent == {}
        with UnitOfWork(db, write=False) as uow:
            codes = set(uow.connection.scalars(select(Org.code)))
        assert list(lent) == [db.engine]  # the read lends on
    assert "LEND2" in codes and "LEND3" not in codes
    assert lent == {} and db.engine.pool.checkedout() == 0
