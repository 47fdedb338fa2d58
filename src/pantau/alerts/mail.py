"""The e-mail channel: SMTP with STARTTLS, an Indonesian subject and the link to the issue."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy.orm import Session

from pantau.alerts.channels import DeliveryError
from pantau.alerts.records import OutMessage, Person
from pantau.store.types import utcnow

__all__ = ["EmailChannel", "build_email"]

logger = logging.getLogger(__name__)

#: RFC 5322 allows 998 characters a line; folding Indonesian subjects at 78 made some clients
#: show them with a leading space, so headers are not folded below that.
_POLICY = policy.SMTP.clone(max_line_length=998)
#: Deliberately loose (RFC 5322 allows far more): catches a typo, leaves the rest to the server.
_MAILBOX = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: An enhanced status code in a server's reply (RFC 3463): ``550 5.1.1 user unknown``.
_ENHANCED = re.compile(r"\b5\.\d{1,3}\.\d{1,3}\b")


def build_email(message: OutMessage, sender: str, to: str) -> EmailMessage:
    """The MIME message; its Message-ID derives from the delivery key so receivers can dedupe."""
    mail = EmailMessage(policy=_POLICY)
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


def _refused(what: str, code: int, reply: bytes | str) -> DeliveryError:
    """A refusal by the receiving server: 5xx is a hard bounce (the status kept), 4xx retried."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    message = f"{what}: {code} {text}"
    if 500 <= code < 600:
        enhanced = _ENHANCED.search(text)
        return DeliveryError(message, bounce=enhanced.group(0) if enhanced else str(code))
    return DeliveryError(message)


class EmailChannel:
    """Sends through the configured SMTP server, upgrading with STARTTLS when set."""

    name = "email"
    transactional = False

    @staticmethod
    def address_of(person: Person) -> str | None:
        """The e-mail address of the user's account."""
        return person.email or None

    @staticmethod
    def check_address(address: str) -> str | None:
        """An e-mail address: one ``@`` between a name and a dotted domain, no spaces."""
        if _MAILBOX.fullmatch(address):
            return None
        return "alamat e-mail harus berbentuk nama@domain.go.id"

    def __init__(self, settings: Any) -> None:
        self.host: str = settings.alert_smtp_host
        self.port: int = int(settings.alert_smtp_port)
        self.starttls: bool = bool(settings.alert_smtp_starttls)
        self.ca_file: str = settings.alert_smtp_ca_file
        self.user: str = settings.alert_smtp_user
        self.password: str = settings.alert_smtp_password
        self.sender: str = settings.alert_mail_from
        # the envelope sender: where receiving servers return what they cannot deliver
        self.return_path: str = settings.alert_bounce_address or self.sender
        self.timeout: float = float(settings.alert_http_timeout)

    def send(self, message: OutMessage, address: str, session: Session | None = None) -> None:
        mail = build_email(message, self.sender, address)
        try:
            # EHLO with the sender's domain: socket.getfqdn() can stall for seconds on hosts
            # without reverse DNS (common on government intranets)
            helo = self.sender.rpartition("@")[2] or "localhost"
            with smtplib.SMTP(
                self.host, self.port, timeout=self.timeout, local_hostname=helo
            ) as smtp:
                if self.starttls:
                    ctx = ssl.create_default_context(cafile=self.ca_file or None)
                    smtp.starttls(context=ctx)
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(mail, from_addr=self.return_path, to_addrs=[address])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (0, b""))
            raise _refused(f"alamat {address} ditolak server SMTP", code, reply) from exc
        except smtplib.SMTPDataError as exc:
            raise _refused(
                f"surel ke {address} ditolak setelah DATA", exc.smtp_code, exc.smtp_error
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP {self.host}:{self.port} gagal: {exc}") from exc
        logger.info("mail %s sent to %s", message.key, address)
