"""应备尽备 and 应交尽交 at scale: the history-based views against a floor read from the current state.

    python -m bench.travel [--persons N] [--repeat R] [--db-url URL] [--json]

Builds on SQLite or PostgreSQL (rows bulk-inserted directly) an org tree of 1,000 units under 10 districts and N persons
(default 200,000), each with a registered-person type, a history of one to three records (recorded; 80% filed;
10% of those with a later post change to be re-filed) and one private passport whose custody history is
recorded, then received for 70% (and checked out again for 5%). Then times, best of R after a warm-up,
the whole tree as the local operator sees it:

- registry_gaps: lostcontact.queries.travel.registry.registration_gaps as of today (each person's latest
  history record on or before the day, then the gaps);
- custody_gaps: lostcontact.queries.travel.custody.custody_gaps as of today (the same for documents, the
  registration date of each, the due day of each gap);

against the floor of each: the same rows selected from the current-state columns (persons.registration_status,
travel_documents.state) with the same joins and order, which is all a view for today needs to read. The
views read the histories so that any past day answers too; the goal is that this costs at most 3× the floor.

View and floor are timed interleaved (view, floor, view, floor, …), best of R each. On SQLite the figure is the
process's CPU time (the database runs in the process: other work on a shared machine does not count); on
PostgreSQL (`--db-url postgresql+psycopg2://…`: a database is created there and dropped) it is the wall time,
the server's work being in another process.
"""
from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

GOAL = 3.0
TODAY = date(2024, 6, 28)


def build(url: str, persons: int, seed: int = 1) -> None:
    from lostcontact.policies import ensure_default_policy
    from lostcontact.uow import UnitOfWork
    from models import CustodyEvent, Org, Person, PersonEvent, TravelDocument
    from models.db import open_database
    from models.migrate import upgrade

    rng = random.Random(seed)
    db = open_database(url)
    upgrade(db)
    with UnitOfWork(db) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    orgs = [dict(id=1, code="P", name="市", parent_id=None, level="city", path="/1/", depth=0)]
    for d in range(10):
        orgs.append(dict(id=2 + d, code=f"D{d}", name=f"区{d}", parent_id=1, level="county", path=f"/1/{2 + d}/",
                         depth=1))
    for u in range(1000):
        parent = 2 + u % 10
        orgs.append(dict(id=100 + u, code=f"U{u}", name=f"单位{u}", parent_id=parent, level="committee",
                         path=f"/1/{parent}/{100 + u}/", depth=2))
    people, person_events, documents, custody_events = [], [], [], []
    for i in range(1, persons + 1):
        recorded = date(2023, 1, 1) + timedelta(days=rng.randrange(300))
        status, events = "unregistered", [("import", None, "unregistered", recorded)]
        if rng.random() < 0.8:
            filed = recorded + timedelta(days=rng.randrange(1, 60))
            events.append(("register", "unregistered", "registered", filed))
            status = "registered"
            if rng.random() < 0.1:
                events.append(("edit", "registered", "changed", filed + timedelta(days=rng.randrange(1, 100))))
                status = "changed"
        org_id = 100 + i % 1000
        people.append(dict(id=i, id_number=f"{i:018d}", name=f"人员{i}", org_id=org_id, rank="county",
                           person_type="county_level_serving", registration_status=status, last_seq=len(events),
                           last_event_on=events[-1][3], version=len(events)))
        for seq, (action, before, after, on) in enumerate(events, 1):
            person_events.append(dict(person_id=i, seq=seq, action=action, from_status=before, to_status=after,
                                      person_type="county_level_serving", org_id=org_id, rank="county",
                                      effective_on=on, actor="bench", role="import"))
        steps = [("record", None, "held", recorded, None)]
        if rng.random() < 0.7:
            received = recorded + timedelta(days=rng.randrange(1, 120))
            steps.append(("receive", "held", "in_custody", received, None))
            if rng.random() < 0.07:
                out = min(received + timedelta(days=rng.randrange(1, 200)), TODAY - timedelta(days=1))
                steps.append(("check_out", "in_custody", "checked_out", out, out + timedelta(days=20)))
        documents.append(dict(id=i, person_id=i, kind="passport_private", number=f"E{i:08d}",
                              issued_on=date(2020, 1, 1), expires_on=date(2030, 1, 1), state=steps[-1][2],
                              last_seq=len(steps), last_event_on=steps[-1][3], version=len(steps),
                              return_due_on=steps[-1][4]))
        for seq, (trigger, before, after, on, due) in enumerate(steps, 1):
            custody_events.append(dict(document_id=i, seq=seq, trigger=trigger, from_state=before, to_state=after,
                                       effective_on=on, actor="bench", role="cadre_supervisor", return_due_on=due))
    with db.writer.begin() as conn:
        for table, rows in ((Org, orgs), (Person, people), (PersonEvent, person_events),
                            (TravelDocument, documents), (CustodyEvent, custody_events)):
            for start in range(0, len(rows), 20_000):
                conn.execute(table.__table__.insert(), rows[start:start + 20_000])
    with db.writer.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    db.dispose()


