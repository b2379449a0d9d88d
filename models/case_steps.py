"""`case_steps`: derived from the case history, rebuildable, never a record of its own.

The 超期预警 of a past day D needs, for every case of a subtree, the open step it stood in on D and the due
date in force then. Replayed from `case_events` and `deadlines` that is a look at each case's history;
here it is an index range. A case's life is cut into spans of days: [entered_on, left_on) in one open
step (`seq`, `state`) with one due date (`due_on`, NULL before any deadline of the step was in force),
left_on NULL while the span runs on. The rules are the replay's, written once in SQL below:

- the step standing on D is the case's history record with the highest `seq` effective on or before D,
  so record k stands from its effective day until the earliest effective day of any later record;
- its due date on D is that step's deadline with the highest id effective on or before D, so deadline d
  holds from its effective day until the earliest effective day of any later deadline of the step.

Steps of closed, deceased and voided cases are not kept: the page counts open steps only.

So that a day's spans are one index range however long the history, a span that has ended is stored once
per CELL_DAYS-day cell it touches (`cell`, days since 1970-01-01 // CELL_DAYS) and a running span once,
in cell RUNNING: the spans standing on D are those of cell(D) or RUNNING entered on or before D and not
left by then. A day's read is the spans standing on it plus those that began or ended within its cell.

`refresh_steps` rebuilds the rows of a set of cases from their history, set-based. Every write of a history
record or deadline keeps the rows in the same unit of work: services/sweep/openings.py (the sweep's
openings) and services/sweep/deadlines.py (recounted due dates) rebuild them, as do the migration that
created the table (its backfill) and the benchmark worlds; a hand opening and every transition
(services/cases.py `record_opening` and `_apply`, back-dated or not, and reopen) change only the case's
running span in place (services/case_step_spans.py, proved equal to a rebuild by a property test), since a
rebuild over the case's history was the largest cost of a step. A case's branch is copied, so whatever moves
a case to another branch must refresh its steps too.
"""
from __future__ import annotations

import functools
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .db import driver_execute

CELL_DAYS = 16
RUNNING = -1
EPOCH = date(1970, 1, 1)
_CLOSED_STATES = "('closed', 'deceased', 'voided')"


def cell_of(day: date) -> int:
    return (day - EPOCH).days // CELL_DAYS


def _sql_cell(day_number: int) -> int:
    """The cell refresh_sql gives a day number: SQL's integer division truncates toward zero (cell_of floors;
    the two differ only before 1970)."""
    return abs(day_number) // CELL_DAYS * (1 if day_number >= 0 else -1)


def last_cell_before(left_on: date) -> int:
    """The last cell a span ending on `left_on` (exclusive) is stored in, as refresh_sql computes it."""
    return _sql_cell((left_on - EPOCH).days - 1)


def span_cells(entered_on: date, left_on: date) -> range:
    """The cells refresh_sql stores the ended span [entered_on, left_on) in."""
    return range(_sql_cell((entered_on - EPOCH).days), last_cell_before(left_on) + 1)


