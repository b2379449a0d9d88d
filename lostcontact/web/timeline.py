"""The case timeline: every transition and every search entry in the order they happened (DOMAIN.md §6:
the history is the source of every form). Within one day, search entries sit after the step that began
the search and before the step that ended it — the only order the lifecycle allows."""
from __future__ import annotations


def _within_day(entry: dict) -> int:
    if entry["kind"] == "search":
        return 1
    return 2 if entry["from"] == "searching" else 0


def timeline(case: dict) -> list[dict]:
    entries = [{"kind": "event", **event} for event in case["history"]]
    entries += [{"kind": "search", "from": None, **entry} for entry in case["search_log"]]
    # sorted() is stable: the history's own order (its sequence) holds among events of one day
    return sorted(entries, key=lambda e: (e["at"], _within_day(e)))
