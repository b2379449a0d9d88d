"""Dates as the contract writes them: exactly YYYY-MM-DD, everywhere a person or a file gives one.

Python's `date.fromisoformat` accepts far more (20160412, 2016-W15-2, 2016-104; digits of other scripts),
and pydantic takes a Unix timestamp for a date: each of these once changed a case. Every parser of a typed
date — the CLI's options, the web's forms and query strings, the API's bodies, meeting and policy files —
calls `parse_iso_date`. Pure: no I/O, no framework, so any layer may import it."""
from __future__ import annotations

import re
from datetime import date

_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only: \d would take other scripts' digits


def parse_iso_date(text: object) -> date:
    """`text` as a date if it is exactly YYYY-MM-DD and a real day; ValueError otherwise."""
    if not isinstance(text, str) or not _SHAPE.fullmatch(text):
        raise ValueError(f"not a YYYY-MM-DD date: {str(text)[:20]!r}")
    return date.fromisoformat(text)
