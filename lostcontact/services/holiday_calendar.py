"""`calendar load` / `calendar show` (docs/holiday-calendar.md): an operator installs a year's statutory
holidays and make-up working days (调休) the day the State Council publishes them.

A load is a new version of its year (the newest wins over the chinesecalendar package in every process,
see lostcontact/calendars.py); in the same transaction it closes that year's open `calendar` alert. The
next sweep recounts the due dates counted without the year, or with an older version of it
(services.sweep.deadlines.recompute_due_dates).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models import Alert, CalendarVersion
from models.db import Database
from statemachines.clocks import StatutoryYear, package_year
from statemachines.errors import BadInput, Conflict
from statemachines.holiday_file import parse_holiday_file

from ..calendars import dates_of, dates_text
from ..uow import UnitOfWork
from .alert_closing import close_alerts

LOADED_BY_OPERATOR = "operator"  # the command line, as `init` is: whoever may write the database


@dataclass(frozen=True)
class LoadedYear:
    year: int
    version: int
    holidays: int
    workdays: int
    alerts_closed: int


def load_calendar(db: Database, path: str, *, today: date, loaded_by: str = LOADED_BY_OPERATOR) -> LoadedYear:
    """Validate the file whole (BadInput, nothing stored), then store it as the year's next version."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"无法读取节假日文件 {path}：{exc}", f"cannot read holiday file {path}: {exc}") from None
    parsed = parse_holiday_file(text, Path(path).name)
    schedule = parsed.schedule
    with UnitOfWork(db) as uow:
        s = uow.session
        version = (s.scalar(select(func.max(CalendarVersion.version)).where(CalendarVersion.year == schedule.year))
                   or 0) + 1
        s.add(CalendarVersion(year=schedule.year, version=version, holidays=dates_text(schedule.holidays),
                              workdays=dates_text(schedule.workdays), notice=parsed.notice,
                              file_name=str(path)[-400:], body=text, loaded_by=loaded_by))
        open_alerts = s.scalars(select(Alert.id).where(Alert.rule == "calendar", Alert.closed_on.is_(None),
                                                       Alert.subject_kind == "system",
                                                       Alert.subject_id == schedule.year)).all()
        closed = close_alerts(s, list(open_alerts), today)
        try:
            s.flush()
            uow.commit()
        except IntegrityError:
            raise Conflict(f"{schedule.year} 年的节假日数据正被同时载入，请重试",
                           f"the {schedule.year} holiday data is being loaded concurrently: retry") from None
    return LoadedYear(schedule.year, version, len(schedule.holidays), len(schedule.workdays), closed)


def show_calendar(db: Database, year: int) -> dict:
    """The year's holidays and make-up working days and where they come from: the newest stored version,
    else the installed package, else nowhere (Monday–Friday counted, due dates provisional)."""
    v = CalendarVersion
    with UnitOfWork(db, write=False) as uow:
        rows = uow.session.execute(select(v.version, v.loaded_at, v.loaded_by, v.file_name, v.notice, v.holidays,
                                          v.workdays).where(v.year == year).order_by(v.version)).all()
    history = [{"version": r.version, "loaded_at": _utc(r.loaded_at).isoformat(timespec="seconds"),
                "loaded_by": r.loaded_by, "file": r.file_name, "notice": r.notice} for r in rows]
    if rows:
        newest = rows[-1]
        schedule = StatutoryYear(year, dates_of(newest.holidays), dates_of(newest.workdays))
        source = {"kind": "stored", **history[-1]}
    else:
        schedule = package_year(year)
        source = {"kind": "package", "package_version": _package_version()} if schedule else {"kind": "unknown"}
    return {"year": year, "source": source,
            "holidays": sorted(d.isoformat() for d in schedule.holidays) if schedule else [],
            "workdays": sorted(d.isoformat() for d in schedule.workdays) if schedule else [],
            "history": history}


def _package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return None


def _utc(moment: datetime) -> datetime:
    """SQLite hands back the stored UTC time without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
