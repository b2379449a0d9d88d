"""The checks M1, P1–P7 at scale (issue 16): `checks run` as of a day over the whole tree, first finding and
then, run again, finding nothing twice.

    python -m bench.police_checks [--persons N] [--json]

Builds bench.travel's world on SQLite (N persons, default 200,000, each with a private passport, 70% received
into custody), gives every person a birth date, and adds the exit-entry administration's holdings: every
registry passport again (recorded: neither P1 nor P2), one in fifty persons with a passport the registry never
recorded issued after their filing (P1 and P2), and one in two hundred with a document under another ID number
in their name and birth date (M1). Then the crossings, trips and self-reports the other checks read: every
person's exit and entry in 2019 on their passport; one in a hundred with an exit in March 2024 that no trip
covers (P4) and their report omits (P6); one in two hundred (others) with an approved trip they left for two days
early (P5; unreported, so P6 too), half of those approved without the discipline consultation (P7); a
self-report campaign with every person's report confirmed, listing their registry passport and the 2019 trip
(so the unrecorded passports of one in fifty are P3). Times the first run and a second run on the same day (nothing new), each one unit of work of one
INSERT … SELECT per kind."""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from .travel import TODAY, build


def add_police_records(url: str, persons: int) -> None:
    from sqlalchemy import update

    from models import Person, PoliceHolding
    from models.db import open_database

    db = open_database(url)
    rows = []
    for i in range(1, persons + 1):
        rows.append(dict(id_number=f"{i:018d}", name=f"人员{i}", birth_date=date(1980, 1, 1), kind="passport_private",
                         number=f"E{i:08d}", issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1), status="valid",
                         recorded_on=TODAY, updated_on=TODAY))
        if i % 50 == 0:
            rows.append(dict(rows[-1], kind="hkmo_private", number=f"C{i:08d}", issued_on=date(2024, 2, 1),
                             expires_on=date(2034, 2, 1)))
        if i % 200 == 0:
            rows.append(dict(rows[0], id_number=f"9{i:017d}", name=f"人员{i}", number=f"G{i:08d}"))
    with db.writer.begin() as conn:
        conn.execute(update(Person.__table__).values(birth_date=date(1980, 1, 1)))
        for start in range(0, len(rows), 20_000):
            conn.execute(PoliceHolding.__table__.insert(), rows[start:start + 20_000])
    add_trips_and_reports(db, persons)
    with db.writer.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()


def add_trips_and_reports(db, persons: int) -> None:
    from models import (Campaign, Milestone, PoliceCrossing, SelfReport, SelfReportCampaign, SelfReportDocument,
                        SelfReportTrip, Trip, TripEvent)

    def crossing(i, day, direction):
        return dict(id_number=f"{i:018d}", crossed_on=day, direction=direction, document_kind="passport_private",
                    document_number=f"E{i:08d}", port="深圳湾", destination="泰国", recorded_on=TODAY)

    crossings, trips, trip_events, reports, lines, trip_lines = [], [], [], [], [], []
    for i in range(1, persons + 1):
        crossings += [crossing(i, date(2019, 3, 1), "exit"), crossing(i, date(2019, 3, 8), "entry")]
        if i % 100 == 0:
            crossings += [crossing(i, date(2024, 3, 12), "exit"), crossing(i, date(2024, 3, 20), "entry")]
        elif i % 200 == 50:
            consulted = date(2024, 3, 1) if i % 400 == 50 else None
            trips.append(dict(id=i, person_id=i, document_id=i, destinations='["泰国"]', reason="探亲",
                              planned_departure=date(2024, 3, 10), planned_return=date(2024, 3, 20), state="approved",
                              strict_review=False, applied_on=date(2024, 2, 20), consulted_on=consulted,
                              approved_on=date(2024, 3, 1), approved_by="bench", last_seq=1,
                              last_event_on=date(2024, 3, 1), version=1))
            trip_events.append(dict(trip_id=i, seq=1, trigger="approve", from_state="submitted", to_state="approved",
                                    effective_on=date(2024, 3, 1), actor="bench", role="cadre_supervisor",
                                    grant_org_id=1))
            crossings += [crossing(i, date(2024, 3, 8), "exit"), crossing(i, date(2024, 3, 20), "entry")]
        reports.append(dict(id=i, campaign_id=1, person_id=i, state="confirmed", submission_seq=1, zero_report=False,
                            pledge_text="本人郑重承诺", pledge_signed_on=date(2024, 5, 10), submitted_on=date(2024, 5, 10),
                            recorded_by="bench", reviewer="bench", reviewer_role="cadre_supervisor",
                            confirmed_on=date(2024, 5, 20), last_seq=2, last_event_on=date(2024, 5, 20), version=2))
        lines.append(dict(report_id=i, submission_seq=1, line_no=1, kind="passport_private", number=f"E{i:08d}",
                          expires_on=date(2030, 1, 1), expired=False, self_corrected=False))
        trip_lines.append(dict(report_id=i, submission_seq=1, line_no=1, departure_on=date(2019, 3, 1),
                               return_on=date(2019, 3, 8), destinations="泰国", reason="旅游", approved=True,
                               self_corrected=False))
    with db.writer.begin() as conn:
        conn.execute(Campaign.__table__.insert(), [dict(id=1, name="自查自报", start_on=date(2024, 5, 6),
                                                         end_on=date(2024, 5, 31))])
        conn.execute(Milestone.__table__.insert(), [dict(id=1, campaign_id=1, key="self_report",
                                                          due_on=date(2024, 5, 31), level="person", title="自查自报")])
        conn.execute(SelfReportCampaign.__table__.insert(), [dict(
            id=1, campaign_id=1, milestone_id=1, scope_org_id=1, trips_since=date(2016, 1, 1),
            documents_expired_since=date(2018, 1, 1), opened_on=date(2024, 5, 6), actor="bench")])
        for table, rows in ((PoliceCrossing, crossings), (Trip, trips), (TripEvent, trip_events),
                            (SelfReport, reports), (SelfReportDocument, lines), (SelfReportTrip, trip_lines)):
            for start in range(0, len(rows), 20_000):
                conn.execute(table.__table__.insert(), rows[start:start + 20_000])


def measure(url: str) -> list[dict]:
    from lostcontact.services.travel.checks import run_checks
    from models.db import open_database

    db = open_database(url)
    out = []
    for name in ("first_run", "second_run"):
        start = time.perf_counter()
        counts = run_checks(db, as_of=TODAY, today=TODAY, actor_login=None)
        out.append({"metric": name, "engine": "sqlite", "found": counts,
                    "value": round(time.perf_counter() - start, 3), "unit": "s"})
    db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{Path(work) / 'checks.db'}"
        started = time.perf_counter()
        build(url, args.persons)
        add_police_records(url, args.persons)
        print(f"built {args.persons} persons and their police records in {time.perf_counter() - started:.1f} s")
        for row in measure(url):
            print(json.dumps(row, ensure_ascii=False) if args.json else
                  f"{row['metric']}: {row['value']} s, new problems {row['found']}")


if __name__ == "__main__":
    main()
