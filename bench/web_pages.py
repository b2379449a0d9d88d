"""The other pages of the web app at two sizes: 超期预警 with its alert list, a case, a member, 我的待办, the
user admin search and the audit log. Does a page cost the same at 10× the cases?

    python -m bench.web_pages [--small 20000] [--large 200000] [--db-url URL] [--repeat R] [--json]
                               [--clock wall|cpu] [--keep DIR]

Builds bench/web_lists.py's world twice (bench/tally.py's province of 10,000 branches, N cases with their
histories and every state, due dates on the open steps, users at each level), then adds what these pages
read, as the running system would have left it:

- alerts as the daily sweep raises and closes them, over the whole three years of history: for every step
  of every case (from `case_events`), a reminder to the branch three days before its due date (entered + 30
  days), an overdue alert to the committee the day after it and an escalation to the county a week later,
  each raised only if the step was still open that day and closed on the day the step was left (open if
  the case still waits in it); and for every case's member a five-month warning (R2) raised 30 days before
  the case opened and closed by it. Closed alerts far outnumber the open ones, as in service;
- 3,000 user accounts (the same at both sizes: the org tree does not grow) and one audit entry per
  four cases, over three years;
- an admin over the province and a county upper reviewer.

Then times, through HTTP (FastAPI's TestClient: session cookie, queries, the template rendered; the
business day is bench/tally.py's TODAY), best of R after a warm-up, the two sizes interleaved call by call:

  alerts_province           /alerts as the province supervisor (counts by light and child org, the overdue
                            cases, the chart and the first 50 open alerts with their total)
  alerts_province_as_of     the same as of a day six months back (?as_of)
  alerts_province_page10    the alert list's 10th page;  alerts_rule_level  filtered to 环节期限 / 超期
  alerts_committee          /alerts as the committee reviewer (a subtree of 10 branches)
  case / member             /cases/{id} and /members/{id} of the same case and member at both sizes
  queue_officer / queue_reviewer / queue_upper   /queue of a branch officer, a committee reviewer and a
                            county upper reviewer
  admin_users_search        /admin/users?q=… matching hundreds of accounts;  admin_users  no query
  audit / audit_who         /admin/audit, newest first, and filtered to one person

and, without HTTP, the query behind the alert list (lostcontact.queries.alerts.list_alerts) of the
province today and as of six months back (list_alerts / list_alerts_as_of).

The floor of each is its own time at --small; the goal is t(--large) ≤ 2 × floor and ≤ 300 ms.

--keep DIR (SQLite) builds the databases in DIR once and times them again on later runs. The world has a
`deadlines` row for every open step of the history (entered + 30 days, bench/overdue.py) and the
`case_steps` derived from them, so a past day's 超期预警 lists the cases overdue that day.
"""
from __future__ import annotations

import random
import re
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from . import tally, web_lists
from .two_sizes import CLOCKS, arguments, best_interleaved, metric_rows, print_rows

GOAL = 2.0
LIMIT_MS = 300
PREFIX = "web_page_"  # of the metrics' names
PASSWORD = "bench-password-42"
DUE_AFTER_DAYS = 30           # as bench/overdue.py sets the open cases' due dates
REMIND_BEFORE, ESCALATE_AFTER = 3, 8
USERS = 3_000
AS_OF_PAST = tally.TODAY - timedelta(days=183)
SAMPLE_CASE = SAMPLE_MEMBER = 1_000   # present at every size (ids are dense from 1)
LOGINS = ("supervisor", "reviewer", "officer", "upper", "admin")


# --- the world ---------------------------------------------------------------------------------------------

def _alert_rows(conn, parent: dict[int, int]):
    """Alerts as the sweep would have raised and closed them over the generated history (see the module's
    docstring), as tuples in ALERT_COLUMNS order."""
    from statemachines.lifecycle import OPEN_STATES

    today, recorded = tally.TODAY, tally.RECORDED_AT
    open_states = set(OPEN_STATES)
    rows = conn.execute(text(
        "SELECT e.case_id, e.seq, e.to_state, e.effective_on, c.branch_id, c.member_id, c.opened_on "
        "FROM case_events e JOIN cases c ON c.id = e.case_id ORDER BY e.case_id, e.seq"))
    previous = None
    for case_id, seq, state, entered, branch, member, opened in rows:
        entered = entered if isinstance(entered, date) else date.fromisoformat(entered)
        if previous is None or previous[0] != case_id:
            if previous is not None:
                yield from _step_alerts(previous, None, parent, open_states, today, recorded)
            opened = opened if isinstance(opened, date) else date.fromisoformat(opened)
            warned = opened - timedelta(days=30)
            yield ("member", member, "R2", "reminder", 0, opened.isoformat(), None, branch, warned.isoformat(),
                   opened.isoformat(), f"党员{member}即将满六个月未联系", recorded)
        elif previous is not None:
            yield from _step_alerts(previous, entered, parent, open_states, today, recorded)
        previous = (case_id, seq, state, entered, branch)
    if previous is not None:
        yield from _step_alerts(previous, None, parent, open_states, today, recorded)


