"""The stored holiday calendar (calendar_versions) as the working-day rules see it, in every process.

Each unit of work starts by asking the database for its newest calendar version (one indexed row); when
that differs from the calendar this process counts with, the newest version of each stored year is read
and installed in statemachines.clocks. So a year loaded by `lostcontact calendar load` in one process is
counted with by the web app, the Prefect workers and every later command without a restart, and the
domain rules stay pure: they only consult the immutable calendar they were given.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from models import CalendarVersion
from models.db import Database
from statemachines.clocks import StatutoryCalendar, StatutoryYear, install_calendar, installed_calendar

# Run on the driver's own cursor: the version check runs at the start of every unit of work, where
# SQLAlchemy's statement machinery would cost more than the query itself.
_TABLE = CalendarVersion.__tablename__
_NEWEST = f"SELECT id, loaded_at FROM {_TABLE} ORDER BY id DESC LIMIT 1"
_NEWEST_PER_YEAR = (f"SELECT year, holidays, workdays FROM {_TABLE} "
                    f"WHERE id IN (SELECT max(id) FROM {_TABLE} GROUP BY year) ORDER BY year")
_schema_has_table: set[str] = set()  # database URLs known to have calendar_versions (it is never dropped)


def dates_text(days) -> str:
    return ",".join(day.isoformat() for day in sorted(days))


def dates_of(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(part) for part in text.split(",") if part)


def _rows(dbapi_connection, sql: str) -> list[tuple]:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def stored_calendar(dbapi_connection) -> StatutoryCalendar:
    """The calendar of the stored years as they are now (the installed one when nothing changed)."""
    newest = _rows(dbapi_connection, _NEWEST)
    # the id and the load time together: a fresh database restarts its ids, never its load times
    key = tuple(newest[0]) if newest else None
    current = installed_calendar()
    if key == current.key:
        return current
    years = tuple(StatutoryYear(year, dates_of(holidays), dates_of(workdays))
                  for year, holidays, workdays in _rows(dbapi_connection, _NEWEST_PER_YEAR))
    return StatutoryCalendar(years, key)


def refresh_installed_calendar(db: Database, dbapi_connection) -> None:
    """Install the stored calendar for the rules of this process, if the database has the table yet (a
    database not upgraded to 0004 keeps to the package). `dbapi_connection`: the driver's connection of
    the unit of work (or a short one of its own)."""
    if db.url not in _schema_has_table:
        if not inspect(db.engine).has_table(_TABLE):
            return
        _schema_has_table.add(db.url)
    calendar = stored_calendar(dbapi_connection)
    if calendar is not installed_calendar():
        install_calendar(calendar)
