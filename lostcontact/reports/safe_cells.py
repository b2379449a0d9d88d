"""Text that goes into a spreadsheet someone will open: a cell starting with = + - @, a tab or a carriage
return would be taken by Excel or WPS as a formula (CSV/formula injection), so such text gets a leading
single quote and is shown as typed. Every CSV or XLSX export writes its text cells through `neutralise`."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """The value to write into a cell: text that a spreadsheet would evaluate, quoted; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
