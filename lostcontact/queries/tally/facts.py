"""From what the queries return to the tally columns a member counts in: the facts of
statemachines.tally.case_columns, read from a case row's stored tally key or from its history (status.HISTORY).
A few dozen distinct combinations cover any number of rows, so each is worked out once and cached."""
from __future__ import annotations

from typing import Callable

from statemachines import tally as rules
from statemachines.dispositions import DISPOSITIONS
from statemachines.errors import LostContactError

from models.tally_key import DISPOSITION_CODES, STATE_CODES

from .status import unpack


class TallyInvariantBroken(LostContactError):
    """A tally whose records do not fit the rules: never print the sheet (exit 1)."""
    exit_code = 1


def facts_of_key(key: int) -> dict | None:
    """The facts of a case row, from its stored tally key (models.tally_key); None for a voided case
    (counted nowhere)."""
    state, rest = key % 3, key // 3
    if state == STATE_CODES["voided"]:
        return None
    reached, rest = _TRI[rest % 3], rest // 3
    final_reached, code = _TRI[rest % 3], rest // 3
    return {"deceased": state == STATE_CODES["deceased"], "reached": reached, "final_reached": final_reached,
            "final_disposition": None if code == 0 else _BY_CODE.get(code, "")}  # "": missing or unknown


_TRI = {0: None, 1: True, 2: False}
_BY_CODE = {code: name for name, code in DISPOSITION_CODES.items()}


def facts_of_history(then_latest: str, then_final: str | None) -> dict | None:
    """The facts read back from the history on a day (status.HISTORY): the latest record's state and
    reached flag, the latest closing record's disposition and reached flag (approved, recorded or restored)."""
    state, reached, _disposition, _cause, final_disposition, final_reached = unpack(then_latest, then_final)
    if state == "voided":
        return None
    return {"deceased": state == "deceased", "final_disposition": final_disposition,
            "final_reached": final_reached, "reached": reached}


class Positions:
    """What a query returned (a tally key, or a tuple of HISTORY columns) → positions (in
    statemachines.tally.COLUMNS) of the columns a member counts in."""

    def __init__(self, reader: Callable[..., dict | None]):
        self.reader = reader
        self.index = {column: i for i, column in enumerate(rules.COLUMNS)}
        self.cache: dict[tuple, tuple[int, ...]] = {}

    def of(self, raw) -> tuple[int, ...]:
        found = self.cache.get(raw)
        if found is None:
            facts = self.reader(*raw) if isinstance(raw, tuple) else self.reader(raw)
            found = () if facts is None else tuple(self.index[c] for c in columns_of(facts))
            self.cache[raw] = found
        return found


def columns_of(facts: dict) -> tuple[str, ...]:
    disposition = facts["final_disposition"]
    if disposition is not None and disposition not in DISPOSITIONS:
        raise TallyInvariantBroken(f"记录中有已办结但处置代码未知或为空的案件（{disposition!r}），未输出统计表",
                                   f"a case was closed with an unknown or empty disposition ({disposition!r}); "
                                   "nothing was printed")
    return rules.case_columns(**facts)
