"""Facts the registers print that are rules, not layout (DOMAIN.md §3, seed 003 附件3–6 填表说明)."""
from __future__ import annotations

from datetime import date

from .clocks import add_months


def lost_months(last_contact: date, search_ended: date | None, as_of: date) -> int:
    """与党组织失去联系时间 in whole calendar months: from the last contact to the end of the search,
    or to `as_of` while the search goes on."""
    until = min(search_ended, as_of) if search_ended else as_of
    months = (until.year - last_contact.year) * 12 + (until.month - last_contact.month)
    while months > 0 and add_months(last_contact, months) > until:
        months -= 1
    return max(months, 0)


# The states in which the search for a member is still going on (seed 003: 附件6 and 附件7 count only
# members whose search has ended without contact: “排查工作结束时……经多方努力确实无法取得联系”).
SEARCHING_STATES = ("lost_contact", "searching")


def ended_unreached(columns: tuple[str, ...] | frozenset[str], state: str) -> bool:
    """A member 附件6/附件7 list: on the tally's unreached side (O) with the search over on the date —
    not one still being searched, who is in W and not yet on either form."""
    return "O" in columns and state not in SEARCHING_STATES
