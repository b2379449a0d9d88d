from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    """The recorded time of a row (audit only: no rule reads it)."""
    return datetime.now(timezone.utc)


def postgresql_only(**options: Any) -> dict:
    """The `info=` of an Index with PostgreSQL-only options (`where=`, `include=`). Spelled as
    `postgresql_where=` they would make SQLAlchemy import its whole PostgreSQL dialect (and asyncio) in
    every process, SQLite's included, before a command does anything; kept here, they are attached by
    `attach_postgresql_options` when a PostgreSQL database is opened (models.db.open_database)."""
    return {"postgresql_only": options}


def attach_postgresql_options(metadata: MetaData) -> None:
    """Each index's `postgresql_only` options as its dialect keywords (SQLAlchemy's writable
    `dialect_kwargs`), as if given to Index(): CREATE INDEX and Alembic's comparison then see them."""
    for table in metadata.tables.values():
        for index in table.indexes:
            for name, value in index.info.get("postgresql_only", {}).items():
                index.dialect_kwargs[f"postgresql_{name}"] = value
