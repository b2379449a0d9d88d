"""The case lists (全部案件 / 已办 / 已办结) and the search at two sizes: does a page cost the same at 10× the cases?

    python -m bench.web_lists [--small 20000] [--large 200000] [--db-url URL] [--repeat R] [--json]
                               [--clock wall|cpu]

Builds bench/overdue.py's world twice (bench/tally.py's province of 10,000 branches, N cases with their
histories and a realistic mix of states, due dates on the open ones), then gives the history's actions to
users: `officer` acted on every case of the first branch, `reviewer` agreed on the first committee's. Times,
best of R after a warm-up, the two sizes interleaved call by call, the query functions the pages and the
API call (lostcontact.queries.case_lists and case_search), each with its capped total:

  all_province           全部案件 of a province supervisor (every case), by last activity (the default)
  all_province_due       the same by due date;  all_province_opened  by opened date, oldest first
  all_province_red       the same filtered to 已超期;  all_province_page10  its 10th page
  all_city_opened        a city supervisor's cases by opened date, newest first (a subtree of 1,111
                         orgs: ix_cases_opened_on walked backwards, each case's org checked)
  all_county_searching   a county supervisor's cases in 联系查找, by case number
  done_committee         已办结 of the committee reviewer
  mine_officer / mine_reviewer   已办 of the branch officer / the committee reviewer
  search_name            names beginning with a prefix (many members), as the province supervisor;
  search_name_officer    the same as a branch officer (few of those members in scope)
  search_tail4 / search_tail6 / search_id / search_case   the last 4 or 6 ID digits, a whole ID, a case number

The floor of each is its own time at --small; the goal is t(--large) ≤ 2 × floor and ≤ 300 ms.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from . import overdue, tally
from .two_sizes import CLOCKS, arguments, best_interleaved, metric_rows, print_rows

GOAL = 2.0
LIMIT_MS = 300
PREFIX = "web_list_"  # of the metrics' names


def build(url: str, cases: int) -> None:
    from lostcontact.services.users import add_user
    from models.db import open_database

    overdue.build(url, cases)  # the province, the due dates, the policy and `supervisor` at P
    db = open_database(url)
    with db.engine.connect() as conn:
        city, county, committee, branch = (conn.execute(text(
            "SELECT code, id, path FROM orgs WHERE level = :level ORDER BY id LIMIT 1"), {"level": level}).one()
            for level in ("city", "county", "committee", "branch"))
    add_user(db, "city", role="supervisor", org_code=city[0])
    add_user(db, "county", role="supervisor", org_code=county[0])
    add_user(db, "reviewer", role="committee_reviewer", org_code=committee[0])
    add_user(db, "officer", role="branch_officer", org_code=branch[0])
    in_branch = "SELECT id FROM cases WHERE branch_id = :branch"
    in_committee = ("SELECT c.id FROM cases c JOIN orgs o ON o.id = c.branch_id "
                    "WHERE o.path >= :path AND o.path < :path || '~'")
    with db.writer.begin() as conn:
        conn.execute(text(f"UPDATE case_events SET actor = 'officer' WHERE case_id IN ({in_branch})"),
                     {"branch": branch[1]})
        conn.execute(text(f"UPDATE case_events SET actor = 'reviewer' WHERE trigger = 'agree' "
                          f"AND case_id IN ({in_committee})"), {"path": committee[2]})
    tally._analyze(db, "case_events")
    db.dispose()


def subjects(db) -> dict:
    from lostcontact.queries.case_lists import ListFilters, case_list
    from lostcontact.queries.case_search import search_cases

    today = tally.TODAY

    def listing(login: str, **filters):
        return lambda: len(case_list(db, actor_login=login, today=today, filters=ListFilters(**filters)).rows)

    def search(term: str, login: str = "supervisor"):
        return lambda: len(search_cases(db, actor_login=login, today=today, term=term).cases)

    return {
        "all_province": listing("supervisor"),
        "all_province_due": listing("supervisor", sort="due", descending=False),
        "all_province_opened": listing("supervisor", sort="opened", descending=False),
        "all_province_red": listing("supervisor", light="red"),
        "all_province_page10": listing("supervisor", page=10),
        "all_city_opened": listing("city", sort="opened"),
        "all_county_searching": listing("county", state="searching", sort="case"),
        "done_committee": listing("reviewer", view="done"),
        "mine_officer": listing("officer", view="mine"),
        "mine_reviewer": listing("reviewer", view="mine"),
        "search_name": search("党员12"),
        "search_name_officer": search("党员1", "officer"),
        "search_tail4": search("1234"),
        "search_tail6": search("012345"),
        "search_id": search(f"{12345:018d}"),
        "search_case": search("12"),
    }


def compare(small_url: str, large_url: str, repeat: int, clock=time.perf_counter) -> dict[str, tuple[float, float]]:
    from models.db import open_database

    dbs = [open_database(small_url), open_database(large_url)]
    calls = [subjects(db) for db in dbs]
    assert all(c["all_province"]() > 0 for c in calls), "no case in the province: the world was not built"
    best = best_interleaved(*calls, repeat, clock)
    for db in dbs:
        db.dispose()
    return best


def measure(engine: str, new_url, small: int, large: int, repeat: int, clock: str = "wall") -> list[dict]:
    """One metric per subject: value = t(large) ms, floor = t(small) ms (as bench/overdue.py)."""
    urls = {}
    for size in (small, large):
        urls[size] = new_url(f"lists_{size}")
        build(urls[size], size)
    return metric_rows(PREFIX, engine, small, large, compare(urls[small], urls[large], repeat, CLOCKS[clock]),
                       GOAL, "_cpu" if clock == "cpu" else "")


def main() -> None:
    from .importing import Databases

    args = arguments("python -m bench.web_lists", __doc__, repeat=9).parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-lists-"))
    dbs = Databases(args.db_url, workdir)
    try:
        print_rows(measure("postgresql" if args.db_url else "sqlite", dbs.new, args.small, args.large, args.repeat,
                           args.clock),
                   args, goal=GOAL, limit_ms=LIMIT_MS, width=32)
    finally:
        dbs.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
