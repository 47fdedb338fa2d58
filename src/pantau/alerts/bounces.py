"""Hard bounces: addresses a receiving mail server refused for good, at sending or later.

A bounce reaches pantau in one of two ways, and both end as one
:class:`~pantau.store.workflow_models.DeliveryBounce` of the delivery:

1. *At sending*: the server answers 5xx to ``RCPT TO`` or after ``DATA``. The e-mail channel
   raises a :class:`~pantau.alerts.channels.DeliveryError` with ``bounce`` set, and the outbox
   records it as the delivery goes to the dead letters (:func:`record_bounce`).
2. *Later*: the server accepted the mail, then could not deliver it, and a delivery status
   notification (RFC 3464, ``multipart/report; report-type=delivery-status``) comes back to the
   envelope sender, ``alert_bounce_address``. The mail server hands each such message to
   ``pantau alerts bounce`` (an alias ``pantau-bounce: "|pantau alerts bounce"``), or an
   administrator feeds it a saved mailbox. :func:`read_bounces` finds the delivery by the
   ``X-Pantau-Delivery`` header of the returned message (every pantau mail carries it), else by
   the failed recipient's latest sent mail.

Only a failure with a permanent status (``5.x.x``) counts; a delay or a ``4.x.x`` is a soft
bounce the server retries itself, and is left out.

>>> dsn = DSN_EXAMPLE.encode()
>>> [(b.address, b.status, b.key) for b in parse_report(dsn)]
[('ani@kaltimpost.test', '5.1.1', 'rilis:1:kontak:2:email')]
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.store.workflow_models import AlertDelivery, DeliveryBounce

__all__ = [
    "DSN_EXAMPLE",
    "BounceReport",
    "ReturnedMail",
    "bounces_by_recipient",
    "parse_report",
    "read_bounces",
    "record_bounce",
    "split_mailbox",
]

logger = logging.getLogger(__name__)

#: The header every pantau mail carries with its delivery key (see :mod:`pantau.alerts.mail`).
DELIVERY_HEADER = "X-Pantau-Delivery"
_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
MAX_REASON_CHARS = 500

DSN_EXAMPLE = """\
From: MAILER-DAEMON@mx.kaltimpost.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.kaltimpost.test

Final-Recipient: rfc822; ani@kaltimpost.test
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--B
Content-Type: text/rfc822-headers

X-Pantau-Delivery: rilis:1:kontak:2:email

--B--
"""


@dataclass(frozen=True)
class ReturnedMail:
    """One failed recipient named by a delivery status notification."""

    address: str
    status: str  # the enhanced status code, 5.1.1
    reason: str  # the remote server's words (Diagnostic-Code), for the officer
    key: str | None  # the delivery key from the returned headers, when the server kept them


@dataclass
class BounceReport:
    """What reading a batch of returned mail did."""

    recorded: int = 0  # hard bounces newly recorded
    again: int = 0  # already recorded (the same notification read twice)
    soft: int = 0  # delays and 4.x.x: the sending server retries, nothing to count
    unmatched: list[str] = field(default_factory=list)  # hard bounces of no pantau delivery
    unreadable: int = 0  # messages that are no delivery status notification


def _address(value: str) -> str:
    """``rfc822; Ani@X.test`` -> ``ani@x.test``."""
    return value.rpartition(";")[2].strip().strip("<>").lower()


def _returned_key(report: Message) -> str | None:
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "text/rfc822-headers":
            headers = HeaderParser().parsestr(str(part.get_payload(decode=False)))
            return headers.get(DELIVERY_HEADER)
        if kind == "message/rfc822":
            inner = part.get_payload()
            original = inner[0] if isinstance(inner, list) and inner else None
            if isinstance(original, Message):
                return original.get(DELIVERY_HEADER)
    return None


def parse_report(raw: bytes) -> list[ReturnedMail]:
    """The recipients a delivery status notification reports as failed (soft ones included).

    Raises ``ValueError`` when ``raw`` is no ``multipart/report`` with a delivery status part.
    """
    message = message_from_bytes(raw, policy=policy.compat32)
    statuses = [p for p in message.walk() if p.get_content_type() == "message/delivery-status"]
    if message.get_content_type() != "multipart/report" or not statuses:
        raise ValueError("bukan laporan status pengiriman (multipart/report, RFC 3464)")
    key = _returned_key(message)
    found = []
    for block in statuses[0].get_payload():
        if not isinstance(block, Message):
            continue
        recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
        if not recipient:
            continue  # the per-message block (Reporting-MTA)
        action = (block.get("Action") or "").strip().lower()
        match = _STATUS.search(block.get("Status") or "")
        status = match.group(0) if match else ("5.0.0" if action == "failed" else "4.0.0")
        if action and action != "failed":
            status = "4" + status[1:]  # delayed, relayed, delivered: nothing to count
        reason = " ".join(str(block.get("Diagnostic-Code") or "").split())
        found.append(ReturnedMail(_address(str(recipient)), status, reason, key))
    return found


def record_bounce(
    s: Session, delivery: AlertDelivery, *, status: str, reason: str, source: str
) -> bool:
    """Record the delivery's hard bounce once; False when it was recorded already."""
    if s.scalar(select(DeliveryBounce.id).where(DeliveryBounce.delivery_id == delivery.id)):
        return False
    s.add(
        DeliveryBounce(
            delivery_id=delivery.id,
            address=delivery.address,
            status=status[:20],
            reason=reason[:MAX_REASON_CHARS],
            source=source,
        )
    )
    s.flush()
    logger.info("hard bounce of delivery %s (%s): %s", delivery.key, status, reason)
    return True


