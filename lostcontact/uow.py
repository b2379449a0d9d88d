"""The unit of work: one transaction per service call, rolled back unless committed."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm import Session

from models.db import Database
from statemachines.errors import Conflict


class _UnitOfWorkSession(Session):
    pass


@event.listens_for(_UnitOfWorkSession, "after_begin")
def _count_with_the_stored_calendar(session, _transaction, connection) -> None:
    db = session.info.get("calendar_db")
    if db is not None:
        from .calendars import refresh_installed_calendar

        refresh_installed_calendar(db, connection.connection)


class UnitOfWork:
    def __init__(self, db: Database, *, write: bool = True):
        self.db = db
        self.write = write
        self.session: Session

    def __enter__(self) -> "UnitOfWork":
        self.session = _UnitOfWorkSession(bind=self.db.writer if self.write else self.db.engine,
                                          expire_on_commit=False, autoflush=False)
        self._refresh_calendar()
        return self

    def _refresh_calendar(self) -> None:
        """Count working days with the holiday years stored now (another process may have loaded one)."""
        from .calendars import refresh_installed_calendar

        if self.write and self.db.is_sqlite:
            # beginning now would take SQLite's write lock early: check when the transaction begins
            self.session.info["calendar_db"] = self.db
        else:
            refresh_installed_calendar(self.db, self.session.connection().connection)

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