def _step_alerts(step, left: date | None, parent, open_states, today: date, recorded: str):
    case_id, seq, state, entered, branch = step
    if state not in open_states:
        return
    due = entered + timedelta(days=DUE_AFTER_DAYS)
    committee = parent[branch]
    levels = (("reminder", due - timedelta(days=REMIND_BEFORE), branch),
              ("overdue", due + timedelta(days=1), committee),
              ("escalated", due + timedelta(days=ESCALATE_AFTER), parent[committee]))
    for level, raised, org in levels:
        if raised > today or (left is not None and left <= raised):
            continue
        yield ("case", case_id, "R5", level, seq, due.isoformat(), case_id, org, raised.isoformat(),
               left.isoformat() if left else None, f"案件 {case_id} 环节期限 {due}（{level}）", recorded)


ALERT_COLUMNS = ("subject_kind", "subject_id", "rule", "level", "step_seq", "due_on", "case_id", "org_id",
                 "raised_on", "closed_on", "message", "recorded_at")
AUDIT_COLUMNS = ("recorded_at", "actor", "action", "target_kind", "target", "org_id", "detail", "remote_addr")


def build(url: str, cases: int) -> dict:
    from lostcontact.importing.staging import bulk_insert, bulk_settings
    from lostcontact.services import auth
    from lostcontact.services.users import add_user
    from models import Alert, AuditEntry, Grant, User
    from models.db import open_database

    web_lists.build(url, cases)  # the province, histories, due dates; supervisor, city, county, reviewer, officer
    db = open_database(url)
    with db.engine.connect() as conn:
        orgs = conn.execute(text("SELECT id, parent_id, level, code FROM orgs")).all()
        county = conn.execute(text("SELECT code FROM orgs WHERE level = 'county' ORDER BY id LIMIT 1")).scalar_one()
    parent = {oid: parent_id for oid, parent_id, _level, _code in orgs}
    branches = [oid for oid, _p, level, _c in orgs if level == "branch"]
    add_user(db, "upper", role="upper_reviewer", org_code=county)
    add_user(db, "admin", role="admin", org_code="P")
    rng = random.Random(tally.SEED)
    counts = {"alerts": 0, "open_alerts": 0, "audit": cases // 4}
    with db.writer.connect() as conn, conn.begin(), bulk_settings(conn):
        batch = []
        with db.engine.connect() as reader:
            for row in _alert_rows(reader, parent):
                batch.append(row)
                counts["alerts"] += 1
                counts["open_alerts"] += row[9] is None
                if len(batch) == tally.BATCH:
                    bulk_insert(conn, Alert.__table__, batch, ALERT_COLUMNS)
                    batch = []
        if batch:
            bulk_insert(conn, Alert.__table__, batch, ALERT_COLUMNS)
        first = conn.execute(text("SELECT coalesce(max(id), 0) FROM users")).scalar_one() + 1
        users = [(first + i, f"user{i:05d}", f"工作人员{i:05d}", "2017-01-01 00:00:00+00:00", 0) for i in range(USERS)]
        bulk_insert(conn, User.__table__, users, ("id", "login", "name", "created_at", "failed_logins"))
        bulk_insert(conn, Grant.__table__, [(uid, "branch_officer", branches[i * 3 % len(branches)],
                                             "2017-01-01 00:00:00+00:00") for i, (uid, *_r) in enumerate(users)],
                    ("user_id", "role", "org_id", "created_at"))
        start = datetime(2016, 1, 1, tzinfo=timezone.utc)
        span = int((datetime(2018, 12, 31, tzinfo=timezone.utc) - start).total_seconds())
        audit = []
        for i in range(counts["audit"]):
            n = rng.randrange(USERS)
            at = start + timedelta(seconds=rng.randrange(span))
            audit.append((at.isoformat(sep=" "), "admin", rng.choice(("grant.add", "user.password", "user.disable")),
                          "user", f"user{n:05d}", branches[n * 3 % len(branches)], '{"role": "branch_officer"}',
                          "10.0.0.1"))
        bulk_insert(conn, AuditEntry.__table__, audit, AUDIT_COLUMNS)
    if db.engine.dialect.name == "postgresql":  # the ids were given: move the sequence past them
        with db.writer.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"))
    tally._analyze(db)
    saved, auth._hasher = auth._hasher, _cheap_hasher()
    try:
        for login in LOGINS:
            auth.set_password(db, login, PASSWORD)
    finally:
        auth._hasher = saved
    db.dispose()
    return counts


def _cheap_hasher():
    """Real argon2id with the cost turned down: logging in is not what is measured."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# --- the measurements --------------------------------------------------------------------------------------

class Client:
    """The web app over one database, with a logged-in TestClient per user."""

    def __init__(self, url: str):
        from fastapi.testclient import TestClient

        from lostcontact.services import auth
        from lostcontact.web import create_app
        from models.db import open_database

        self.db = open_database(url)
        app = create_app(self.db, today=lambda: tally.TODAY, secret_key="bench-secret")
        auth._hasher = _cheap_hasher()
        self.users = {}
        for login in LOGINS:
            client = TestClient(app, follow_redirects=False)
            form = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            answer = client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": token,
                                                 "next": "/queue"})
            assert answer.status_code == 303, f"{login} could not log in: {answer.status_code}"
            self.users[login] = client
        with self.db.engine.connect() as conn:
            self.committee = conn.execute(text(
                "SELECT code FROM orgs WHERE level = 'committee' ORDER BY id LIMIT 1")).scalar_one()

    def get(self, login: str, path: str):
        def call() -> int:
            answer = self.users[login].get(path)
            assert answer.status_code == 200, f"{path} as {login}: {answer.status_code}"
            return len(answer.content)
        return call

    def subjects(self) -> dict:
        from lostcontact.queries.alerts import list_alerts

        def alert_list(as_of=None):
            return lambda: len(list_alerts(self.db, today=tally.TODAY, actor_login="supervisor", as_of=as_of).rows)

        past = AS_OF_PAST.isoformat()
        return {
            "alerts_province": self.get("supervisor", "/alerts"),
            "alerts_province_as_of": self.get("supervisor", f"/alerts?as_of={past}"),
            "alerts_province_page10": self.get("supervisor", "/alerts?page=10"),
            "alerts_rule_level": self.get("supervisor", "/alerts?rule=R5&level=overdue"),
            "alerts_committee": self.get("reviewer", "/alerts"),
            "list_alerts": alert_list(),
            "list_alerts_as_of": alert_list(AS_OF_PAST),
            "case": self.get("supervisor", f"/cases/{SAMPLE_CASE}"),
            "member": self.get("supervisor", f"/members/{SAMPLE_MEMBER}"),
            "queue_officer": self.get("officer", "/queue"),
            "queue_reviewer": self.get("reviewer", "/queue"),
            "queue_upper": self.get("upper", "/queue"),
            "admin_users": self.get("admin", "/admin/users"),
            "admin_users_search": self.get("admin", "/admin/users?q=%E5%B7%A5%E4%BD%9C%E4%BA%BA%E5%91%98001"),
            "audit": self.get("admin", "/admin/audit"),
            "audit_who": self.get("admin", "/admin/audit?who=admin&action=grant.add"),
        }

    def close(self) -> None:
        self.db.dispose()


def compare(small_url: str, large_url: str, repeat: int, clock=time.perf_counter) -> dict[str, tuple[float, float]]:
    sides = [Client(small_url), Client(large_url)]
    best = best_interleaved(*(side.subjects() for side in sides), repeat, clock)
    for side in sides:
        side.close()
    return best


def measure(engine: str, new_url, small: int, large: int, repeat: int, built: dict | None = None,
            keep: str | None = None, clock: str = "wall") -> list[dict]:
    """One metric per subject: value = t(large) ms, floor = t(small) ms (as bench/web_lists.py)."""
    urls = {}
    for size in (small, large):
        urls[size] = new_url(f"pages_{size}")
        if urls[size] is None:  # --keep: built by an earlier run
            urls[size] = f"sqlite:///{Path(keep) / f'pages_{size}.db'}"
            continue
        counts = build(urls[size], size)
        if built is not None:
            built[size] = counts
    return metric_rows(PREFIX, engine, small, large, compare(urls[small], urls[large], repeat, CLOCKS[clock]),
                       GOAL, "_cpu" if clock == "cpu" else "")


def main() -> None:
    from .importing import Databases

    parser = arguments("python -m bench.web_pages", __doc__, repeat=7)
    parser.add_argument("--keep", metavar="DIR", help="SQLite only: build the databases in DIR once and reuse them")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lc-bench-pages-"))
    dbs = Databases(args.db_url, workdir)
    new_url = dbs.new
    if args.keep and not args.db_url:
        Path(args.keep).mkdir(parents=True, exist_ok=True)

        def new_url(name: str) -> str | None:
            path = Path(args.keep) / f"{name}.db"
            return None if path.exists() else f"sqlite:///{path}"
    built: dict = {}
    try:
        rows = measure("postgresql" if args.db_url else "sqlite", new_url, args.small, args.large, args.repeat, built,
                       args.keep, args.clock)
        if not args.json:
            for size, counts in built.items():
                print(f"# {size:,} cases: {counts}")
        print_rows(rows, args, goal=GOAL, limit_ms=LIMIT_MS, width=34)
    finally:
        dbs.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
