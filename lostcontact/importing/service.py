"""`import_file`: read a roster file as a stream, check every row, stage the good ones, check the whole
file against itself and the database in SQL, then write set-based — all in ONE transaction, so a refused
file (or a failure half-way) leaves every table unchanged, import_log included. A dry run does all of it
and rolls back, so it reports exactly what a real import would do.

An import `actor` (a user's login) is limited to that user's subtrees (scope.py); without one it is the
local operator's. A real import adds one entry to the audit log, in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import insert

from models import ImportLog
from models.db import Database
from statemachines.errors import UsageError
from statemachines.policy import Policy

from ..policies import policy_as_of
from ..services import audit
from ..services.audit import Origin
from ..uow import UnitOfWork
from .columns import HeaderMap, map_header
from .contacts import ContactImport
from .kind import Context, Kind
from .members import MemberImport
from .orgs import OrgImport
from .persons import PersonImport
from .police import CrossingImport, HoldingImport
from .problems import UNREADABLE, BadValue, Problems
from .scope import Scope, import_scope
from .sources import Row, Source, open_source
from .staging import analyze, bulk_insert, bulk_settings, drop, temp_table

KINDS: dict[str, type[Kind]] = {"orgs": OrgImport, "members": MemberImport, "contacts": ContactImport,
                                "persons": PersonImport, "police_holdings": HoldingImport,
                                "police_crossings": CrossingImport}
BATCH_ROWS = 5000
PROGRESS_EVERY = 10_000

Warning_ = tuple[str, str]


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    file_name: str
    format: str                    # csv / xlsx
    encoding: str | None           # the encoding a CSV was read in
    dry_run: bool
    rows: int
    inserted: int
    updated: int
    unchanged: int
    warnings: list[Warning_] = field(default_factory=list)
    log_id: int | None = None              # the import_log entry of a real import
    recorded_at: datetime | None = None


def audit_detail(summary: ImportSummary) -> dict:
    """What the audit log keeps of an import (its kind is in the action, import.<kind>): never a row of the file."""
    return {"file": summary.file_name, "rows": summary.rows, "inserted": summary.inserted,
            "updated": summary.updated, "unchanged": summary.unchanged, "import_log": summary.log_id}


def import_file(db: Database, kind: str, path: str | Path, *, today: date, dry_run: bool = False,
                encoding: str | None = None, sheet: str | None = None,
                progress: Callable[[int], None] | None = None, actor: str | None = None,
                origin: Origin | None = None) -> ImportSummary:
    """Import an orgs, members or contacts file; all or nothing. Raises BadInput listing every bad row
    (a RefusedFile when the rows are at fault), Refused when `actor` may not import this kind."""
    if kind not in KINDS:
        raise UsageError(f"未知导入类型 {kind}（{'|'.join(KINDS)}）", f"unknown import kind {kind} ({'|'.join(KINDS)})")
    path = Path(path)
    with UnitOfWork(db) as uow:
        scope = import_scope(uow.session, actor, kind)  # who may, before the file is read
        policy = policy_as_of(uow.session, today)
        conn = uow.session.connection()
        with bulk_settings(conn):
            summary = _import(conn, KINDS[kind](), path, today=today, dry_run=dry_run, encoding=encoding,
                              sheet=sheet, progress=progress, scope=scope, policy=policy, actor=actor or "operator")
        if not dry_run:
            audit.record(uow.session, actor=actor, action=f"import.{kind}", target_kind="import",
                         target=summary.file_name, org_id=scope.org_id if scope else None,
                         detail=audit_detail(summary), origin=origin)
            uow.commit()
    if progress:
        progress(summary.rows)
    return summary


def _import(conn, spec: Kind, path: Path, *, today: date, dry_run: bool, encoding: str | None, sheet: str | None,
            progress: Callable[[int], None] | None, scope: Scope | None, policy: Policy,
            actor: str = "operator") -> ImportSummary:
    """Everything but the commit, on the unit of work's connection."""
    problems = Problems(path.name)
    warnings: list[Warning_] = []
    stage = temp_table(conn, "stage", spec.staging_columns())
    ctx = Context(today=today, now=datetime.now(timezone.utc), file_name=path.name, present=frozenset(),
                  problems=problems, scope=scope, policy=policy, actor=actor)
    with open_source(path, encoding=encoding, sheet=sheet, problems=problems, warnings=warnings) as source:
        rows = _stage_file(conn, spec, source, stage, ctx, warnings, progress)
        fmt, used_encoding = source.format, source.encoding
    spec.check_file(conn, stage, ctx)
    if problems:
        raise problems.refuse()
    counts = spec.write(conn, stage, ctx)
    if problems:  # found only while writing (an org cycle): the transaction is rolled back
        raise problems.refuse()
    log_id = conn.execute(insert(ImportLog).values(kind=spec.name, file_name=path.name[:400], rows=rows,
                                                   inserted=counts.inserted, updated=counts.updated,
                                                   unchanged=counts.unchanged, recorded_at=ctx.now)
                          ).inserted_primary_key[0]
    spec.cleanup(conn)
    drop(conn, stage)
    return ImportSummary(spec.name, path.name, fmt, used_encoding, dry_run, rows, counts.inserted, counts.updated,
                         counts.unchanged, warnings, None if dry_run else log_id, None if dry_run else ctx.now)