class CaseStep(Base):
    __tablename__ = "case_steps"
    __table_args__ = (
        # the spans standing on a day, per branch: cell = cell(D) or RUNNING, entered_on <= D, read from the
        # index alone (counted by traffic light, or the overdue ones sorted by due date)
        Index("ix_case_steps_branch_cell", "branch_id", "cell", "entered_on", "left_on", "due_on", "state",
              "case_id"),
        # the first overdue spans of a day in due order, for a large subtree (queries.overdue_then): walked
        # in the day's cell and among the running spans until a page has been met
        Index("ix_case_steps_cell_due", "cell", "due_on", "case_id", "entered_on", "left_on", "branch_id", "state"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    entered_on: Mapped[date] = mapped_column(Date, primary_key=True)
    cell: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    left_on: Mapped[date | None]
    seq: Mapped[int]
    state: Mapped[str] = mapped_column(String(24))
    due_on: Mapped[date | None]
    branch_id: Mapped[int] = mapped_column(ForeignKey("orgs.id"))


def _day_number(column: str, dialect: str) -> str:
    if dialect == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def refresh_sql(dialect: str, cases: str) -> str:
    """DELETE-then-INSERT statements (two strings joined by ';\\n') rebuilding the rows of the cases whose
    ids the SQL `cases` selects (a subquery, or a list such as ':case_id')."""
    first_cell = f"{_day_number('entered_on', dialect)} / {CELL_DAYS}"
    last_cell = f"({_day_number('left_on', dialect)} - 1) / {CELL_DAYS}"
    # each a look along an index of the case's own few rows (no join of two derived tables: SQLite would
    # scan one for every row of the other)
    step_until = ("(SELECT MIN(n.effective_on) FROM case_events n WHERE n.case_id = e.case_id AND n.seq > e.seq)")
    due_until = ("(SELECT MIN(n.effective_on) FROM deadlines n WHERE n.case_id = d.case_id "
                 "AND n.step_seq = d.step_seq AND n.id > d.id)")
    first_due = ("(SELECT MIN(n.effective_on) FROM deadlines n WHERE n.case_id = e.case_id "
                 "AND n.step_seq = e.seq)")
    insert = f"""
INSERT INTO case_steps (case_id, entered_on, cell, left_on, seq, state, due_on, branch_id)
WITH RECURSIVE dues AS (
    SELECT d.case_id, e.seq, e.to_state AS state, d.due_on, e.effective_on AS step_since,
           {step_until} AS step_until, d.effective_on AS due_since, {due_until} AS due_until
    FROM deadlines d JOIN case_events e ON e.case_id = d.case_id AND e.seq = d.step_seq
    WHERE d.case_id IN ({cases}) AND e.to_state NOT IN {_CLOSED_STATES}
), before_due AS (
    SELECT e.case_id, e.seq, e.to_state AS state, e.effective_on AS since, {step_until} AS until,
           {first_due} AS first_due
    FROM case_events e WHERE e.case_id IN ({cases}) AND e.to_state NOT IN {_CLOSED_STATES}
), cut AS (
    SELECT case_id, seq, state, due_on,
           CASE WHEN due_since > step_since THEN due_since ELSE step_since END AS entered_on,
           CASE WHEN step_until IS NULL THEN due_until WHEN due_until IS NULL OR due_until > step_until
                THEN step_until ELSE due_until END AS left_on
    FROM dues
    UNION ALL
    SELECT case_id, seq, state, NULL, since,
           CASE WHEN first_due IS NULL THEN until WHEN until IS NULL OR until > first_due THEN first_due
                ELSE until END
    FROM before_due
), spans AS (
    SELECT * FROM cut WHERE left_on IS NULL OR entered_on < left_on
), cells AS (
    SELECT case_id, entered_on, left_on, seq, state, due_on, {first_cell} AS cell, {last_cell} AS last_cell
    FROM spans WHERE left_on IS NOT NULL
    UNION ALL
    SELECT case_id, entered_on, left_on, seq, state, due_on, cell + 1, last_cell FROM cells WHERE cell < last_cell
), rows AS (
    SELECT case_id, entered_on, cell, left_on, seq, state, due_on FROM cells
    UNION ALL
    SELECT case_id, entered_on, {RUNNING}, left_on, seq, state, due_on FROM spans WHERE left_on IS NULL
)
SELECT r.case_id, r.entered_on, r.cell, r.left_on, r.seq, r.state, r.due_on, k.branch_id
FROM rows r JOIN cases k ON k.id = r.case_id"""
    return f"DELETE FROM case_steps WHERE case_id IN ({cases});\n{insert}"


_DIALECTS: dict = {}  # name -> the first dialect of that name seen (all compile these statements alike)


@functools.lru_cache(maxsize=16)
def _statements(dialect_name: str, cases: str) -> tuple:
    """Each statement compiled for the dialect: its SQL in the driver's parameter style, and the parameter
    names in order (None: by name)."""
    dialect = _DIALECTS[dialect_name]
    compiled = [text(statement).compile(dialect=dialect) for statement in refresh_sql(dialect_name, cases).split(";\n")]
    return tuple((c.string, tuple(c.positiontup) if c.positional else None) for c in compiled)


def refresh_steps(connection, cases, params: dict | None = None) -> None:
    """Rebuild the case_steps rows of the cases `cases` selects (SQL text, see refresh_sql, or a SELECT of
    case ids, written out with its values), on `connection`. Run on the driver's cursor (db.driver_execute):
    a transition calls it in its unit of work, where SQLAlchemy's per-statement machinery cost as much as
    the SQL."""
    if not isinstance(cases, str):
        cases = str(cases.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    params = params or {}
    _DIALECTS.setdefault(connection.dialect.name, connection.dialect)
    for sql, order in _statements(connection.dialect.name, cases):
        driver_execute(connection, sql, params if order is None else [params[name] for name in order]).close()
