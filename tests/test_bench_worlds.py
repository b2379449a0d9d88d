"""bench/worlds.py: a world built faster is the same world — indexes made again as they were, a copy to
PostgreSQL row for row (awkward strings, empty strings and NULLs included) with its sequences past the copied
ids — and worlds built side by side come back in the order asked for."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import partial

import pytest
from sqlalchemy import insert, select, text

from bench.worlds import copy_to_postgresql, in_parallel, indexes_deferred
from models import Base, Org, User
from models.db import open_database

AWKWARD = ("tab\there", "line\nbreak", "back\\slash \\N", "carriage\rreturn", "", "普通的名字")


def _indexes(conn) -> list[tuple]:
    return conn.exec_driver_sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' "
                                "ORDER BY name").all()


def test_indexes_deferred_are_gone_during_the_load_and_the_same_afterwards(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'world.db'}")
    Base.metadata.create_all(db.engine)
    with db.writer.connect() as conn, conn.begin():
        before = _indexes(conn)
        with indexes_deferred(conn, ["orgs", "users"]):
            during = _indexes(conn)
            conn.execute(insert(Org), [dict(id=1, code="P", name="省", level="province", path="/1/", depth=0)])
        after = _indexes(conn)
    db.dispose()
    assert {name for name, table, _sql in during if table == "orgs"} < {name for name, table, _sql in before
                                                                         if table == "orgs"}
    assert all(sql is None for _name, table, sql in during if table in ("orgs", "users"))  # a key's own index stays
    assert after == before


@pytest.mark.slow  # a PostgreSQL database
def test_a_world_copied_to_postgresql_has_the_same_rows_and_gives_new_ids_after_them(tmp_path, pg_server):
    source = open_database(f"sqlite:///{tmp_path / 'world.db'}")
    Base.metadata.create_all(source.engine)
    orgs = [dict(id=k + 1, code=f"O{k}", name=name, parent_id=None, level="branch", org_type=None, path=f"/{k + 1}/",
                 depth=0)
            for k, name in enumerate(AWKWARD)]
    made = datetime(2019, 1, 1, 8, 30, tzinfo=timezone.utc)
    users = [dict(id=7, login="named", name="工作人员", created_at=made, failed_logins=0),
             dict(id=9, login="unnamed", name=None, created_at=made, failed_logins=2)]
    with source.writer.begin() as conn:
        conn.execute(insert(Org), orgs)
        conn.execute(insert(User), users)
    source.dispose()
    url = pg_server.create_database()
    try:
        copied = copy_to_postgresql(f"sqlite:///{tmp_path / 'world.db'}", url)
        target = open_database(url)
        with target.writer.begin() as conn:
            assert copied["orgs"] == len(AWKWARD) and copied["users"] == 2
            got_orgs = [dict(row._mapping) for row in conn.execute(select(Org).order_by(Org.id))]
            got_users = [(row.id, row.login, row.name, row.created_at, row.failed_logins)
                         for row in conn.execute(select(User).order_by(User.id))]
            new_id = conn.execute(insert(Org).values(code="N", name="新", level="branch", path="/x/", depth=0)
                                  .returning(Org.id)).scalar_one()
            checked = conn.execute(text("SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
                                        "AND conrelid = 'orgs'::regclass")).scalar_one()
        target.dispose()
    finally:
        pg_server.drop_database(url)
    assert got_orgs == orgs
    assert got_users == [(u["id"], u["login"], u["name"], u["created_at"], u["failed_logins"]) for u in users]
    assert new_id == len(AWKWARD) + 1
    assert checked == 1  # the parent's foreign key, dropped for the copy, is back


def test_tasks_run_side_by_side_give_their_results_in_the_order_asked():
    assert in_parallel([partial(pow, 2, 10), partial(pow, 3, 2), partial(divmod, 7, 2)]) == [1024, 9, (3, 1)]
