"""On PostgreSQL no history can be rewritten or emptied (issue 13): not the case history, nor search-log
entries, contact events or any other effective-dated record; not by UPDATE or DELETE as the application's
least-privilege role (infra/pg-grants.sql), and not by TRUNCATE even as the schema owner. The application's
own work (a case through its search, a contact, a sweep) still runs on the migrated database."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lostcontact.policies import ensure_default_policy
from lostcontact.services.cases import fire, log_search, open_case
from lostcontact.services.members import add_contact
from lostcontact.uow import UnitOfWork
from models.db import open_database
from models.migrate import upgrade

from .builders import build_world
from .workflows.helpers import sweep

pytestmark = pytest.mark.postgresql

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2016, 6, 20)
HISTORY = ("case_events", "search_entries", "contact_events", "member_changes", "deadlines", "attachments",
           "audit_log", "policy_versions", "tally_snapshots")
REWRITES = ("UPDATE search_entries SET outcome = 'no_answer'", "DELETE FROM search_entries",
            "UPDATE contact_events SET on_date = '2016-01-01'", "UPDATE deadlines SET due_on = '2030-01-01'",
            "UPDATE policy_versions SET body = ''", "UPDATE case_events SET opinion = 'rewritten'")


@pytest.fixture
def migrated(pg_server):
    """A migrated database where a case was searched and reached, a contact recorded and a sweep run."""
    url = pg_server.create_database()
    db = open_database(url)
    try:
        upgrade(db)
        with UnitOfWork(db) as uow:
            ensure_default_policy(uow.session)
            uow.commit()
        world = build_world(db)
        id_number = world.add_member("张三", last_contact=date(2015, 8, 31))
        case_id = open_case(db, id_number, actor_login="officer1", today=TODAY, at=date(2016, 3, 1))
        fire(db, case_id, "start_search", actor_login="officer1", today=TODAY, at=date(2016, 3, 2))
        log_search(db, case_id, channel="phone", outcome="reached", actor_login="officer1", today=TODAY,
                   at=date(2016, 3, 3))
        add_contact(db, world.add_member("李四", last_contact=date(2015, 8, 31)), on=date(2016, 6, 1),
                    kind="org_life", actor_login="officer1", today=TODAY)
        sweep(db, TODAY)
        yield db
    finally:
        db.dispose()
        pg_server.drop_database(url)


def _refused(db, statement: str, *, role: str | None = None) -> str:
    with pytest.raises(DBAPIError) as refusal:
        with db.engine.begin() as conn:
            if role:
                conn.execute(text(f"SET LOCAL ROLE {role}"))
            conn.execute(text(statement))
    return str(refusal.value.orig)


def test_even_the_owner_cannot_truncate_any_history_table(migrated):
    for table in HISTORY:
        assert "append-only" in _refused(migrated, f"TRUNCATE {table} CASCADE"), table
    # nor reach them through a cascade from the cases they belong to
    assert "append-only" in _refused(migrated, "TRUNCATE cases CASCADE")
    with migrated.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM search_entries")) == 1


def test_the_owner_cannot_rewrite_a_search_entry_a_contact_or_any_other_dated_record(migrated):
    for statement in REWRITES:
        assert "append-only" in _refused(migrated, statement), statement


def test_the_least_privilege_role_cannot_rewrite_a_reached_entry(migrated):
    with migrated.engine.begin() as conn:  # the script as psql runs it: no parameters, its % signs literal
        conn.connection.driver_connection.cursor().execute((ROOT / "infra" / "pg-grants.sql").read_text("utf-8"))
    for statement in REWRITES + ("TRUNCATE search_entries",):
        message = _refused(migrated, statement, role="lostcontact_app")
        assert "permission denied" in message or "append-only" in message, statement
    with migrated.engine.connect() as conn:
        assert conn.scalar(text("SELECT outcome FROM search_entries")) == "reached"


def test_the_least_privilege_role_rebuilds_the_derived_steps_of_a_case(migrated):
    from models.case_steps import refresh_steps

    with migrated.engine.begin() as conn:
        conn.connection.driver_connection.cursor().execute((ROOT / "infra" / "pg-grants.sql").read_text("utf-8"))
    with migrated.engine.begin() as conn:
        conn.execute(text("SET LOCAL ROLE lostcontact_app"))
        refresh_steps(conn, "SELECT id FROM cases")
        assert conn.scalar(text("SELECT count(*) FROM case_steps WHERE left_on IS NULL")) == 1
