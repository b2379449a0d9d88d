"""`calendar` alerts: a year without published holiday data counts Monday–Friday and its due dates are
provisional. One system alert per such year, to the root org; it closes when the data is installed: by
`lostcontact calendar load` (services/holiday_calendar.py, at once) or a newer chinesecalendar package (here,
at the next sweep). The partitions then recount the provisional due dates."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Alert, Org
from statemachines.clocks import statutory_year_known

from .alerting import NewAlert, close_alerts, raise_alerts

# due dates reach at most a few months ahead (the longest step plus the escalation lag)
HORIZON = timedelta(days=120)


def years_counted(as_of: date) -> list[int]:
    return sorted({as_of.year, (as_of + HORIZON).year})


def missing_year_alerts(session: Session, as_of: date, run_id: int | None) -> int:
    root = session.scalar(select(Org.id).where(Org.parent_id.is_(None)).order_by(Org.id).limit(1))
    if root is None:
        return 0
    alerts = (NewAlert("system", year, "calendar", "reminder", 0, date(year, 1, 1), root,
                       f"{year} 年法定节假日数据尚未安装：该年按周一至周五计算工作日，相关期限为暂定，"
                       f"请用 lostcontact calendar load 载入该年国务院公布的节假日安排")
              for year in years_counted(as_of) if not statutory_year_known(year))
    return raise_alerts(session, alerts, as_of=as_of, run_id=run_id)


def arrived_years(session: Session, as_of: date) -> list[int]:
    """Years with an open calendar alert whose holiday data is now installed."""
    years = session.scalars(select(Alert.subject_id).where(Alert.rule == "calendar", Alert.closed_on.is_(None),
                                                           Alert.raised_on <= as_of)).all()
    return sorted(year for year in set(years) if statutory_year_known(year))


def close_arrived(session: Session, as_of: date) -> int:
    years = arrived_years(session, as_of)
    ids = session.scalars(select(Alert.id).where(Alert.rule == "calendar", Alert.closed_on.is_(None),
                                                 Alert.subject_id.in_(years))).all() if years else []
    return close_alerts(session, list(ids), as_of)
