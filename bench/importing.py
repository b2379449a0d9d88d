"""The roster import at scale, against a bare-executemany floor measured in the same run.

    python -m bench.importing [--members N] [--contacts N] [--no-xlsx] [--db-url URL] [--workdir DIR]

Generates (seeded) an org tree, N members as CSV and as XLSX (written as Excel writes it, text in the
shared-strings table) and M contact events as CSV in two orders (defaults: one million members, five
million events), then times, each in a fresh child process on a fresh database:

- import:  `lostcontact.importing.import_file` — parse, normalise and check every cell, stage, check the
  whole file in SQL, write members (or events and last-contact dates) and the import log, one transaction;
- floor:   the same file read with `csv.reader` (or openpyxl read-only for XLSX) and its rows inserted
  as they are, in file order — branch codes and ID numbers mapped to ids through a dict built before the
  clock starts, empty cells as NULL — into the same table in one transaction with the same bulk insert
  (executemany on SQLite, COPY on PostgreSQL) and the same SQLite page cache. No checks, no staging, no
  last-contact dates.

The floor's cost depends on the order of the file (inserts in index order are cheap, at random dear),
the import's much less (it inserts in index order whatever the file's). So the contact events are timed
twice: going round the members (random to the indexes) and grouped by member in ID-number order (the
floor's best case, hence the honest ratio).

Reported: rows/s for each, the ratio import / floor (goal ≤ 3 for CSV) and the child's peak RSS (VmHWM;
goal < 400 MB). The database is SQLite with the project's engine settings unless --db-url names a
PostgreSQL server (a database per run is created there and dropped).
"""
from __future__ import annotations

import argparse
import csv
import multiprocessing
import resource
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from . import roster_files as files
from .dbfiles import copy_synced

CSV_GOAL = 3.0
RSS_GOAL_MB = 400
SEED = 20160620
BATCH = 5000


@dataclass(frozen=True)
class Result:
    name: str
    rows: int
    seconds: float
    peak_rss_mb: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


# --- databases ----------------------------------------------------------------------------------------

class Databases:
    """Fresh databases from templates: SQLite files copied, PostgreSQL `CREATE DATABASE … TEMPLATE`."""

    def __init__(self, url: str | None, workdir: Path):
        self.workdir = workdir
        self.server = make_url(url) if url else None
        self.made: list[str] = []

    def new(self, name: str, template: str | None = None) -> str:
        if self.server is None:
            path = self.workdir / f"{name}.db"
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):  # of an earlier run
                leftover.unlink(missing_ok=True)
            if template:
                copy_synced(make_url(template).database, path)
            return f"sqlite:///{path}"
        db_name = f"lc_bench_{name}_{uuid.uuid4().hex[:6]}"
        with self._admin() as conn:
            suffix = f' TEMPLATE "{make_url(template).database}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{db_name}"{suffix}'))
        self.made.append(db_name)
        return self.server.set(database=db_name).render_as_string(hide_password=False)

    def _admin(self):
        return create_engine(self.server, isolation_level="AUTOCOMMIT").connect()

    def drop_all(self) -> None:
        if self.server is None:
            return
        with self._admin() as conn:
            for name in self.made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _open(url: str):
    from models.db import open_database
    return open_database(url)


def prepare_schema(url: str, orgs_csv: Path) -> None:
    from lostcontact.importing import import_file
    from lostcontact.services.setup import init_database

    db = _open(url)
    init_database(db)
    import_file(db, "orgs", orgs_csv, today=files.TODAY)
    db.dispose()


# --- the measured work, each run in a child process ------------------------------------------------------

def run_import(url: str, kind: str, path: str) -> tuple[int, float]:
    from lostcontact.importing import import_file

    db = _open(url)
    started = time.perf_counter()
    summary = import_file(db, kind, path, today=files.TODAY)
    elapsed = time.perf_counter() - started
    db.dispose()
    assert summary.inserted + summary.unchanged == summary.rows, summary
    return summary.rows, elapsed


def run_floor(url: str, kind: str, path: str) -> tuple[int, float]:
    from lostcontact.importing.staging import bulk_insert, bulk_settings
    from models import ContactEvent, Member, Org

    db = _open(url)
    now = datetime.now(timezone.utc).isoformat(sep=" ")
    columns = _floor_columns(kind)
    with db.writer.connect() as conn:
        if kind == "members":
            lookup = dict(conn.execute(select(Org.code, Org.id)).all())
            table = Member.__table__
        else:
            lookup = dict(conn.execute(select(Member.id_number, Member.id)).all())
            table = ContactEvent.__table__
        conn.rollback()
        started = time.perf_counter()
        count = 0
        with conn.begin(), bulk_settings(conn):
            batch: list[tuple] = []
            for row in _floor_rows(kind, Path(path), lookup, now):
                batch.append(row)
                if len(batch) >= BATCH:
                    bulk_insert(conn, table, batch, columns)
                    count += len(batch)
                    batch.clear()
            if batch:
                bulk_insert(conn, table, batch, columns)
                count += len(batch)
        elapsed = time.perf_counter() - started
    db.dispose()
    return count, elapsed


def _floor_columns(kind: str) -> list[str]:
    if kind == "members":
        return ([f for f in files.MEMBER_FIELDS if f != "branch_code"]
                + ["branch_id", "last_contact_on", "updated_at", "receipt_returned"])
    return ["member_id", "on_date", "kind", "source", "recorded_at"]


