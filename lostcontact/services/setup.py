"""Creating and upgrading a database (`lostcontact init`)."""
from __future__ import annotations

from models.db import Database, schema_exists
from statemachines.errors import LostContactError

from ..policies import ensure_default_policy
from ..uow import UnitOfWork


def init_database(db: Database, policy_path: str | None = None) -> None:
    from models.migrate import upgrade  # Alembic only here: every command checks the schema, few migrate it

    upgrade(db)
    with UnitOfWork(db) as uow:
        ensure_default_policy(uow.session, policy_path)
        uow.commit()


def require_schema(db: Database) -> None:
    if not schema_exists(db):
        raise LostContactError("数据库尚未初始化，请先运行 lostcontact init",
                               "the database is not initialised: run `lostcontact init` first")
