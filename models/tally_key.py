"""The tally key: the facts of a case row that decide its A–X bucket (DOMAIN.md §8), as one small integer
the database computes and stores itself (a generated column), so the tally of today is one GROUP BY over
an index of (branch, key), as cheap as counting states. The key only encodes facts; which columns they
count in is statemachines.tally.case_columns, and lostcontact.queries.tally.facts decodes the key.

    key = state + 3·reached + 9·final_reached + 27·final_disposition
    state: 0 other, 1 voided, 2 deceased;  reached / final_reached: 0 NULL, 1 yes, 2 no;
    final_disposition: the disposition in force (a reopened round keeps the closed round's: restore_*),
    0 none, its code below, UNKNOWN for a closed round whose disposition is missing or unknown.

The codes are stored: never renumber them (add new ones at the end).
"""
from __future__ import annotations

from sqlalchemy import case

STATE_CODES = {"voided": 1, "deceased": 2}
DISPOSITION_CODES = {
    "normal_management": 1, "retain_relationship": 2, "suspend_reached_abroad": 3, "correct_within_deadline": 4,
    "persuade_withdraw": 5, "removal_self_withdrawal": 6, "removal_requested": 7, "non_recognition": 8,
    "annul_probationary": 9, "expelled": 10, "suspend_unreachable": 11, "suspend_abroad_unreachable": 12,
}
UNKNOWN = 99


def _tri(column: str) -> str:
    return f"(CASE WHEN {column} IS NULL THEN 0 WHEN {column} THEN 1 ELSE 2 END)"


def _codes(column: str, codes: dict[str, int], otherwise: str) -> str:
    whens = " ".join(f"WHEN '{name}' THEN {code}" for name, code in codes.items())
    return f"(CASE {column} {whens} ELSE {otherwise} END)"


_REOPENED, _CLOSED = "reopen_kind IS NOT NULL", "state = 'closed'"
_FINAL_REACHED = f"(CASE WHEN {_REOPENED} THEN {_tri('restore_reached')} WHEN {_CLOSED} THEN {_tri('reached')} ELSE 0 END)"
_FINAL = (f"(CASE WHEN {_REOPENED} THEN {_codes('restore_disposition', DISPOSITION_CODES, str(UNKNOWN))} "
          f"WHEN {_CLOSED} THEN {_codes('disposition', DISPOSITION_CODES, str(UNKNOWN))} ELSE 0 END)")

TALLY_KEY_SQL = (f"{_codes('state', STATE_CODES, '0')} + 3 * {_tri('reached')} + 9 * {_FINAL_REACHED} "
                 f"+ 27 * {_FINAL}")


def history_key_parts(to_state, reached, disposition):
    """The same key read back from the history, as two SQL expressions over a `case_events` record:
    (state + 3·reached of the latest record on a day, 9·final_reached + 27·final_disposition of the latest
    closing record on or before it). Their sum, with 0 for a case not closed by then, is the key the case
    row would have held that day, so one decoder reads both (lostcontact.queries.tally)."""
    def tri(column):
        return case((column.is_(None), 0), (column.is_(True), 1), else_=2)

    latest = case(STATE_CODES, value=to_state, else_=0) + 3 * tri(reached)
    final = 9 * tri(reached) + 27 * case(DISPOSITION_CODES, value=disposition, else_=UNKNOWN)
    return latest, final