def _delivery_of(s: Session, returned: ReturnedMail) -> AlertDelivery | None:
    if returned.key:
        found = s.scalar(select(AlertDelivery).where(AlertDelivery.key == returned.key))
        if found is not None and found.address.lower() == returned.address:
            return found
    # The server dropped the returned headers: the latest mail sent to that address.
    return s.scalar(
        select(AlertDelivery)
        .where(
            AlertDelivery.channel == "email",
            AlertDelivery.status == "sent",
            AlertDelivery.address == returned.address,
        )
        .order_by(AlertDelivery.sent_at.desc(), AlertDelivery.id.desc())
        .limit(1)
    )


def read_bounces(s: Session, messages: list[bytes]) -> BounceReport:
    """Record the hard bounces that the returned ``messages`` report; one bad one stops nothing."""
    report = BounceReport()
    for number, raw in enumerate(messages, 1):
        try:
            returned = parse_report(raw)
        except ValueError as exc:
            logger.warning("returned message %d skipped: %s", number, exc)
            report.unreadable += 1
            continue
        for item in returned:
            if not item.status.startswith("5"):
                report.soft += 1
                continue
            delivery = _delivery_of(s, item)
            if delivery is None:
                report.unmatched.append(item.address)
                continue
            added = record_bounce(s, delivery, status=item.status, reason=item.reason, source="dsn")
            report.recorded += added
            report.again += not added
    return report


def split_mailbox(data: bytes) -> list[bytes]:
    """The messages of an mbox file (``From `` separator lines), or ``data`` as one message."""
    if not data.startswith(b"From "):
        return [data] if data.strip() else []
    parts = re.split(rb"(?m)^From .*\r?\n", data)
    return [p for p in parts if p.strip()]


def bounces_by_recipient(s: Session, recipients: list[str]) -> dict[str, list[tuple[str, str]]]:
    """The hard bounces of each recipient's deliveries, oldest first: (address, reason)."""
    if not recipients:
        return {}
    rows = s.execute(
        select(AlertDelivery.recipient, DeliveryBounce.address, DeliveryBounce.reason)
        .join(DeliveryBounce, DeliveryBounce.delivery_id == AlertDelivery.id)
        .where(AlertDelivery.recipient.in_(recipients))
        .order_by(DeliveryBounce.id)
    ).all()
    out: dict[str, list[tuple[str, str]]] = {}
    for recipient, address, reason in rows:
        out.setdefault(recipient, []).append((address, reason))
    return out
