"""The discipline register's 失联 candidates at scale (issue 17: "the candidate sweep over 1M persons is
index-bound like R1: the same day at 5× the persons ≤ 1.5× the time").

    python -m bench.discipline [--persons N] [--db-url URL] [--repeat R] [--json]

Builds, in SQL (no Python row per person), two databases by the migrations: N persons (default 1,000,000) and
5 × N, under 1,000 units. One person in two is a party member (the roster's member, in contact with the branch
within the three months), one in three has a unit contact within them; the rest have no contact on record (no
candidate: nothing says since when). At every size the same 2,000 persons are candidates (both contacts older
than the three months) and 1,000 more have an old unit contact but a recent one with the branch (read, and
not candidates); one person in a hundred has an ended 失联 entry (the register grows with the persons). Then, interleaved call by call, best of R (bench/two_sizes.py), as of the same day:

- candidates: lostcontact.queries.discipline.candidates as the local operator (the whole tree);
- floor: the same rows in bare SQL (the persons whose kept contact dates are that old, by their indexes, with
  their org, the later of the two dates and their open case, none entered as 失联 today, ordered), through the
  driver's own connection.

Rows: discipline_candidates_5x (t at 5 × N against t at N: goal ≤ 1.5, the cost goes with the candidates, not
the persons), discipline_candidates_vs_floor (against the floor at 5 × N: goal ≤ 3), and on SQLite the same two by the
process's CPU time (…_cpu: SQLite works inside the process; PostgreSQL's work is the server's, so its rows are
wall time), and discipline_candidates_rss (a fresh process's peak RSS listing the candidates at 5 × N against
one at N: goal ≤ 1.2, memory flat). The candidates must be exactly the floor's (the run stops otherwise)."""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

from statemachines.clocks import latest_since_crossing_on_or_before
from statemachines.lifecycle import OPEN_STATES

from .two_sizes import CLOCKS

TODAY = date(2024, 6, 28)
CANDIDATES, UNIT_ONLY_OLD = 2_000, 1_000
ENTRY_EVERY = 100   # one person in a hundred was on the register as 失联 once (found since): the register grows
SCALE, SCALE_GOAL, FLOOR_GOAL, RSS_GOAL = 5, 1.5, 3.0, 1.2
CUTOFF = latest_since_crossing_on_or_before(TODAY, 3)   # the default policy's three months
CHUNK = 500_000


def _seq(dialect: str, lo: int, hi: int) -> str:
    if dialect == "postgresql":
        return f"WITH seq(i) AS (SELECT generate_series({lo}, {hi})) "
    return f"WITH RECURSIVE seq(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM seq WHERE i < {hi}) "


def _day(dialect: str, base: str, days: str) -> str:
    if dialect == "postgresql":
        return f"(DATE '{base}' + ({days}))"
    return f"date('{base}', '+' || ({days}) || ' days')"


def _typed(dialect: str, kind: str, literal: str) -> str:
    return f"{kind} '{literal}'" if dialect == "postgresql" else f"'{literal}'"


def _text(dialect: str, expr: str) -> str:
    return f"lpad(({expr})::text, 18, '0')" if dialect == "postgresql" else f"printf('%018d', {expr})"


def build(url: str, persons: int) -> None:
    """The schema by the migrations, the default policy, the org tree, then the persons and members."""
    from lostcontact.policies import ensure_default_policy
    from lostcontact.uow import UnitOfWork
    from models.db import open_database
    from models.migrate import upgrade

    db = open_database(url)
    upgrade(db)
    with UnitOfWork(db) as uow:
        ensure_default_policy(uow.session)
        uow.commit()
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO orgs (id, code, name, parent_id, level, path, depth) "
                          "VALUES (1, 'P', '市', NULL, 'city', '/1/', 0)"))
        conn.execute(text("INSERT INTO orgs (id, code, name, parent_id, level, path, depth) VALUES "
                          "(:id, :code, :name, 1, 'county', :path, 1)"),
                     [{"id": 2 + d, "code": f"D{d}", "name": f"区{d}", "path": f"/1/{2 + d}/"} for d in range(10)])
        conn.execute(text("INSERT INTO orgs (id, code, name, parent_id, level, path, depth) VALUES "
                          "(:id, :code, :name, :parent, 'branch', :path, 2)"),
                     [{"id": 100 + u, "code": f"U{u}", "name": f"单位{u}", "parent": 2 + u % 10,
                       "path": f"/1/{2 + u % 10}/{100 + u}/"} for u in range(1000)])
    for lo in range(1, persons + 1, CHUNK):
        with db.engine.begin() as conn:
            _generate(conn, dialect, lo, min(persons, lo + CHUNK - 1))
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    db.dispose()


