"""Alert and digest texts in Indonesian, each with a link to the issue.

>>> from datetime import UTC, datetime
>>> ev = AlertEvent(3, 12, "stage", "crisis", 81.5, "Banjir Samarinda",
...                 datetime(2026, 1, 1, tzinfo=UTC), reasons=({"text": "volume naik"},))
>>> m = alert_message(ev, "http://pantau.local/", "k")
>>> m.subject
'[pantau] KRISIS: Banjir Samarinda'
>>> m.link
'http://pantau.local/issues/12'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from pantau.alerts.records import AlertEvent, OutMessage
from pantau.vocabulary import stage_name

__all__ = ["alert_message", "digest_message", "issue_link"]

#: Subjects stay readable on a phone's lock screen.
MAX_LABEL = 90
MAX_REASONS = 4


def issue_link(base_url: str, issue_id: int) -> str:
    return f"{base_url.rstrip('/')}/issues/{issue_id}"


def _headline(event: AlertEvent) -> str:
    if event.kind == "escalation":
        return "ESKALASI KRISIS"
    if event.kind == "crossover":
        return "Isu medsos masuk berita"
    if event.kind == "risk":
        return f"Risiko naik ke {event.risk:.0f}"
    if event.stage == "crisis":
        return stage_name("crisis").upper()
    return f"Isu {stage_name(event.stage or '') or 'baru'}"


def alert_message(event: AlertEvent, base_url: str, key: str) -> OutMessage:
    """The message of one alert: subject, text with reasons and link, and a JSON payload."""
    label = " ".join(event.label.split())  # a line break in a mail header is refused outright
    label = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
    link = issue_link(base_url, event.issue_id)
    reasons = [str(r.get("text")) for r in event.reasons if r.get("text")][:MAX_REASONS]
    stage = stage_name(event.stage or "") or "-"
    lines = [
        f"{_headline(event)}: {event.label}",
        f"Tahap: {stage} · Risiko: {event.risk:.0f}/100",
    ]
    if reasons:
        lines.append("Alasan: " + "; ".join(reasons))
    lines.append(f"Buka isu: {link}")
    payload = {
        "type": "pantau.alert",
        "alert_id": event.alert_id,
        "issue_id": event.issue_id,
        "kind": event.kind,
        "stage": event.stage,
        "risk": event.risk,
        "label": event.label,
        "reasons": reasons,
        "raised_at": event.raised_at.isoformat(),
        "link": link,
        "delivery": key,
    }
    return OutMessage(
        key=key,
        subject=f"[pantau] {_headline(event)}: {label}",
        body="\n".join(lines),
        link=link,
        payload=payload,
        issue_id=event.issue_id,
    )


def digest_message(
    items: Sequence[tuple[str, str | None]], day: datetime, tz: str, key: str, base_url: str
) -> OutMessage:
    """A daily digest of held alerts: ``items`` are (subject, link) pairs."""
    local = day.astimezone(ZoneInfo(tz))
    date = f"{local.day}/{local.month}/{local.year}"
    lines = [f"Ringkasan harian pantau, {date}: {len(items)} peringatan tertahan.", ""]
    for subject, link in items:
        lines.append(f"- {subject.removeprefix('[pantau] ')}" + (f" ({link})" if link else ""))
    lines += ["", f"Dasbor: {base_url.rstrip('/')}/"]
    return OutMessage(
        key=key,
        subject=f"[pantau] Ringkasan harian {date}: {len(items)} peringatan",
        body="\n".join(lines),
        link=f"{base_url.rstrip('/')}/notifications",
        payload={
            "type": "pantau.digest",
            "count": len(items),
            "date": local.date().isoformat(),
            "items": [{"subject": s, "link": ln} for s, ln in items],
            "delivery": key,
        },
    )
