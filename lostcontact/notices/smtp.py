"""SMTP delivery of the outbox, when configured by the environment:

    LOSTCONTACT_SMTP_HOST      the server (unset: notices stay in the outbox and the alert list)
    LOSTCONTACT_SMTP_PORT      default 25
    LOSTCONTACT_SMTP_FROM      the sender address (default lostcontact@localhost)
    LOSTCONTACT_SMTP_TO        the recipient address; `{org}` is replaced by the recipient org's code,
                               e.g. `dj-{org}@example.org` (default `{org}@localhost`)
    LOSTCONTACT_SMTP_USER / LOSTCONTACT_SMTP_PASSWORD   login, when the server needs one
    LOSTCONTACT_SMTP_STARTTLS  1 to upgrade the connection with STARTTLS
"""
from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import select

from models import Notice, Org
from models.base import utcnow
from models.db import Database

from ..uow import UnitOfWork

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "lostcontact@localhost"
    to: str = "{org}@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False

    @classmethod
    def from_env(cls) -> "SmtpSettings | None":
        host = os.environ.get("LOSTCONTACT_SMTP_HOST")
        if not host:
            return None
        return cls(host=host, port=int(os.environ.get("LOSTCONTACT_SMTP_PORT") or 25),
                   sender=os.environ.get("LOSTCONTACT_SMTP_FROM") or cls.sender,
                   to=os.environ.get("LOSTCONTACT_SMTP_TO") or cls.to,
                   user=os.environ.get("LOSTCONTACT_SMTP_USER") or None,
                   password=os.environ.get("LOSTCONTACT_SMTP_PASSWORD") or None,
                   starttls=os.environ.get("LOSTCONTACT_SMTP_STARTTLS", "") in ("1", "true", "yes"))


def _message(settings: SmtpSettings, notice: Notice, org_code: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"], message["From"] = notice.subject, settings.sender
    message["To"] = settings.to.format(org=org_code)
    message.set_content(notice.body_text)
    message.add_alternative(notice.body_html, subtype="html")
    return message


def deliver_pending(db: Database, settings: SmtpSettings | None) -> dict[str, int]:
    """Send every pending notice; a failure is kept with its reason and retried next time."""
    if settings is None:
        return {"notices_sent": 0, "notices_failed": 0}
    sent = failed = 0
    with UnitOfWork(db) as uow:
        s = uow.session
        pending = s.execute(select(Notice, Org.code).join(Org, Org.id == Notice.org_id)
                            .where(Notice.status.in_(("pending", "failed")), Notice.attempts < MAX_ATTEMPTS)
                            .order_by(Notice.id)).all()
        if not pending:
            return {"notices_sent": 0, "notices_failed": 0}
        try:
            client = smtplib.SMTP(settings.host, settings.port, timeout=30)
        except OSError as exc:
            for notice, _code in pending:
                notice.attempts, notice.status, notice.last_error = notice.attempts + 1, "failed", str(exc)[:500]
            uow.commit()
            return {"notices_sent": 0, "notices_failed": len(pending)}
        with client:
            if settings.starttls:
                client.starttls()
            if settings.user:
                client.login(settings.user, settings.password or "")
            for notice, code in pending:
                notice.attempts += 1
                try:
                    client.send_message(_message(settings, notice, code))
                except smtplib.SMTPException as exc:
                    notice.status, notice.last_error = "failed", str(exc)[:500]
                    failed += 1
                else:
                    notice.status, notice.sent_at, notice.last_error = "sent", utcnow(), None
                    sent += 1
        uow.commit()
    return {"notices_sent": sent, "notices_failed": failed}