def _generate(conn, dialect: str, lo: int, hi: int) -> None:
    """Person i: a member when even (member i); candidates i ≤ 2,000 (contacts in 2023); 2,000 < i ≤ 3,000 an
    old unit contact and a recent one with the branch; else recent contacts (April–May 2024) or none. One in a
    hundred has an ended 失联 entry (found in 2022): every candidate's open entry is looked for among them."""
    seq = _seq(dialect, lo, hi)
    candidate, unit_only_old = f"i <= {CANDIDATES}", f"i > {CANDIDATES} AND i <= {CANDIDATES + UNIT_ONLY_OLD}"
    false = "false" if dialect == "postgresql" else "0"
    now, joined, recorded = (_typed(dialect, "TIMESTAMP", "2024-06-01 00:00:00"), _typed(dialect, "DATE", "2005-07-01"),
                             _typed(dialect, "DATE", "2020-01-02"))
    member_contact = (f"CASE WHEN {candidate} THEN {_day(dialect, '2023-01-01', 'i % 300')} "
                      f"ELSE {_day(dialect, '2024-04-01', 'i % 60')} END")
    unit_contact = (f"CASE WHEN {candidate} OR ({unit_only_old}) THEN {_day(dialect, '2023-02-01', 'i % 300')} "
                    f"WHEN i % 3 = 0 THEN {_day(dialect, '2024-04-15', 'i % 60')} END")
    conn.execute(text(seq + f"""INSERT INTO members (id, id_number, name, join_date, standing, branch_id, mobile,
        reported, abroad, receipt_returned, last_contact_on, updated_at)
        SELECT i, {_text(dialect, 'i')}, '党员' || i, {joined}, 'full', 100 + i % 1000, {false}, {false},
               {false}, {false}, {member_contact}, {now} FROM seq
        WHERE i % 2 = 0 OR {candidate} OR ({unit_only_old})"""))
    conn.execute(text(seq + f"""INSERT INTO persons (id, id_number, name, org_id, member_id, rank,
        registration_status, last_seq, last_event_on, version, updated_at, unit_contact_on)
        SELECT i, {_text(dialect, 'i')}, '人员' || i, 100 + i % 1000,
               CASE WHEN i % 2 = 0 OR {candidate} OR ({unit_only_old}) THEN i END, 'staff', 'unregistered', 1,
               {recorded}, 1, {now}, {unit_contact} FROM seq"""))
    conn.execute(text(seq + f"""INSERT INTO discipline_entries (person_id, category, state, org_id, since_on,
        recontact_on, recontact_note, opened_on, ended_on, last_seq, last_event_on, version, recorded_at)
        SELECT i, 'lost', 'found', 100 + i % 1000, {_typed(dialect, "DATE", "2021-01-04")},
               {_typed(dialect, "DATE", "2021-05-06")}, '再次联系未果', {_typed(dialect, "DATE", "2021-05-06")},
               {_typed(dialect, "DATE", "2022-03-01")}, 2, {_typed(dialect, "DATE", "2022-03-01")}, 2, {now}
        FROM seq WHERE i % {ENTRY_EVERY} = 1"""))


FLOOR_SQL = """
SELECT p.id_number, p.name, o.code, o.name AS org_name, p.unit_contact_on, m.last_contact_on,
       (SELECT c.id FROM cases c WHERE c.member_id = m.id AND c.state IN ({open_states})
        ORDER BY c.id DESC LIMIT 1) AS case_id,
       {latest} AS last_contact
FROM persons p JOIN orgs o ON o.id = p.org_id LEFT JOIN members m ON m.id = p.member_id
WHERE p.id {among}SELECT id FROM persons WHERE unit_contact_on <= :cutoff
               UNION SELECT p2.id FROM persons p2 JOIN members m2 ON m2.id = p2.member_id
                     WHERE m2.last_contact_on <= :cutoff{close}
  AND p.last_event_on <= :day AND {latest} <= :cutoff
  AND NOT EXISTS (SELECT 1 FROM discipline_entries e WHERE e.person_id = p.id AND e.category = 'lost'
                  AND e.state = 'open')
ORDER BY last_contact, p.id"""


def floor(db) -> list[tuple]:
    """Today's candidates in bare SQL: every kept date is on or before the day, so no history is read."""
    # PostgreSQL: the ids by index probes (for IN it hashes a scan of every person), as the candidates read them
    greatest, among = ("greatest", "= ANY(ARRAY(") if db.engine.dialect.name == "postgresql" else ("max", "IN (")
    latest = (f"{greatest}(coalesce(p.unit_contact_on, m.last_contact_on), "
              f"coalesce(m.last_contact_on, p.unit_contact_on))")
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        open_states = ", ".join(f"'{state}'" for state in OPEN_STATES)
        sql = FLOOR_SQL.format(latest=latest, open_states=open_states, among=among,
                               close="))" if among.startswith("=") else ")")
        params = {"cutoff": CUTOFF, "day": TODAY}
        if db.engine.dialect.name == "postgresql":
            cursor.execute(sql.replace(":cutoff", "%(cutoff)s").replace(":day", "%(day)s"), params)
        else:
            cursor.execute(sql, {k: v.isoformat() for k, v in params.items()})
        rows = cursor.fetchall()
        raw.rollback()
        return rows
    finally:
        raw.close()


