"""Closing case alerts when their cause goes (DOMAIN.md §4): the sweep closes whatever is left, with the
same statements a transition runs for its own case (services.alert_closing)."""
from __future__ import annotations

from ..alert_closing import ClosedBefore, close_case_alerts

__all__ = ["ClosedBefore", "close_case_alerts"]