def _floor_rows(kind: str, path: Path, lookup: dict, now: str):
    branch_at = files.MEMBER_FIELDS.index("branch_code")
    join_at = files.MEMBER_FIELDS.index("join_date")
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook
        sheet = load_workbook(path, read_only=True).worksheets[0]
        source = sheet.iter_rows(min_row=2, values_only=True)
        for cells in source:
            row = [c.date().isoformat() if isinstance(c, datetime) else c for c in cells]
            yield (*row[:branch_at], *row[branch_at + 1:], lookup[row[branch_at]], row[join_at], now, False)
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        if kind == "members":
            for cells in reader:
                row = [c or None for c in cells]
                yield (*row[:branch_at], *row[branch_at + 1:], lookup[row[branch_at]], row[join_at], now, False)
        else:
            for id_number, day, contact_kind in reader:
                yield lookup[id_number], day, contact_kind, "import", now


def peak_rss_mb() -> float:
    """This process's peak resident set. VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the
    forking parent, so a child spawned by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(conn, func, args) -> None:
    rows, seconds = func(*args)
    conn.send((rows, seconds, peak_rss_mb()))
    conn.close()


def measure(name: str, func, *args, in_process: bool = False) -> Result:
    """`func(*args)` in a fresh child process (its peak RSS is then the work's own), or — `in_process`, for
    the suite's quick run, where starting an interpreter per run would cost more than the runs — in this
    one, whose peak RSS says nothing about the work."""
    if in_process:
        rows, seconds = func(*args)
        return Result(name, rows, seconds, peak_rss_mb())
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, func, args))
    process.start()
    send.close()
    rows, seconds, rss = receive.recv()
    process.join()
    return Result(name, rows, seconds, rss)


# --- the run ------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=5_000_000)
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX members file")
    parser.add_argument("--db-url", help="a PostgreSQL server URL (default: SQLite files in the work dir)")
    parser.add_argument("--workdir", type=Path, help="keep the files here (default: a temporary dir, removed)")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lc-bench-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    dbs = Databases(args.db_url, workdir)
    try:
        run(args, workdir, dbs)
    finally:
        dbs.drop_all()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def generate(members: int, contacts: int, xlsx: bool, workdir: str, round_robin: bool = True) -> tuple[int, float]:
    """The files; `round_robin=False` leaves out contacts.csv (the floor's worst order), which only this
    module's own run compares against the honest by-member order."""
    folder, tree = Path(workdir), files.org_tree()
    files.write_orgs(folder / "orgs.csv", tree)
    files.write_members_csv(folder / "members.csv", members, tree, SEED)
    if xlsx:
        files.write_members_xlsx(folder / "members.xlsx", members, tree, SEED)
    if round_robin:
        files.write_contacts_csv(folder / "contacts.csv", contacts, members, SEED + 1)
    files.write_contacts_csv(folder / "contacts_by_member.csv", contacts, members, SEED + 1, by_member=True)
    return members + contacts, 0.0


def run(args, workdir: Path, dbs: Databases) -> None:
    tree = files.org_tree()
    orgs_csv, members_csv = workdir / "orgs.csv", workdir / "members.csv"
    members_xlsx, contacts_csv = workdir / "members.xlsx", workdir / "contacts.csv"
    marker = workdir / "generated.txt"
    wanted = f"members={args.members} contacts={args.contacts} xlsx={not args.no_xlsx} seed={SEED} orders=2"
    if marker.exists() and marker.read_text() == wanted:
        print(f"reusing the files in {workdir}", flush=True)
    else:
        started = time.perf_counter()
        # In a child: the XLSX writer's table of strings would otherwise stay in this process's memory.
        measure("generate", generate, args.members, args.contacts, not args.no_xlsx, str(workdir))
        marker.write_text(wanted)
        print(f"generated {len(tree.rows)} orgs, {args.members:,} members, {args.contacts:,} contact events "
              f"in {time.perf_counter() - started:.0f} s ({workdir})", flush=True)

    with_orgs = dbs.new("orgs")
    prepare_schema(with_orgs, orgs_csv)
    results: list[tuple[Result, Result, float | None]] = []

    def pair(label: str, kind: str, path: Path, template: str, goal: float | None) -> str:
        floor_url, import_url = dbs.new(f"{label}_floor", template), dbs.new(f"{label}_import", template)
        floor = measure(f"{label} floor", run_floor, floor_url, kind, str(path))
        imported = measure(f"{label} import", run_import, import_url, kind, str(path))
        results.append((imported, floor, goal))
        _print(imported, floor, goal)
        return import_url

    with_members = pair("members.csv", "members", members_csv, with_orgs, CSV_GOAL)
    if not args.no_xlsx:
        pair("members.xlsx", "members", members_xlsx, with_orgs, None)
    pair("contacts.csv", "contacts", contacts_csv, with_members, CSV_GOAL)
    pair("contacts_by_member.csv", "contacts", workdir / "contacts_by_member.csv", with_members, CSV_GOAL)

    ok = all((goal is None or i.seconds / f.seconds <= goal) and i.peak_rss_mb < RSS_GOAL_MB
             for i, f, goal in results)
    print("goals met" if ok else "GOALS NOT MET", f"(CSV ratio ≤ {CSV_GOAL}, peak RSS < {RSS_GOAL_MB} MB)")


def _print(imported: Result, floor: Result, goal: float | None) -> None:
    ratio = imported.seconds / floor.seconds
    goal_text = f" (goal ≤ {goal})" if goal else ""
    for result in (imported, floor):
        print(f"{result.name:<29} {result.rows:>10,} rows {result.seconds:8.1f} s "
              f"{result.rows_per_second:>10,.0f} rows/s  peak RSS {result.peak_rss_mb:6.0f} MB", flush=True)
    print(f"{'ratio import/floor':<29} {ratio:.2f}{goal_text}", flush=True)


if __name__ == "__main__":
    main()
