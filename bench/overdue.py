"""The supervisor's overdue query at two sizes: index-bound, or a scan?

    python -m bench.overdue [--small 100000] [--large 1000000] [--db-url URL] [--repeat R] [--json]

Builds the tally benchmark's world twice (bench/tally.py: a province of 10,000 branches under 1,000
committees, N cases with a realistic mix of states), gives every open case a due date 30 days after it
entered its step, then times, best of R after a warm-up:

- overdue_page:      the first page of 50 overdue cases of one committee's subtree, ordered by due date
                     (the SELECT of 超期预警's case list: open, due before today, in the subtree);
- overdue_overview:  the whole 超期预警 service call for that committee (counts per traffic light and per
                     child org, plus the same first page of 50), as the supervisor sees it.

The floor of each is its own time at --small; the goal is t(--large) ≤ 2 × floor: ten times the cases
may not cost more than twice the time (an index range, not a scan of the table).
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from . import tally

GOAL = 2.0
PAGE = 50
DUE_AFTER_DAYS = 30


def build(url: str, cases: int) -> dict:
    """The tally world, its schema migrated, due dates set, and a supervisor over the whole province."""
    from lostcontact.policies import ensure_default_policy
    from lostcontact.services.users import add_user
    from lostcontact.uow import UnitOfWork
    from models.db import open_database

    built = tally.build(url, cases, tally.SEED)
    db = open_database(url)
    with UnitOfWork(db) as uow:  # the policy the page's traffic lights read
        ensure_default_policy(uow.session)
        uow.commit()
    plus = (f"date(step_entered_on, '+{DUE_AFTER_DAYS} days')" if db.is_sqlite
            else f"step_entered_on + {DUE_AFTER_DAYS}")
    with db.writer.begin() as conn:
        conn.execute(text(f"UPDATE cases SET due_on = {plus} WHERE state NOT IN ('closed', 'deceased', 'voided')"))
    add_user(db, "supervisor", role="supervisor", org_code="P")
    tally._analyze(db)
    db.dispose()
    return built


def _committee(db) -> tuple[str, str]:
    """The committee with the most overdue cases: the fullest first page (code, path)."""
    with db.engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT o.code, o.path FROM orgs o WHERE o.level = 'committee' ORDER BY o.id LIMIT 1")).one())


def _page_query(db, path: str, today):
    from sqlalchemy import select

    from lostcontact.orgtree import in_subtree
    from models import Case, Member, Org
    from statemachines.lifecycle import OPEN_STATES

    query = (select(Case.id, Case.due_on, Member.name, Org.code).join(Member, Member.id == Case.member_id)
             .join(Org, Org.id == Case.branch_id)
             .where(Case.state.in_(OPEN_STATES), in_subtree(Org.path, path), Case.due_on < today)
             .order_by(Case.due_on, Case.id).limit(PAGE))

    def page() -> int:
        with db.engine.connect() as conn:
            return len(conn.execute(query).all())
    return page


def timings(url: str, repeat: int) -> dict[str, float]:
    """Best-of-`repeat` seconds of each measured call on the database at `url`."""
    from lostcontact.queries.overdue import overdue_overview
    from models.db import open_database

    db = open_database(url)
    code, path = _committee(db)
    subjects = {
        "overdue_page": _page_query(db, path, tally.TODAY),
        "overdue_overview": lambda: len(overdue_overview(db, actor_login="supervisor", today=tally.TODAY,
                                                         org_code=code, limit=PAGE).cases),
    }
    best = {}
    for name, call in subjects.items():
        assert call() > 0, f"{name}: no overdue case in the committee"  # warm-up, and a check of the data
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        best[name] = min(samples)
    db.dispose()
    return best


def measure(engine: str, new_url, small: int, large: int, repeat: int) -> list[dict]:
    """One JSON-ready metric per subject: value = t(large), floor = t(small). `new_url(name)` gives a fresh
    database URL on `engine` (a SQLite file, or a new PostgreSQL database) and drops it later itself."""
    at = {}
    for size in (small, large):
        url = new_url(f"overdue_{size}")
        build(url, size)
        at[size] = timings(url, repeat)
    return [{"metric": name, "engine": engine, "n": large, "value": round(at[large][name] * 1e3, 3), "unit": "ms",
             "floor": round(at[small][name] * 1e3, 3), "ratio": round(at[large][name] / at[small][name], 2),
             "goal": GOAL, "floor_n": small} for name in at[small]]


def main() -> None:
    from .importing import Databases

    parser = argparse.ArgumentParser(prog="python -m bench.overdue", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: SQLite files)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-overdue-"))
    dbs = Databases(args.db_url, workdir)
    try:
        for metric in measure("postgresql" if args.db_url else "sqlite", dbs.new, args.small, args.large, args.repeat):
            print(json.dumps(metric) if args.json else
                  f"{metric['metric']:18} {metric['engine']:10} {args.small:>9,} cases {metric['floor']:9.3f} ms   "
                  f"{args.large:>9,} cases {metric['value']:9.3f} ms   ratio {metric['ratio']:.2f} (goal ≤ {GOAL:g})")
    finally:
        dbs.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
