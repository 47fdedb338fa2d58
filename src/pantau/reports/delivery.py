"""Subscriptions of leaders to the daily and weekly reports, and sending the due ones by e-mail.

Mail goes through the alerts stage's SMTP settings and message builder
(:mod:`pantau.alerts.mail`: same server, sender, STARTTLS), with the report attached. Sending is
idempotent: a subscription remembers the last day it received, so running ``pantau report send``
twice, or after a crash, sends nothing twice. Each report kind says on which days it is due
(:attr:`pantau.reports.kinds.ReportKind.due`: the weekly brief on Sundays).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.reports.kinds import ReportKindNotFound, report_kind, report_kinds
from pantau.reports.render import FORMATS, MEDIA_TYPES, render_report
from pantau.store import tenancy
from pantau.store.audit import record
from pantau.store.db import Database
from pantau.store.models import Agency, User
from pantau.store.reports_models import ReportSubscription
from pantau.store.types import utcnow
from pantau.writing.letterhead import letterhead_for

__all__ = [
    "MailSender",
    "SendSummary",
    "Sender",
    "due_day",
    "send_due",
    "subscribe",
]

logger = logging.getLogger(__name__)


class Sender(Protocol):
    """Anything that can deliver one report to one address (e-mail here; others may follow)."""

    def send(self, to: str, subject: str, body: str, name: str, data: bytes, mime: str) -> None:
        """Deliver or raise an exception whose message says what went wrong."""


class MailSender:
    """SMTP through the alerts stage's settings (server, port, STARTTLS, login, sender)."""

    def __init__(self, settings: Any) -> None:
        from pantau.alerts.mail import EmailChannel

        self.channel = EmailChannel(settings)

    def send(self, to: str, subject: str, body: str, name: str, data: bytes, mime: str) -> None:
        from pantau.alerts.mail import build_email
        from pantau.alerts.records import OutMessage

        key = "report." + name
        mail: EmailMessage = build_email(OutMessage(key, subject, body), self.channel.sender, to)
        maintype, _, subtype = mime.split(";")[0].partition("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        c = self.channel
        with smtplib.SMTP(c.host, c.port, timeout=c.timeout) as smtp:
            if c.starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=c.ca_file or None))
            if c.user:
                smtp.login(c.user, c.password)
            smtp.send_message(mail, from_addr=c.sender, to_addrs=[to])
        logger.info("report %s sent to %s", name, to)


@dataclass
class SendSummary:
    """What one run of :func:`send_due` did."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"laporan terkirim: {len(self.sent)}, sudah terkirim sebelumnya: "
            f"{len(self.skipped)}, gagal: {len(self.failed)}"
        )


def due_day(now: datetime, tz: str, send_time: str) -> date | None:
    """The report day due at ``now``: yesterday, once the local clock has passed ``send_time``.

    >>> from datetime import UTC
    >>> due_day(datetime(2026, 11, 21, 23, 0, tzinfo=UTC), "Asia/Makassar", "06:30")
    datetime.date(2026, 11, 21)
    >>> due_day(datetime(2026, 11, 21, 23, 0, tzinfo=UTC), "Asia/Makassar", "07:30") is None
    True
    """
    try:
        hour, minute = (int(part) for part in send_time.split(":"))
        at = time(hour, minute)
    except ValueError as exc:
        raise ValueError(
            f"reports_send_time {send_time!r}: gunakan format HH:MM, mis. 06:30"
        ) from exc
    local = now.astimezone(ZoneInfo(tz))
    if local.time() < at:
        return None
    return local.date() - timedelta(days=1)


def subscribe(
    session: Session, user_id: int, kind: str, fmt: str, *, active: bool = True, actor: str
) -> ReportSubscription:
    """Create or change a user's subscription to ``kind`` (audited)."""
    try:
        report_kind(kind)
    except ReportKindNotFound as exc:
        raise ValueError(str(exc)) from exc
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} tidak dikenal; pilih pdf, html atau docx")
    sub = session.scalar(
        select(ReportSubscription).where(
            ReportSubscription.user_id == user_id, ReportSubscription.kind == kind
        )
    )
    before = None if sub is None else {"format": sub.format, "active": sub.active}
    if sub is None:
        sub = ReportSubscription(user_id=user_id, kind=kind, format=fmt, active=active)
        session.add(sub)
    else:
        sub.format, sub.active = fmt, active
    session.flush()
    record(
        session,
        actor=actor,
        action="report.subscribe",
        object_type="report_subscription",
        object_id=sub.id,
        before=before,
        after={"user_id": user_id, "kind": kind, "format": fmt, "active": active},
    )
    return sub


