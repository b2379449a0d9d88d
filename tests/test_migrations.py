"""The migrations build exactly the schema the models describe, on both engines."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import pytest

from models import Base
from models.db import open_database
from models.migrate import upgrade


def _diff(database):
    with database.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def test_migrations_match_the_models_on_sqlite(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(database)
    assert _diff(database) == []


@pytest.mark.slow  # every migration on a fresh PostgreSQL database
def test_migrations_match_the_models_on_postgresql(pg_server):
    url = pg_server.create_database()
    database = open_database(url)
    try:
        upgrade(database)
        assert _diff(database) == []
    finally:
        database.dispose()
        pg_server.drop_database(url)


def test_on_postgresql_the_case_history_refuses_update_and_delete(pg_server):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    url = pg_server.create_database()
    database = open_database(url)
    try:
        upgrade(database)
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO orgs (code, name, level, path, depth) VALUES ('B', 'b', 'branch', '/1/', 0)"))
            conn.execute(text("INSERT INTO members (id_number, name, join_date, standing, branch_id, mobile, reported,"
                              " abroad, receipt_returned, last_contact_on, updated_at) VALUES ('x', 'm', '2000-01-01',"
                              " 'full', 1, false, false, false, false, '2000-01-01', now())"))
            conn.execute(text("INSERT INTO cases (member_id, branch_id, state, origin, opened_on, lost_since, step_seq,"
                              " step_entered_on, due_provisional, policy_version, last_event_on, last_seq, version)"
                              " VALUES (1, 1, 'lost_contact', 'R1', '2016-03-01', '2015-08-31', 1, '2016-03-01',"
                              " false, 'v', '2016-03-01', 1, 1)"))
            conn.execute(text("INSERT INTO case_events (case_id, seq, trigger, to_state, actor, role, effective_on,"
                              " recorded_at) VALUES (1, 1, 'open', 'lost_contact', 'system', 'system', '2016-03-01',"
                              " now())"))
        for statement in ("UPDATE case_events SET opinion = 'rewritten'", "DELETE FROM case_events"):
            with pytest.raises(DBAPIError, match="append-only"):
                with database.engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        database.dispose()
        pg_server.drop_database(url)