def _stage_file(conn, spec: Kind, source: Source, stage, ctx: Context, warnings: list[Warning_],
                progress: Callable[[int], None] | None) -> int:
    """Check each row as it streams by and stage the good ones in batches; note in `ctx` which columns
    the file has. Returns the number of data rows."""
    problems = ctx.problems
    rows = iter(source.rows)
    header_row = _header(rows)
    if header_row is None:
        if not problems:  # (when every line was unreadable, that is the problem to report)
            problems.add(None, None, None, "文件没有表头行", "the file has no header row")
        raise problems.refuse()
    number, header = header_row
    if problems:  # the header itself could not be read (a formula, an undecodable line before it)
        raise problems.refuse()
    header_map = map_header(number, header, spec.columns, problems, warnings)
    if problems:  # a wrong header makes every row wrong: say so once
        raise problems.refuse()
    ctx.present = header_map.names
    spec.prepare(ctx.present)
    batch: list[tuple] = []
    count = 0
    for number, record, ok in _records(rows, header_map, spec, problems):
        count += 1
        if ok and spec.checks_rows:
            spec.check_row(number, record, ctx)
        # A bad row is staged too (its bad cells empty), so the whole-file checks can list its other
        # problems in the same refusal; nothing is written once there is a problem.
        batch.append(spec.stage_row(number, record))
        if len(batch) >= BATCH_ROWS:
            bulk_insert(conn, stage, batch)
            batch.clear()
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    if batch:
        bulk_insert(conn, stage, batch)
    analyze(conn, stage)
    if count == 0:
        warnings.append(("文件只有表头，没有数据行", "the file has a header but no data rows"))
    return count


def _is_blank(cells: list) -> bool:
    for cell in cells:
        if cell is not None and cell != "" and not (isinstance(cell, str) and cell.isspace()):
            return False
    return True


def _header(rows: Iterator[Row]) -> Row | None:
    for number, cells in rows:
        if not _is_blank(cells):
            return number, cells
    return None


def _records(rows: Iterator[Row], header_map: HeaderMap, spec: Kind, problems: Problems):
    """(row number, record, whether every cell was good) for each non-blank data row. A blank row followed
    by more data is a problem (two tables run together, or a row deleted by mistake); blank rows at the
    end are the usual leftovers of a spreadsheet and are ignored."""
    plan = [(index, column.name, column.parse, column.required and not column.blank_ok)
            for index, column in header_map.positions]
    width = header_map.width
    blank_from = blank_to = 0  # the run of blank rows just read (a sheet may have a million at its end)
    for number, cells in rows:
        first = cells[0] if cells else None
        if not (type(first) is str and first and not first.isspace()) and _is_blank(cells):
            blank_from, blank_to = blank_from or number, number
            continue
        if blank_from:
            span_zh, span_en = ((f"第{blank_from}–{blank_to}行", f"rows {blank_from}-{blank_to}")
                                if blank_to > blank_from else ("", ""))
            problems.add(blank_from, None, None, f"数据中间有空行{span_zh}",
                         f"a blank row in the middle of the data{' (' + span_en + ')' if span_en else ''}")
            blank_from = 0
        size = len(cells)
        ok = True
        if size > width and not _is_blank(cells[width:]):
            problems.add(number, None, None, f"此行在表头以外的列还有数据（共{size}格，表头{width}列；逗号未加引号？）",
                         f"the row has values beyond the header's {width} columns ({size} cells: an unquoted comma?)")
            ok = False
        record = {}
        for index, name, parse, must_fill in plan:
            raw = cells[index] if index < size else None
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                if must_fill:
                    spec.report(problems, number, name, None, ("必填项为空", "a required value is empty"))
                    ok = False
                record[name] = None
            elif raw is UNREADABLE:
                record[name] = None
                ok = False
            else:
                try:
                    record[name] = parse(raw)
                except BadValue as why:
                    spec.report(problems, number, name, raw, why)
                    record[name] = None
                    ok = False
        yield number, record, ok
