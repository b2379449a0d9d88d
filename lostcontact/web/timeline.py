"""The case timeline: every transition and every search entry in the order they were recorded, grouped by
the day they took effect (DOMAIN.md §6: the history is the source of every form).

Why this order is right. A transition's `seq` is its place in the case's record. A search entry has no seq,
but its place is fixed by the rules: it can only be recorded while the case is in 联系查找, a step only
`start_search` enters (once per case) and the next transition leaves, so every entry lies after the
start_search record and before the record that follows it, among the entries in the order they were
recorded (their ids; show_case lists them by effective day, then id). Neither a transition nor an entry may
be dated before the case's latest record, so record order never runs backwards in days; the day stays the
first key all the same, so that a 补录 entry shows under its own day. The wall-clock `recorded_at` is not
used: two records of one second, or a clock set back, would reorder them."""
from __future__ import annotations


def timeline(case: dict, people: dict[str, str] | None = None) -> list[dict]:
    """The history and search log of `show_case(...)` as one list, each entry with `who` (a name from
    `people`, {login: label}; else the login)."""
    people = people or {}
    events = case["history"]  # in seq order
    search_began = next((i for i, event in enumerate(events) if event["to"] == "searching"), len(events))
    entries = [{**event, "kind": "event", "who": people.get(event["actor"], event["actor"]), "rank": (i, 0)}
               for i, event in enumerate(events)]
    entries += [{**entry, "kind": "search", "from": None, "who": people.get(entry["actor"], entry["actor"]),
                 "rank": (search_began, 1 + j)} for j, entry in enumerate(case["search_log"])]
    return sorted(entries, key=lambda e: (e["at"], e["rank"]))
