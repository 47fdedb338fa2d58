"""The e-mail channel: SMTP with STARTTLS, an Indonesian subject and the link to the issue."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy.orm import Session

from pantau.alerts.channels import DeliveryError
from pantau.alerts.records import OutMessage
from pantau.store.types import utcnow

__all__ = ["EmailChannel", "build_email"]

logger = logging.getLogger(__name__)


def build_email(message: OutMessage, sender: str, to: str) -> EmailMessage:
    """The MIME message; its Message-ID derives from the delivery key so receivers can dedupe."""
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = sender
    mail["To"] = to
    mail["Date"] = format_datetime(utcnow())
    domain = sender.rpartition("@")[2] or "pantau.local"
    mail["Message-ID"] = f"<{re.sub(r'[^A-Za-z0-9.-]', '.', message.key)}@{domain}>"
    mail["X-Pantau-Delivery"] = message.key
    mail["Content-Language"] = "id"
    mail.set_content(message.body + "\n\n-- \npantau · pemantauan isu Humas pemerintah\n")
    return mail


class EmailChannel:
    """Sends through the configured SMTP server, upgrading with STARTTLS when set."""

    name = "email"
    transactional = False

    def __init__(self, settings: Any) -> None:
        self.host: str = settings.alert_smtp_host
        self.port: int = int(settings.alert_smtp_port)
        self.starttls: bool = bool(settings.alert_smtp_starttls)
        self.ca_file: str = settings.alert_smtp_ca_file
        self.user: str = settings.alert_smtp_user
        self.password: str = settings.alert_smtp_password
        self.sender: str = settings.alert_mail_from
        self.timeout: float = float(settings.alert_http_timeout)

    def send(self, message: OutMessage, address: str, session: Session | None = None) -> None:
        mail = build_email(message, self.sender, address)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    ctx = ssl.create_default_context(cafile=self.ca_file or None)
                    smtp.starttls(context=ctx)
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail, from_addr=self.sender, to_addrs=[address])
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"alamat {address} ditolak server SMTP: {exc}", permanent=True
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port} gagal: {exc}") from exc
        logger.info("mail %s sent to %s", message.key, address)
