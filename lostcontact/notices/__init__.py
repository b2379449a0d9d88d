"""Notices: one per recipient org and sweep day, listing the alerts newly raised for it, rendered from
templates/notices/ (a Chinese .txt/.html pair) into the outbox, and delivered by SMTP when configured."""
from .outbox import build_notices
from .smtp import SmtpSettings, deliver_pending

__all__ = ["build_notices", "deliver_pending", "SmtpSettings"]
