"""The supervisor's overdue query at two sizes: index-bound, or a scan?

    python -m bench.overdue [--small 100000] [--large 1000000] [--db-url URL] [--repeat R] [--json]

Builds the tally benchmark's world twice (bench/tally.py: a province of 10,000 branches under 1,000
committees, N cases with a realistic mix of states; its indexes made after the load), gives every open case
a due date 30 days after it entered its step (the case row and a `deadlines` row per open step of the
history, from which `case_steps` is derived as the write path derives it), then times, best of R after a
warm-up:

- overdue_page:      the first page of 50 overdue cases of one committee's subtree (10 branches), ordered by
                     due date: lostcontact.queries.overdue_page, the function the 超期预警 page and the
                     API call (per branch, from the partial index, for a subtree this small);
- overdue_page_top:  the same page for the whole province (10,000 branches: the due-date index walked);
- overdue_overview:  the whole 超期预警 service call for that committee (counts per traffic light and per
                     child org, plus the same first page of 50), as the supervisor sees it.

The floor of each is its own time at --small, the two sizes timed interleaved call by call (bench/two_sizes.py,
so load from other processes falls on both alike); the goal is t(--large) ≤ 2 × floor: ten times the cases
may not cost more than twice the time (an index range, not a scan of the table). --fanout sets the tree's
children per org (10: 10,000 branches); a smaller tree keeps as many cases a committee at smaller N as the
full size has (bench/__main__.py's medium size), so both sides fill the same share of the page.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import text

from . import tally
from .two_sizes import best_interleaved, metric_rows

GOAL = 2.0
PAGE = 50
DUE_AFTER_DAYS = 30
REPEAT = 15  # calls of a millisecond or less: best of many, else one preempted call decides the ratio


def build(url: str, cases: int, fanout: int = 10) -> dict:
    """The tally world, its schema migrated, due dates set, and a supervisor over the whole province."""
    from lostcontact.policies import ensure_default_policy
    from lostcontact.services.users import add_user
    from lostcontact.uow import UnitOfWork
    from models.case_steps import refresh_steps
    from models.db import open_database

    built = tally.build(url, cases, tally.SEED, fanout, packed=True)  # the two sizes are built alike
    db = open_database(url)
    with UnitOfWork(db) as uow:  # the policy the page's traffic lights read
        ensure_default_policy(uow.session)
        uow.commit()
    plus = (lambda day: f"date({day}, '+{DUE_AFTER_DAYS} days')") if db.is_sqlite else (
        lambda day: f"{day} + {DUE_AFTER_DAYS}")
    with db.writer.begin() as conn:
        conn.execute(text(f"UPDATE cases SET due_on = {plus('step_entered_on')} "
                          "WHERE state NOT IN ('closed', 'deceased', 'voided')"))
        # every open step's deadline, as the transition that entered it recorded it, and the steps derived
        # from the history as the write path derives them (set-based, the migration's backfill)
        conn.execute(text(
            "INSERT INTO deadlines (case_id, step_seq, state, entered_on, due_on, provisional, policy_version, "
            f"effective_on, recorded_at) SELECT case_id, seq, to_state, effective_on, {plus('effective_on')}, "
            f"false, 'default-1', effective_on, recorded_at FROM case_events "
            "WHERE to_state NOT IN ('closed', 'deceased', 'voided') ORDER BY case_id, seq"))
        # statistics of the rows just written: without them PostgreSQL plans the derivation for an empty table
        conn.exec_driver_sql("ANALYZE deadlines")
        refresh_steps(conn, "SELECT id FROM cases")
    add_user(db, "supervisor", role="supervisor", org_code="P")
    for table in ("cases", "deadlines", "case_steps"):  # only these changed since tally.build analysed everything
        tally._analyze(db, table)
    db.dispose()
    return built


def _org(db, level: str) -> tuple[str, str]:
    """The first org of `level` (code, path): the same org at every size."""
    with db.engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT o.code, o.path FROM orgs o WHERE o.level = :level ORDER BY o.id LIMIT 1"), {"level": level}).one())


def _page(db, path: str, today):
    from sqlalchemy.orm import Session

    from lostcontact.queries.overdue_page import overdue_page

    def page() -> int:
        with Session(db.engine) as session:
            return len(overdue_page(session, path, today, limit=PAGE))
    return page


def subjects(db) -> dict:
    """The measured calls on `db`, each returning what it found (a warm-up checks there is something)."""
    from lostcontact.queries.overdue import overdue_overview

    code, path = _org(db, "committee")
    return {
        "overdue_page": _page(db, path, tally.TODAY),
        "overdue_page_top": _page(db, _org(db, "province")[1], tally.TODAY),
        "overdue_overview": lambda: len(overdue_overview(db, actor_login="supervisor", today=tally.TODAY,
                                                         org_code=code, limit=PAGE).cases),
    }


def compare(small_url: str, large_url: str, repeat: int) -> dict[str, tuple[float, float]]:
    """Best-of-`repeat` seconds of each call at both sizes, interleaved call by call."""
    from models.db import open_database

    dbs = [open_database(small_url), open_database(large_url)]
    calls = [subjects(db) for db in dbs]
    for side in calls:
        for name, call in side.items():
            assert call() > 0, f"{name}: no overdue case in the subtree"
    best = best_interleaved(*calls, repeat)
    for db in dbs:
        db.dispose()
    return best


def measure(engine: str, new_url, small: int, large: int, repeat: int, fanout: int = 10) -> list[dict]:
    """One JSON-ready metric per subject: value = t(large), floor = t(small). `new_url(name)` gives a fresh
    database URL on `engine` (a SQLite file, or a new PostgreSQL database) and drops it later itself."""
    urls = {}
    for size in (small, large):
        urls[size] = new_url(f"overdue_{size}")
        build(urls[size], size, fanout)
    return metric_rows("", engine, small, large, compare(urls[small], urls[large], repeat), GOAL)


def main() -> None:
    from .importing import Databases

    parser = argparse.ArgumentParser(prog="python -m bench.overdue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--fanout", type=int, default=10, help="children per org (10: 10,000 branches)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-overdue-"))
    dbs = Databases(args.db_url, workdir)
    try:
        for metric in measure("postgresql" if args.db_url else "sqlite", dbs.new, args.small, args.large, args.repeat,
                              args.fanout):
            print(json.dumps(metric) if args.json else
                  f"{metric['metric']:18} {metric['engine']:10} {args.small:>9,} cases {metric['floor']:9.3f} ms   "
                  f"{args.large:>9,} cases {metric['value']:9.3f} ms   ratio {metric['ratio']:.2f} (goal ≤ {GOAL:g})")
    finally:
        dbs.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
