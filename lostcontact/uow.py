"""The unit of work: one transaction per service call, rolled back unless committed."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import Session

from models.db import Database
from statemachines.errors import Conflict


class UnitOfWork:
    def __init__(self, db: Database, *, write: bool = True):
        self.db = db
        self.write = write
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        # counts working days with the holiday years stored now: another process may have loaded one
        from .calendars import CalendarCheckingSession

        self.session = CalendarCheckingSession(self.db, write=self.write, expire_on_commit=False, autoflush=False)
        return self

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise Conflict("案件已被他人修改，请刷新后重试", "the case was changed by someone else: reload and retry") from None
        except OperationalError as exc:
            self.session.rollback()
            message = str(exc).lower()
            # SQLite's busy database, PostgreSQL's serialization failure or deadlock: someone else's change
            if "locked" in message or "could not serialize" in message or "deadlock detected" in message:
                raise Conflict("数据库正忙（他人同时修改），请重试",
                               "the database is busy with a concurrent change: retry") from None
            raise

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()
