"""How long each free text typed into a case may be — the same on both engines (SQLite stores any length,
PostgreSQL refused a 300-character witness with an internal error) — checked by the services before the
database sees the text. The API's schemas bound the same fields by the same numbers."""
from __future__ import annotations

from .errors import UsageError

MAX_WITNESS = 200   # 证明人: a name or two
MAX_NOTE = 4000     # 情况说明 of a search-log entry or an attachment
MAX_OPINION = 4000  # 意见 recorded with a step

_FIELDS = {"witness": (MAX_WITNESS, "证明人"), "note": (MAX_NOTE, "情况说明"), "opinion": (MAX_OPINION, "意见")}


def check_text_length(field: str, value: str | None) -> None:
    """UsageError (exit 2) when `value` is longer than the field allows."""
    limit, label = _FIELDS[field]
    if value is not None and len(value) > limit:
        raise UsageError(f"{label}不能超过 {limit} 个字符（现为 {len(value)} 个）",
                         f"the {field} is longer than {limit} characters ({len(value)} given)")