def send_due(
    db: Database,
    settings: Any,
    day: date,
    sender: Sender,
    *,
    on_progress: Callable[[str], None] | None = None,
) -> SendSummary:
    """Send every active subscription's report for ``day`` that it has not received yet."""
    summary = SendSummary()
    kinds = {name: kind for name, kind in report_kinds().items() if kind.due(day)}
    cache: dict[tuple[str, str, str | None, int | None], bytes] = {}
    with db.session() as s:
        served = tenancy.known_tenants(s, settings.province)
        subs = s.execute(
            select(
                ReportSubscription.id,
                ReportSubscription.kind,
                ReportSubscription.format,
                ReportSubscription.last_sent_day,
                User.email,
                User.username,
                Agency.province,
                User.agency_id,
            )
            .join(User, User.id == ReportSubscription.user_id)
            .join(Agency, Agency.id == User.agency_id, isouter=True)
            .where(ReportSubscription.active.is_(True), User.active.is_(True))
            .where(ReportSubscription.kind.in_(list(kinds)))
            .order_by(ReportSubscription.id)
        ).all()
    for sub_id, name, fmt, last_day, email, username, province, agency_id in subs:
        kind = kinds[name]
        label = f"{username}:{name}"
        if last_day is not None and last_day >= day:
            summary.skipped.append(label)
            continue
        if not email:
            summary.failed.append(f"{label}: pengguna tidak punya alamat surel")
            _mark(db, sub_id, None, "pengguna tidak punya alamat surel")
            continue
        # each reader's report covers their province (a national reader's, all of them), under
        # their own agency's letterhead
        key = (name, fmt, province, agency_id)
        if key not in cache:
            reader = tenancy.effective(frozenset({province}) if province else None, served)
            with tenancy.scope(reader), db.session() as s:
                report = kind.build(s, day, settings.timezone)
                letterhead = letterhead_for(s, agency_id)
            cache[key] = render_report(
                report, fmt, base_url=settings.public_url, letterhead=letterhead
            )
        file_name = kind.file_name(day, fmt)
        try:
            sender.send(
                email,
                f"[pantau] {kind.title} {day.isoformat()}",
                f"Terlampir {kind.title} untuk {day.isoformat()}.\n{settings.public_url}/reports",
                file_name,
                cache[key],
                MEDIA_TYPES[fmt],
            )
        except Exception as exc:  # any channel failure is recorded and retried on the next run
            logger.warning("report %s to %s failed: %s", file_name, email, exc)
            summary.failed.append(f"{label}: {exc}")
            _mark(db, sub_id, None, str(exc)[:500])
            continue
        _mark(db, sub_id, day, None)
        summary.sent.append(label)
        if on_progress:
            on_progress(label)
    return summary


def _mark(db: Database, sub_id: int, day: date | None, error: str | None) -> None:
    with db.writer() as s:
        sub = s.get(ReportSubscription, sub_id)
        if sub is None:
            return
        before = {"last_sent_day": str(sub.last_sent_day) if sub.last_sent_day else None}
        if day is not None:
            sub.last_sent_day = day
            sub.last_sent_at = utcnow()
        sub.last_error = error
        record(
            s,
            actor="system",
            action="report.send" if error is None else "report.send_failed",
            object_type="report_subscription",
            object_id=sub_id,
            before=before,
            after={"last_sent_day": str(day) if day else None, "error": error},
        )
