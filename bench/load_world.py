"""The world bench/load.py puts load on: a county with committees and branches, one officer account per
branch, a reviewer per committee and a supervisor over the county (all with a password), members who lost
contact long ago, and open cases opened through the service layer forty days before the business day (so
their first steps are overdue and 超期预警 has something to show). Built untimed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from .worlds import in_parallel

PASSWORD = "load-bench-password-42"
COUNTY = "410402"
COMMITTEES = 2
BRANCHES_PER_COMMITTEE = 5
OPENED_DAYS_AGO = 40


@dataclass(frozen=True)
class World:
    officers: tuple[str, ...]     # one login per branch
    reviewers: tuple[str, ...]    # one login per committee
    supervisor: str
    cases: int


def _id_number(serial: int) -> str:
    from lostcontact.importing.values import with_check_digit

    birth = date(1960, 1, 1) + timedelta(days=serial // 1000)
    return with_check_digit(f"{COUNTY}{birth:%Y%m%d}{serial % 1000:03d}")


def _commits_not_waiting_for_the_disk(url: str) -> str:
    """`url` with PostgreSQL's synchronous_commit off for its connections: the build commits once per case
    opened, and waiting for each commit's flush to the disk made most of its time (a lost commit would lose a
    case of a database dropped after the run anyway). The server under load uses the URL as it is."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    return parsed.update_query_dict({"options": "-c synchronous_commit=off"}).render_as_string(hide_password=False)


def build(url: str, cases: int, today: date) -> World:
    from sqlalchemy import insert

    from lostcontact.services.auth import hash_password
    from lostcontact.services.orgs import add_org
    from lostcontact.services.setup import init_database
    from lostcontact.services.users import add_user
    from lostcontact.uow import UnitOfWork
    from models import Member
    from models.db import open_database

    db = open_database(_commits_not_waiting_for_the_disk(url))
    try:
        init_database(db)
        branches = []
        with UnitOfWork(db) as uow:
            add_org(uow.session, code=COUNTY, name="新华区委组织部", level="county")
            for c in range(COMMITTEES):
                add_org(uow.session, code=f"C{c}", name=f"党委{c}", level="committee", parent_code=COUNTY)
                for b in range(BRANCHES_PER_COMMITTEE):
                    code = f"B{c * BRANCHES_PER_COMMITTEE + b}"
                    add_org(uow.session, code=code, name=f"党支部{code}", level="branch", parent_code=f"C{c}")
                    branches.append(code)
            uow.commit()
        password = hash_password(PASSWORD)
        officers = tuple(f"officer{b}" for b in range(len(branches)))
        reviewers = tuple(f"reviewer{c}" for c in range(COMMITTEES))
        for login, code in zip(officers, branches):
            add_user(db, login, role="branch_officer", org_code=code, password_hash=password)
        for c, login in enumerate(reviewers):
            add_user(db, login, role="committee_reviewer", org_code=f"C{c}", password_hash=password)
        add_user(db, "supervisor", role="supervisor", org_code=COUNTY, password_hash=password)
        with db.engine.begin() as conn:
            branch_ids = dict(conn.exec_driver_sql("SELECT code, id FROM orgs").all())
            conn.execute(insert(Member), [
                dict(id_number=_id_number(i), name=f"党员{i}", join_date=date(2000, 7, 1), standing="full",
                     branch_id=branch_ids[branches[i % len(branches)]], last_contact_on=date(2020, 1, 1))
                for i in range(cases)])
        opened = today - timedelta(days=OPENED_DAYS_AGO)
        # two processes open the cases side by side: each case is a transaction of its own through the service
        # layer, and one process leaves a core idle while PostgreSQL works (the cases' ids then interleave)
        in_parallel([partial(_open_cases, url, range(half, cases, 2), len(branches), today, opened)
                     for half in range(2)])
        return World(officers, reviewers, "supervisor", cases)
    finally:
        db.dispose()


def _open_cases(url: str, serials: range, branches: int, today: date, opened: date) -> None:
    """Open a case for the members `serials`, each by its branch's officer (officer{serial % branches})."""
    from lostcontact.services.cases import open_case
    from models.db import open_database

    db = open_database(_commits_not_waiting_for_the_disk(url))
    try:
        for i in serials:
            open_case(db, _id_number(i), actor_login=f"officer{i % branches}", today=today, at=opened)
    finally:
        db.dispose()


def high_water(url: str) -> dict[str, int]:
    """The last history and search-log ids before the load: what the load adds is above them."""
    from models.db import open_database

    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            return {table: conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()
                    for table in ("case_events", "search_entries")}
    finally:
        db.dispose()


def written_since(url: str, marks: dict[str, int]) -> tuple[list[tuple], list[int]]:
    """History rows (case_id, trigger, to_state) and search-log ids written after `marks`."""
    from models.db import open_database

    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            events = [tuple(row) for row in conn.exec_driver_sql(
                "SELECT case_id, trigger, to_state FROM case_events WHERE id > %(mark)s",
                {"mark": marks["case_events"]}).all()]
            entries = [row[0] for row in conn.exec_driver_sql(
                "SELECT id FROM search_entries WHERE id > %(mark)s", {"mark": marks["search_entries"]}).all()]
        return events, entries
    finally:
        db.dispose()
