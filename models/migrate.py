"""Run the Alembic migrations programmatically (`lostcontact init`)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from .db import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(db: Database) -> None:
    with db.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def new_revision(db: Database, message: str) -> None:
    """Developer aid: autogenerate the next revision against an up-to-date database."""
    with db.engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