def listed(db) -> list[dict]:
    from lostcontact.queries.discipline import candidates
    return candidates(db, actor_login=None, today=TODAY)


def _peak_rss_listing(url: str) -> float:
    from models.db import open_database

    from .police_checks import peak_rss_mb

    db = open_database(url)
    listed(db)
    db.dispose()
    return peak_rss_mb()


def _child(url, out) -> None:
    out.put(_peak_rss_listing(url))


def rss_in_child(url: str) -> float:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_child, args=(url, out))
    child.start()
    peak = out.get()
    child.join()
    return peak


def _best(calls: dict, repeat: int, clock) -> dict[str, float]:
    """Best-of-`repeat` of each call, interleaved call by call (load falls on all alike); warmed up first."""
    samples: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():
        call()
    for _ in range(repeat):
        for name, call in calls.items():
            started = clock()
            call()
            samples[name].append(clock() - started)
    return {name: min(values) for name, values in samples.items()}


def _row(name: str, engine: str, n: int, value: float, floor_value: float, goal: float, unit: str = "ms",
         scale: float = 1e3, **extra) -> dict:
    return {"metric": name, "engine": engine, "n": n, "value": round(value * scale, 3), "unit": unit,
            "floor": round(floor_value * scale, 3), "ratio": round(value / floor_value, 2), "goal": goal, **extra}


def measure(small_url: str, large_url: str, persons: int, repeat: int = 5, rss: bool = True) -> list[dict]:
    """Rows of the candidates at N and SCALE × N persons (databases built already) and of the floor at SCALE × N."""
    from models.db import open_database

    small, large = open_database(small_url), open_database(large_url)
    engine = large.engine.dialect.name
    try:
        for db in (small, large):
            got = [(r["person_id_number_masked"], r["last_contact_on"]) for r in listed(db)]
            want = floor(db)
            if len(got) != CANDIDATES or [g[1] for g in got] != [str(w[-1]) for w in want]:
                raise AssertionError(f"the candidates ({len(got)}) are not the floor's ({len(want)})")
        calls = {"small": lambda: listed(small), "large": lambda: listed(large), "floor": lambda: floor(large)}
        clocks = ("wall", "cpu") if engine == "sqlite" else ("wall",)
        rows = []
        for clock in clocks:
            best = _best(calls, repeat, CLOCKS[clock])
            suffix = "" if clock == "wall" else "_cpu"
            rows.append(_row(f"discipline_candidates_5x{suffix}", engine, SCALE * persons, best["large"],
                             best["small"], SCALE_GOAL, floor_n=persons))
            rows.append(_row(f"discipline_candidates_vs_floor{suffix}", engine, SCALE * persons, best["large"], best["floor"],
                             FLOOR_GOAL, found=CANDIDATES))
    finally:
        small.dispose()
        large.dispose()
    if rss:
        peak_small, peak_large = rss_in_child(small_url), rss_in_child(large_url)
        rows.append(_row("discipline_candidates_rss", engine, SCALE * persons, peak_large, peak_small, RSS_GOAL,
                         unit="MB", scale=1, floor_n=persons))
    return rows


def run(persons: int, new_database, repeat: int = 5, rss: bool = True) -> list[dict]:
    """Build both sizes (`new_database(name)` gives an empty database's URL), then measure."""
    urls = {}
    for name, n in (("small", persons), ("large", SCALE * persons)):
        started = time.perf_counter()
        urls[name] = new_database(f"discipline_{name}")
        build(urls[name], n)
        print(f"# discipline: built {n:,} persons in {time.perf_counter() - started:.1f} s", file=sys.stderr,
              flush=True)
    return measure(urls["small"], urls["large"], persons, repeat, rss)


def main(argv: list[str] | None = None) -> int:
    from .importing import Databases

    parser = argparse.ArgumentParser(prog="python -m bench.discipline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lc-bench-discipline-") as workdir:
        databases = Databases(args.db_url, Path(workdir))
        try:
            for row in run(args.persons, databases.new, args.repeat):
                verdict = "ok" if row["ratio"] <= row["goal"] else "OVER GOAL"
                print(json.dumps(row) if args.json else
                      f"{row['metric']:30} {row['engine']:10} n={row['n']:>9,} {row['value']:>11,.3f} {row['unit']:3}"
                      f" floor {row['floor']:>11,.3f}  ratio {row['ratio']:5.2f}  goal ≤ {row['goal']:g} {verdict}",
                      flush=True)
        finally:
            databases.drop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
