"""The discipline register's entry list at scale: one page of 纪检登记 · 登记 (/discipline/entries) for a reader of
the whole tree and for a reader of one branch, over a register of N entries.

    python -m bench.discipline_pages [--entries N] [--db-url URL] [--repeat R] [--json]

Builds bench/discipline.py's world of N persons under 1,000 units (its own ended entries taken away), then gives
each person one entry made in 2019–2023 with its history: three in five still open, one found (30–330 days
later), one revoked ten days after it was made; seven in ten 失联, one 外逃, two 出走. Readers: `province`, the
discipline officer of the root (every entry), `county` of one of its ten counties, `branch` of one unit (N / 1,000
entries). Times, best of R after a warm-up, the query function behind the page
(lostcontact.queries.discipline.entries_page: the page's rows and its total counted up to 1,000) as of the
benchmark's day: the first page, the last page offered, today's open entries, a past day's found entries and the
失联 of a category filter. On SQLite the process's CPU time (the database works inside it) and the wall time;
on PostgreSQL the wall time (the server's work). Goal: ≤ 300 ms a page."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

from . import discipline
from .two_sizes import CLOCKS

TODAY = discipline.TODAY
LIMIT_MS = 300
READERS = {"province": "P", "county": "D3", "branch": "U7"}
PAGES = {  # name: the page's filters
    "first": {},
    "last": {"page": 100_000},                       # past the end: the last page offered
    "open_today": {"state": "open"},
    "found_2022": {"state": "found", "as_of": date(2022, 12, 31)},
    "lost_page3": {"category": "lost", "page": 3},
}


def build(url: str, entries: int) -> None:
    """bench/discipline.py's persons and units, then one entry per person with its history, and the readers."""
    from lostcontact.services.users import add_user
    from models.db import open_database

    discipline.build(url, entries)
    db = open_database(url)
    dialect = db.engine.dialect.name
    # entry i is person i's, at unit i % 1000: its day, state and category vary within each unit too
    k = "i / 1000"
    spread = f"({k} * 37 + i) % 1500"
    day = lambda days: discipline._day(dialect, "2019-01-01", days)  # noqa: E731
    opened = day(spread)
    ended = f"CASE {k} % 5 WHEN 3 THEN {day(f'{spread} + 30 + i % 300')} WHEN 4 THEN {day(f'{spread} + 10')} END"
    since = discipline._day(dialect, "2018-09-01", spread)
    state = f"CASE {k} % 5 WHEN 3 THEN 'found' WHEN 4 THEN 'revoked' ELSE 'open' END"
    tenth = f"({k} / 5 + i) % 10"
    category = f"CASE WHEN {tenth} < 7 THEN 'lost' WHEN {tenth} = 7 THEN 'fled' ELSE 'absconded' END"
    now = discipline._typed(dialect, "TIMESTAMP", "2024-06-01 00:00:00")
    seq = discipline._seq(dialect, 1, entries)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM discipline_entries"))  # bench/discipline.py's, made without a history
        conn.execute(text(seq + f"""INSERT INTO discipline_entries (id, person_id, category, state, org_id,
            since_on, recontact_on, recontact_note, opened_on, ended_on, last_seq, last_event_on, version, recorded_at)
            SELECT i, i, {category}, {state}, 100 + i % 1000, {since}, {opened}, '再次联系未果', {opened}, {ended},
                   CASE WHEN {k} % 5 < 3 THEN 1 ELSE 2 END, coalesce({ended}, {opened}),
                   CASE WHEN {k} % 5 < 3 THEN 1 ELSE 2 END, {now} FROM seq"""))
        conn.execute(text(seq + f"""INSERT INTO discipline_events (entry_id, seq, trigger, from_state, to_state,
            note, effective_on, actor, role, recorded_at)
            SELECT i, 1, 'open', NULL, 'open', '再次联系未果', {opened}, 'bench', 'discipline_officer', {now}
            FROM seq"""))
        conn.execute(text(seq + f"""INSERT INTO discipline_events (entry_id, seq, trigger, from_state, to_state,
            note, effective_on, actor, role, recorded_at)
            SELECT i, 2, CASE {k} % 5 WHEN 3 THEN 'find' ELSE 'revoke' END, 'open', {state}, '办结', {ended}, 'bench',
                   'discipline_officer', {now} FROM seq WHERE {k} % 5 >= 3"""))
    for reader, org in READERS.items():
        add_user(db, reader, role="discipline_officer", org_code=org)
    with db.engine.connect() as conn:  # PostgreSQL's statistics (the planner reads them; SQLite's has none)
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    db.dispose()


def page_of(db, reader: str, filters: dict):
    from lostcontact.queries.discipline import entries_page
    from lostcontact.web.pages.discipline_entries import PER_PAGE
    return entries_page(db, actor_login=reader, today=TODAY, per_page=PER_PAGE, **filters)


def measure(url: str, repeat: int = 5) -> list[dict]:
    """A row per reader, page and clock: the best of `repeat` after a warm-up, the calls interleaved."""
    from models.db import open_database

    db = open_database(url)
    engine = db.engine.dialect.name
    calls = {(reader, name): (lambda r=reader, f=filters: page_of(db, r, f))
             for reader in READERS for name, filters in PAGES.items()}
    rows = []
    try:
        for clock in ("cpu", "wall") if engine == "sqlite" else ("wall",):
            for (reader, name), best in discipline._best(calls, repeat, CLOCKS[clock]).items():
                shown = page_of(db, reader, PAGES[name])
                rows.append({"metric": f"discipline_entries_{reader}_{name}" + ("_cpu" if clock == "cpu" else ""),
                             "engine": engine, "n": _entries(db), "value": round(best * 1e3, 3), "unit": "ms",
                             "goal_ms": LIMIT_MS, "rows": len(shown.rows), "total": str(shown.total),
                             "page": shown.page})
    finally:
        db.dispose()
    return rows


def _entries(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM discipline_entries"))


def main(argv: list[str] | None = None) -> int:
    from .importing import Databases

    parser = argparse.ArgumentParser(prog="python -m bench.discipline_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: a SQLite file)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lc-bench-discipline-pages-") as workdir:
        databases = Databases(args.db_url, Path(workdir))
        try:
            url = databases.new("discipline_pages")
            started = time.perf_counter()
            build(url, args.entries)
            print(f"# discipline_pages: built {args.entries:,} entries in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr, flush=True)
            for row in measure(url, args.repeat):
                verdict = "ok" if row["value"] <= row["goal_ms"] else "OVER GOAL"
                print(json.dumps(row) if args.json else
                      f"{row['metric']:44} {row['engine']:10} n={row['n']:>7,} {row['value']:>9,.3f} ms  page "
                      f"{row['page']:>3} of {row['total']:>5} ({row['rows']} rows)  goal ≤ {LIMIT_MS} ms {verdict}",
                      flush=True)
        finally:
            databases.drop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
