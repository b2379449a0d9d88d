"""The checks M1, P2 and P1 at scale (issue 16): `checks run` as of a day over the whole tree, first finding and
then, run again, finding nothing twice.

    python -m bench.police_checks [--persons N] [--json]

Builds bench.travel's world on SQLite (N persons, default 200,000, each with a private passport, 70% received
into custody), gives every person a birth date, and adds the exit-entry administration's holdings: every
registry passport again (recorded: neither P1 nor P2), one in fifty persons with a passport the registry never
recorded issued after their filing (P1 and P2), and one in two hundred with a document under another ID number
in their name and birth date (M1). Times the first run and a second run on the same day (nothing new), each one
unit of work of one INSERT … SELECT per kind."""
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
    with db.writer.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()


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
