"""Cells of exported spreadsheets that a person typed (names, notes, messages): text that a spreadsheet would
take for a formula (starting with = + - @, a tab or a carriage return) is written with a leading single quote,
so it shows as the text it is and never runs (CSV/formula injection)."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """`value` unchanged unless it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
