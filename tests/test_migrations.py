"""The migrations build exactly the schema the models describe, on both engines."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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


def test_migrations_match_the_models_on_postgresql(pg_server):
    url = pg_server.create_database()
    database = open_database(url)
    try:
        upgrade(database)
        assert _diff(database) == []
    finally:
        database.dispose()
        pg_server.drop_database(url)
