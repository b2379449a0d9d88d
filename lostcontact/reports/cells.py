"""Text that goes into a spreadsheet cell: a value a spreadsheet would read as a formula is made inert.

A member named "=HYPERLINK(...)" (or "+1", "-1", "@SUM(...)", or text beginning with a tab or a carriage
return) would otherwise run as a formula when the exported file is opened (CSV/formula injection). The
text is kept, prefixed with a single quote, as the OWASP advice has it; numbers and dates pass unchanged.
Every export the product writes passes the text it did not make itself through `inert`.
"""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """`value` as it may be written to a cell: formula-like text prefixed with ', anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
