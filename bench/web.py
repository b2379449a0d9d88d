"""The web's read hot paths — 我的待办 (work_queue) and 超期预警 (overdue_overview) — against a raw-SQL floor.

    python -m bench.web [--cases N] [--branches B] [--repeat R] [--json]

A county with B branches under B/10 committees and N open cases spread over every step and due date
(inserted in bulk: the pages read `cases`, `members`, `orgs` only). Timed, interleaved so that load from
other processes falls on both sides alike:

  queue-officer / queue-reviewer / queue-upper  work_queue for a branch officer, a committee reviewer and
                                                the county's upper reviewer (the widest scope)
  overview                                      overdue_overview of the county (counts per committee by
                                                traffic light + the 200 most overdue cases)
  member                                        党员信息 (member_view) of one member, as the upper reviewer
  floor                                         one plain SELECT of the 300 open cases with the earliest due
                                                date in the county, joined to members and orgs

Reported: ms per call for each, and each as a ratio to the floor measured in the same run.

The case lists (全部案件 / 已办 / 已办结) and the search are timed by bench/web_lists.py, at two sizes
(20k and 200k cases by default) on a province with histories and every state, as bench/overdue.py does.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from lostcontact.queries.member_page import member_view
from lostcontact.queries.overdue import overdue_overview
from lostcontact.queries.worklist import work_queue
from lostcontact.services.orgs import add_org
from lostcontact.services.setup import init_database
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import Case, Member, Org
from models.db import Database, open_database
from statemachines.lifecycle import OPEN_STATES

TODAY = date(2016, 6, 20)
BATCH = 5000


def build(db: Database, cases: int, branches: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    committees = max(1, branches // 10)
    with UnitOfWork(db) as uow:
        s = uow.session
        add_org(s, code="C0", name="县委组织部", level="county")
        for c in range(committees):
            add_org(s, code=f"K{c}", name=f"第{c}党委", level="committee", parent_code="C0")
        for b in range(branches):
            add_org(s, code=f"B{b}", name=f"第{b}支部", level="branch", parent_code=f"K{b % committees}")
        uow.commit()
    add_user(db, "officer", role="branch_officer", org_code="B0")
    add_user(db, "reviewer", role="committee_reviewer", org_code="K0")
    add_user(db, "upper", role="upper_reviewer", org_code="C0")
    with UnitOfWork(db) as uow:
        s = uow.session
        branch_ids = [i for (i,) in s.execute(select(Org.id).where(Org.level == "branch").order_by(Org.id))]
        for start in range(0, cases, BATCH):
            chunk = range(start, min(cases, start + BATCH))
            members = [{"id": n + 1, "id_number": f"{n:018d}", "name": f"党员{n}", "join_date": date(2000, 1, 1),
                        "standing": "full", "branch_id": branch_ids[n % len(branch_ids)], "mobile": False,
                        "reported": False, "abroad": False, "receipt_returned": False,
                        "last_contact_on": date(2015, 8, 1)} for n in chunk]
            s.execute(insert(Member), members)
            rows = []
            for n in chunk:
                entered = TODAY - timedelta(days=rng.randrange(0, 120))
                rows.append({"member_id": n + 1, "branch_id": branch_ids[n % len(branch_ids)],
                             "state": rng.choice(OPEN_STATES), "origin": "R1", "opened_on": entered,
                             "lost_since": date(2015, 8, 1), "step_seq": 1, "step_entered_on": entered,
                             "due_on": entered + timedelta(days=rng.randrange(5, 40)), "due_provisional": False,
                             "policy_version": "bench", "last_event_on": entered, "last_seq": 1, "version": 1})
            s.execute(insert(Case), rows)
        uow.commit()


FLOOR = text("""
SELECT c.id, c.state, c.due_on, m.name, m.id_number, o.code, o.name
FROM cases c JOIN members m ON m.id = c.member_id JOIN orgs o ON o.id = c.branch_id
WHERE o.path >= :prefix AND o.path < :prefix || '~'
  AND c.state NOT IN ('closed', 'deceased', 'voided')
ORDER BY c.due_on, c.id LIMIT 300
""")


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(cases: int, branches: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}")
        init_database(db)
        build(db, cases, branches)
        with db.engine.connect() as conn:
            prefix = conn.execute(select(Org.path).where(Org.code == "C0")).scalar_one()
        subjects = {
            "queue-officer": lambda: work_queue(db, actor_login="officer", today=TODAY),
            "queue-reviewer": lambda: work_queue(db, actor_login="reviewer", today=TODAY),
            "queue-upper": lambda: work_queue(db, actor_login="upper", today=TODAY),
            "overview": lambda: overdue_overview(db, actor_login="upper", today=TODAY),
            "member": lambda: member_view(db, cases // 2 + 1, today=TODAY, actor_login="upper"),
        }

        def floor():
            with db.engine.connect() as conn:
                conn.execute(FLOOR, {"prefix": prefix}).all()

        samples: dict[str, list[float]] = {name: [] for name in (*subjects, "floor")}
        for call in (*subjects.values(), floor):  # warm the caches once
            call()
        for _ in range(repeat):
            samples["floor"].append(timed(floor))
            for name, call in subjects.items():
                samples[name].append(timed(call))
                samples["floor"].append(timed(floor))
        db.dispose()
    ms = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    return {"cases": cases, "branches": branches, "repeat": repeat,
            "ms": {name: round(value, 2) for name, value in ms.items()},
            "ratio_to_floor": {name: round(ms[name] / ms["floor"], 2) for name in subjects}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--branches", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.cases, args.branches, args.repeat)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['cases']} open cases, {result['branches']} branches; median of {result['repeat']} runs")
    for name, value in result["ms"].items():
        ratio = result["ratio_to_floor"].get(name)
        print(f"  {name:15s} {value:9.2f} ms" + (f"   × floor {ratio}" if ratio is not None else ""))


if __name__ == "__main__":
    main()
