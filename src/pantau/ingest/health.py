"""Source health: last success, error streak, volume against the source's own baseline.

The most common complaint about monitoring tools is a coverage gap nobody notices. Each poll
updates the source's record; :func:`assess` then judges it against the source's *own* rhythm:
- ``failing``: ``health_error_streak`` polls in a row failed;
- ``silent``: nothing new for ``health_silent_intervals`` of its usual gaps between items (the
  median of its recent gaps), checked on every poll, so the alarm comes within one polling
  interval after the expected cadence is missed;
- ``low``: the last 24 hours brought less than ``health_volume_ratio`` of its daily baseline;
- ``ok`` otherwise, ``unknown`` before there is anything to judge.
A change into an alarming state is written to the audit log and noticed to the system roles.
"""

from __future__ import annotations

import itertools
import logging
import statistics
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pantau.settings import Settings
from pantau.store.audit import record
from pantau.store.models import Source
from pantau.store.notices import notify_system_roles

__all__ = ["ALARMING", "RECENT_ITEMS", "Verdict", "assess", "record_poll"]

logger = logging.getLogger(__name__)

ALARMING = frozenset({"failing", "silent", "low"})
_STATUS_WORDS = {
    "failing": "terus gagal",
    "silent": "senyap",
    "low": "volume jauh di bawah biasanya",
}
#: Item times kept per source to learn its rhythm (a day of an hourly feed).
RECENT_ITEMS = 24
#: Days of daily counts kept for the volume baseline, and the fewest needed to judge it.
BASELINE_DAYS = 14
MIN_BASELINE_DAYS = 3


@dataclass
class Verdict:
    """A source's health and the reasons, in Indonesian (logs, audit, notifications), with the
    figures behind each so the health page can say them in the reader's language."""

    status: str
    reasons: list[str] = field(default_factory=list)
    #: ``(kind, figures)`` per reason, in the order of :attr:`reasons`.
    details: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def _times(state: dict[str, Any]) -> list[datetime]:
    return [datetime.fromisoformat(t) for t in state.get("health", {}).get("recent", [])]


def typical_gap(state: dict[str, Any]) -> timedelta | None:
    """Median gap between the source's recent items, or ``None`` with fewer than 3 items."""
    times = sorted(_times(state))
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    gaps = [g for g in gaps if g > 0]
    if len(gaps) < 2:
        return None
    return timedelta(seconds=statistics.median(gaps))


def assess(source: Source, now: datetime, settings: Settings) -> Verdict:
    """Judge ``source`` at ``now`` from its stored record and state."""
    if source.error_streak >= settings.health_error_streak:
        return Verdict(
            "failing",
            [f"{source.error_streak} kali gagal berturut-turut: {source.last_error}"],
            [("failing", {"streak": source.error_streak, "error": source.last_error or ""})],
        )
    state = source.state or {}
    gap = typical_gap(state)
    if gap is not None and source.last_item_at is not None:
        allowed = gap * settings.health_silent_intervals
        quiet = now - source.last_item_at
        if quiet > allowed:
            hours = quiet.total_seconds() / 3600
            return Verdict(
                "silent",
                [f"tidak ada butir baru selama {hours:.1f} jam; biasanya tiap {_fmt(gap)}"],
                [("silent", {"hours": round(hours, 1), "usual_hours": _hours(gap)})],
            )
    daily: dict[str, int] = state.get("health", {}).get("daily", {})
    today = now.date()
    yesterday = (today - timedelta(days=1)).isoformat()
    past = [n for day, n in daily.items() if day not in (today.isoformat(), yesterday)]
    if len(past) >= MIN_BASELINE_DAYS:
        baseline = statistics.mean(past)
        # a sliding 24 h from the day counts: today's items plus yesterday's remaining share
        elapsed = (now - datetime.combine(today, time(0), now.tzinfo)).total_seconds() / 86400
        last_day = daily.get(today.isoformat(), 0) + daily.get(yesterday, 0) * (1 - elapsed)
        if baseline > 0 and last_day < settings.health_volume_ratio * baseline:
            return Verdict(
                "low",
                [f"24 jam terakhir ~{last_day:.0f} butir; biasanya {baseline:.0f} per hari"],
                [("low", {"items": round(last_day), "usual": round(baseline)})],
            )
    if source.last_success_at is None:
        return Verdict("unknown", ["belum pernah berhasil diambil"], [("never", {})])
    return Verdict("ok")


def _hours(gap: timedelta) -> float:
    return round(gap.total_seconds() / 3600, 1)


def _fmt(gap: timedelta) -> str:
    minutes = gap.total_seconds() / 60
    return f"{minutes:.0f} menit" if minutes < 120 else f"{minutes / 60:.1f} jam"


def _remember_items(state: dict[str, Any], times: list[datetime]) -> dict[str, Any]:
    health = dict(state.get("health", {}))
    recent = sorted({*health.get("recent", []), *(t.isoformat() for t in times)})
    health["recent"] = recent[-RECENT_ITEMS:]
    daily = dict(health.get("daily", {}))
    for t in times:
        daily[t.date().isoformat()] = daily.get(t.date().isoformat(), 0) + 1
    health["daily"] = dict(sorted(daily.items())[-BASELINE_DAYS:])
    return {**state, "health": health}


def record_poll(
    session: Session,
    source: Source,
    *,
    now: datetime,
    settings: Settings,
    error: str | None = None,
    item_times: list[datetime] | None = None,
) -> Verdict:
    """Update ``source`` after a poll or import and raise an alert when it turns alarming."""
    source.last_polled_at = now
    if error:
        source.error_streak = (source.error_streak or 0) + 1
        source.last_error = error[:2000]
    else:
        source.error_streak = 0
        source.last_error = None
        source.last_success_at = now
    times = [min(t, now) for t in item_times or []]
    if times:
        source.state = _remember_items(source.state or {}, times)
        newest = max(times)
        if source.last_item_at is None or newest > source.last_item_at:
            source.last_item_at = newest
    verdict = assess(source, now, settings)
    before = source.health
    source.health = verdict.status
    if verdict.status in ALARMING and verdict.status != before:
        logger.warning(
            "sumber %s: %s (%s)", source.name, verdict.status, "; ".join(verdict.reasons)
        )
        record(
            session,
            actor="system",
            action="source.alarm",
            object_type="source",
            object_id=source.id,
            before={"health": before},
            after={"health": verdict.status, "reasons": verdict.reasons, "at": now.isoformat()},
        )
        notify_system_roles(
            session,
            title=f"Sumber {source.name}: {_STATUS_WORDS.get(verdict.status, verdict.status)}",
            body="; ".join(verdict.reasons),
            link="/sumber",
        )
    return verdict
