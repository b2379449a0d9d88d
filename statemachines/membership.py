"""Membership status and the last contact date (DOMAIN.md §3, §6.3)."""
from __future__ import annotations

from datetime import date

from .dispositions import DISPOSITIONS

OPEN_EXCLUDED = ("closed", "deceased", "voided")


def membership_status(state: str | None, disposition: str | None) -> str:
    """Status after the member's latest non-voided case: active, suspended, ended or deceased."""
    if state == "deceased":
        return "deceased"
    if state == "closed" and disposition:
        d = DISPOSITIONS[disposition]
        if d.suspends:
            return "suspended"
        if d.ends_membership:
            return "ended"
    return "active"


def leaves_member_active(disposition: str | None) -> bool:
    return membership_status("closed", disposition) == "active"


def last_contact(join_date: date, *candidates: date | None) -> date:
    """The latest of contact events, reached search entries and active closings; else the join date."""
    dates = [d for d in candidates if d is not None]
    return max(dates) if dates else join_date


def awaits_correction_review(latest_state: str | None, latest_disposition: str | None) -> bool:
    """A member closed with 限期改正 is not swept again until R7 has reopened and closed the case (§6.3)."""
    return latest_state == "closed" and latest_disposition == "correct_within_deadline"