def floors(db):
    """The same rows from the current-state columns (today's answer without the history)."""
    from sqlalchemy import select

    from models import Org, Person, TravelDocument
    persons, orgs, docs = Person.__table__, Org.__table__, TravelDocument.__table__

    def registry():
        with db.engine.connect() as conn:
            return conn.execute(
                select(persons.c.id_number, persons.c.name, persons.c.registration_status, orgs.c.code)
                .join(orgs, orgs.c.id == persons.c.org_id)
                .where(persons.c.person_type.is_not(None),
                       persons.c.registration_status.in_(("unregistered", "revoked", "changed")))
                .order_by(orgs.c.path, persons.c.name, persons.c.id)).all()

    def custody():
        with db.engine.connect() as conn:
            return conn.execute(
                select(docs.c.id, docs.c.number, docs.c.state, docs.c.return_due_on, persons.c.name, orgs.c.code)
                .join(persons, persons.c.id == docs.c.person_id).join(orgs, orgs.c.id == persons.c.org_id)
                .where(persons.c.registration_status.in_(("registered", "changed")),
                       docs.c.kind == "passport_private", docs.c.state.in_(("held", "checked_out")),
                       docs.c.issued_on <= TODAY, docs.c.expires_on >= TODAY)
                .order_by(orgs.c.path, persons.c.name, docs.c.kind, docs.c.id)).all()
    return registry, custody


def interleaved(view, floor, repeat: int, clock) -> tuple[float, float, int, int]:
    """The best time of each of the two, run alternately after a warm-up of each (the same load on both)."""
    n, floor_n = len(view()), len(floor())
    times: dict = {view: [], floor: []}
    for _ in range(repeat):
        for call in (view, floor):
            start = clock()
            call()
            times[call].append(clock() - start)
    return min(times[view]), min(times[floor]), n, floor_n


def measure(url: str, repeat: int) -> list[dict]:
    from lostcontact.queries.travel.custody import custody_gaps
    from lostcontact.queries.travel.registry import registration_gaps
    from models.db import open_database

    db = open_database(url)
    engine = "sqlite" if db.is_sqlite else "postgresql"
    clock = time.process_time if db.is_sqlite else time.perf_counter
    registry_floor, custody_floor = floors(db)
    rows = []
    for name, view, floor in (
            ("registry_gaps", lambda: registration_gaps(db, actor_login=None, today=TODAY), registry_floor),
            ("custody_gaps", lambda: custody_gaps(db, actor_login=None, today=TODAY), custody_floor)):
        seconds, floor_seconds, n, floor_n = interleaved(view, floor, repeat, clock)
        assert n == floor_n, (name, n, floor_n)  # the history answers today as the current state does
        rows.append({"metric": name, "engine": engine, "n": n, "value": round(seconds, 3),
                     "unit": "cpu s" if db.is_sqlite else "s", "floor": round(floor_seconds, 3),
                     "ratio": round(seconds / floor_seconds, 2), "goal": GOAL})
    db.dispose()
    return rows


def main() -> None:
    from .importing import Databases

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        databases = Databases(args.db_url, Path(work))
        try:
            url = databases.new("travel")
            started = time.perf_counter()
            build(url, args.persons)
            print(f"built {args.persons} persons in {time.perf_counter() - started:.1f} s")
            for row in measure(url, args.repeat):
                print(json.dumps(row) if args.json else
                      f"{row['metric']} ({row['engine']}): {row['value']} {row['unit']} for {row['n']} rows, floor "
                      f"{row['floor']} {row['unit']}, ratio {row['ratio']} (goal ≤ {row['goal']})")
        finally:
            databases.drop_all()


if __name__ == "__main__":
    main()
