"""The stored holiday calendar (calendar_versions) as the working-day rules see it, in every process.

Each unit of work starts by asking the database for its newest calendar version (one indexed row); when
that differs from the calendar this process counts with, the newest version of each stored year is read
and installed in statemachines.clocks. So a year loaded by `lostcontact calendar load` in one process is
counted with by the web app, the Prefect workers and every later command without a restart, and the
domain rules stay pure: they only consult the immutable calendar they were given.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, func, inspect, select

from models import CalendarVersion
from models.db import Database
from statemachines.clocks import StatutoryCalendar, StatutoryYear, install_calendar, installed_calendar

_versions = CalendarVersion.__table__
_NEWEST = select(_versions.c.id, _versions.c.loaded_at).order_by(_versions.c.id.desc()).limit(1)
_NEWEST_PER_YEAR = select(_versions.c.year, _versions.c.holidays, _versions.c.workdays).where(
    _versions.c.id.in_(select(func.max(_versions.c.id)).group_by(_versions.c.year)))
_schema_has_table: set[str] = set()  # database URLs known to have calendar_versions (it is never dropped)


def dates_text(days) -> str:
    return ",".join(day.isoformat() for day in sorted(days))


def dates_of(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(part) for part in text.split(",") if part)


def stored_calendar(connection: Connection) -> StatutoryCalendar:
    """The calendar of the stored years as they are now (the installed one when nothing changed)."""
    newest = connection.execute(_NEWEST).first()
    # the id and the load time together: a fresh database restarts its ids, never its load times
    key = tuple(newest) if newest else None
    current = installed_calendar()
    if key == current.key:
        return current
    years = tuple(StatutoryYear(year, dates_of(holidays), dates_of(workdays))
                  for year, holidays, workdays in connection.execute(_NEWEST_PER_YEAR))
    return StatutoryCalendar(years, key)


def refresh_installed_calendar(db: Database, connection: Connection) -> None:
    """Install the stored calendar for the rules of this process, if the database has the table yet (a
    database not upgraded to 0004 keeps to the package)."""
    if db.url not in _schema_has_table:
        if not inspect(connection).has_table(_versions.name):
            return
        _schema_has_table.add(db.url)
    calendar = stored_calendar(connection)
    if calendar is not installed_calendar():
        install_calendar(calendar)
