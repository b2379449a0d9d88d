"""Prepared statements (lostcontact.prepared) behave as SQLAlchemy's execution of the same statement: values
go in and come back typed, a duplicate is still a duplicate inside the unit of work, and listeners see them."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from lostcontact.prepared import Prepared
from lostcontact.uow import UnitOfWork
from models import Member, Org
from statemachines.errors import Conflict

_orgs, _members = Org.__table__, Member.__table__
_MEMBER = select(_members.c.join_date, _members.c.abroad, _members.c.updated_at, _orgs.c.path.label("branch_path")) \
    .join(_orgs, _orgs.c.id == _members.c.branch_id).where(_members.c.id_number == bindparam("id_number"))
_ADD_ORG = insert(_orgs).values(code=bindparam("code"), name="支部", level="branch", path="/1/", depth=0) \
    .returning(_orgs.c.id)


def _add_member(db, id_number: str) -> None:
    with UnitOfWork(db) as uow:
        org_id = Prepared(_ADD_ORG).run(uow.connection, {"code": f"B{id_number}"}).scalar()
        uow.connection.execute(insert(_members).values(
            id_number=id_number, name="张三", join_date=date(2000, 7, 1), standing="full", abroad=True,
            branch_id=org_id, last_contact_on=date(2015, 1, 1)))
        uow.commit()


def test_a_prepared_read_returns_what_sqlalchemy_returns(db):
    _add_member(db, "1")
    with UnitOfWork(db, write=False) as uow:
        prepared = Prepared(_MEMBER).run(uow.connection, {"id_number": "1"}).first()
        by_sqlalchemy = uow.connection.execute(_MEMBER, {"id_number": "1"}).one()
    assert tuple(prepared) == tuple(by_sqlalchemy)
    assert prepared.join_date == date(2000, 7, 1) and prepared.abroad is True
    assert prepared.branch_path == "/1/"


def test_a_duplicate_written_by_a_prepared_insert_is_a_conflict_and_nothing_is_kept(db):
    _add_member(db, "1")
    with pytest.raises(Conflict):
        with UnitOfWork(db) as uow:
            Prepared(_ADD_ORG).run(uow.connection, {"code": "B2"})
            Prepared(_ADD_ORG).run(uow.connection, {"code": "B1"})  # taken by the first member's branch
    with UnitOfWork(db, write=False) as uow:
        assert uow.connection.scalar(select(_orgs.c.code).where(_orgs.c.code == "B2")) is None


def test_a_driver_error_is_raised_as_sqlalchemys(db):
    _add_member(db, "1")
    with UnitOfWork(db) as uow:
        with pytest.raises(IntegrityError):
            Prepared(_ADD_ORG).run(uow.connection, {"code": "B1"})


def test_listeners_before_a_statement_see_the_prepared_one(db):
    seen = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()[:3]).upper())

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        _add_member(db, "1")
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert "INSERT INTO ORGS" in seen  # the prepared one (the member is inserted by SQLAlchemy's execution)


_SQLITE = sqlite.dialect()
_BY_JOIN_DATE = Prepared(select(_members.c.id).where(_members.c.join_date == bindparam("day", type_=_members.c.join_date.type)))


@given(st.dates() | st.datetimes() | st.none())
def test_a_date_is_bound_as_sqlalchemys_own_processor_binds_it(day):
    sqlalchemys = _members.c.join_date.type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
    assert _BY_JOIN_DATE.form(_SQLITE).arguments({"day": day}) == [sqlalchemys(day)]
