"""A transition's (and a hand opening's) change to `case_steps` (models/case_steps.py), made in place: the case's
running span ends on the new record's day and the new step's span begins, instead of rebuilding the case's rows
from its whole history. The rows left are exactly those a rebuild (`refresh_steps`) makes — a property test
(tests/lifecycle/test_case_steps_kept_in_place.py) fires random sequences and compares the two.

Why touching only the running span is enough. The new record (seq k + 1, effective on D) is the case's last,
and no record is effective after D (a step is never recorded before the case's latest event), so it changes
`step_until` of step k alone: from none to D. Step k's spans therefore end at min(their end, D) and vanish
when that is not after their start. Its spans other than the running one end no later than the running one
begins (each ends at the next deadline's effective day, the running one starts at the last deadline's), so:

- usually the running span began before D: it is stored again once per cell of [entered_on, D), and no
  other row moves;
- it began on D: it vanishes, no other row moves;
- it began after D (a due date recounted by the sweep, effective after the day a step is now back-dated to):
  it vanishes, and so does every span beginning on or after D; those running past D are cut at D, with
  their cells after D's.

The new step (open) stands from D with the due date its clock has just recorded, effective on D too.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam, delete, insert, or_, update

from models import CaseStep
from models.case_steps import RUNNING, last_cell_before, span_cells
from statemachines.lifecycle import TERMINAL_OR_CLOSED

from ..prepared import Prepared

_steps = CaseStep.__table__
_COLUMNS = ("case_id", "entered_on", "cell", "left_on", "seq", "state", "due_on", "branch_id")
_CHUNK = 32  # rows per INSERT: a span of over a year has more cells (each count of rows is a statement compiled once)

END_RUNNING_SPAN = Prepared(
    delete(_steps).where(_steps.c.case_id == bindparam("case_id"), _steps.c.cell == RUNNING)
    .returning(_steps.c.entered_on, _steps.c.seq, _steps.c.state, _steps.c.due_on))
# the rare case of a running span that began after D: what began on or after D goes, what runs past D is cut
_DROP_FROM_DAY = Prepared(
    delete(_steps).where(_steps.c.case_id == bindparam("case_id"), or_(
        _steps.c.entered_on >= bindparam("day"),
        (_steps.c.left_on > bindparam("day")) & (_steps.c.cell > bindparam("last_cell")))))
_CUT_AT_DAY = Prepared(
    update(_steps).where(_steps.c.case_id == bindparam("case_id"), _steps.c.left_on > bindparam("day"))
    .values(left_on=bindparam("day")))


@lru_cache(maxsize=_CHUNK)
def _insert_rows(count: int) -> Prepared:
    """INSERT of `count` rows in one statement, parameters `<column>_<row>`."""
    return Prepared(insert(_steps).values([{c: bindparam(f"{c}_{i}", type_=_steps.c[c].type) for c in _COLUMNS}
                                           for i in range(count)]))


def _write(connection, rows: list[tuple]) -> None:
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        _insert_rows(len(chunk)).run(connection, {f"{c}_{i}": value for i, row in enumerate(chunk)
                                                  for c, value in zip(_COLUMNS, row)})


def steps_opened(connection, *, case_id: int, branch_id: int, day: date, state: str, due_on: date | None) -> None:
    """A new case's first step, standing from `day` (its history record 1 and deadline effective then)."""
    _write(connection, [(case_id, day, RUNNING, None, 1, state, due_on, branch_id)])


def steps_moved_on(connection, *, case_id: int, branch_id: int, day: date, seq: int, state: str,
                   due_on: date | None) -> None:
    """The case's history record `seq` (its last), effective on `day`, has just been written, with the new
    step's deadline (due `due_on`, effective on `day`) when the step is open."""
    rows = []
    ended = END_RUNNING_SPAN.run(connection, {"case_id": case_id}).first()
    if ended is not None and ended.entered_on < day:
        rows = [(case_id, ended.entered_on, cell, day, ended.seq, ended.state, ended.due_on, branch_id)
                for cell in span_cells(ended.entered_on, day)]
    elif ended is not None and ended.entered_on > day:
        cut = {"case_id": case_id, "day": day, "last_cell": last_cell_before(day)}
        _DROP_FROM_DAY.run(connection, cut)
        _CUT_AT_DAY.run(connection, cut)
    if state not in TERMINAL_OR_CLOSED:
        rows.append((case_id, day, RUNNING, None, seq, state, due_on, branch_id))
    _write(connection, rows)
