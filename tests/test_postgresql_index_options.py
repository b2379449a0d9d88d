"""The indexes' PostgreSQL-only options (a partial index's WHERE, a covering index's INCLUDE) are declared
beside the index (models.base.postgresql_only) but out of SQLAlchemy's sight until a PostgreSQL database
is opened, so that a command on SQLite never imports the PostgreSQL dialect. On PostgreSQL they are all
there: the schema the models create is, index by index, the schema the migrations build."""
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

from models import Base
from models.base import attach_postgresql_options
from models.db import open_database
from models.migrate import upgrade


def _postgresql_only_indexes():
    return {index.name: index for table in Base.metadata.tables.values() for index in table.indexes
            if index.info.get("postgresql_only")}


def test_the_postgresql_options_compile_into_the_postgresql_create_index():
    attach_postgresql_options(Base.metadata)
    attach_postgresql_options(Base.metadata)  # opening a second PostgreSQL database changes nothing
    indexes = _postgresql_only_indexes()
    ddl = {name: str(CreateIndex(index).compile(dialect=postgresql.dialect())) for name, index in indexes.items()}
    assert ddl["uq_cases_open_member"].endswith("WHERE state NOT IN ('closed', 'deceased', 'voided')")
    assert ddl["ix_cases_superseded_on"].endswith("WHERE superseded_on IS NOT NULL")
    assert ddl["ix_alerts_open_rule"].endswith("WHERE closed_on IS NULL")
    assert "INCLUDE (id)" in ddl["ix_cases_last_event_on"]
    assert ddl["ix_cases_open_branch_due"].count("WHERE") == 1


def _index_definitions(database) -> dict[str, str]:
    with database.engine.connect() as conn:
        return dict(conn.execute(text("SELECT indexname, indexdef FROM pg_indexes "
                                      "WHERE schemaname = current_schema()")).all())


def test_on_postgresql_the_models_create_the_indexes_the_migrations_build(pg_server):
    migrated_url, created_url = pg_server.create_database(), pg_server.create_database()
    migrated, created = open_database(migrated_url), open_database(created_url)
    try:
        upgrade(migrated)
        Base.metadata.create_all(created.engine)
        built, declared = _index_definitions(migrated), _index_definitions(created)
        for name in _postgresql_only_indexes():
            assert declared[name] == built[name]
            assert " WHERE " in declared[name] or " INCLUDE " in declared[name]
    finally:
        migrated.dispose()
        created.dispose()
        pg_server.drop_database(migrated_url)
        pg_server.drop_database(created_url)

