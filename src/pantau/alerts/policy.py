"""When a delivery may go out: retry backoff, quiet hours, per-recipient throttling.

All pure and deterministic given the clock passed in, so that tests and replays agree.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "UNTHROTTLED_CHANNELS",
    "Decision",
    "QuietHours",
    "Throttle",
    "backoff_seconds",
    "decide",
]

logger = logging.getLogger(__name__)

#: The in-app notification centre is the record of every alert: never held, never throttled.
UNTHROTTLED_CHANNELS = frozenset({"inapp"})
THROTTLE_WINDOW = timedelta(hours=1)


def backoff_seconds(attempts: int, base: float, cap: float) -> float:
    """Seconds before attempt ``attempts + 1``: base, 2 base, 4 base ... at most ``cap``.

    >>> [backoff_seconds(n, 30, 3600) for n in (1, 2, 3, 10)]
    [30.0, 60.0, 120.0, 3600.0]
    """
    return float(min(base * (2 ** max(attempts - 1, 0)), cap))


@dataclass(frozen=True)
class QuietHours:
    """A local time window (may cross midnight) in which non-crisis pushes wait.

    >>> q = QuietHours.parse("22:00-06:00", "Asia/Makassar")
    >>> from datetime import UTC, datetime
    >>> q.end_after(datetime(2026, 1, 1, 15, 0, tzinfo=UTC)).isoformat()  # 23:00 WITA
    '2026-01-01T22:00:00+00:00'
    >>> q.end_after(datetime(2026, 1, 1, 3, 0, tzinfo=UTC)) is None  # 11:00 WITA
    True
    """

    start: time
    end: time
    tz: str

    @classmethod
    def parse(cls, raw: str, tz: str) -> QuietHours | None:
        """``HH:MM-HH:MM`` or empty (no quiet hours); raises ValueError naming the setting."""
        raw = raw.strip()
        if not raw:
            return None
        try:
            a, b = raw.split("-")
            return cls(time.fromisoformat(a.strip()), time.fromisoformat(b.strip()), tz)
        except ValueError:
            raise ValueError(
                f"alert_quiet_hours: {raw!r} tidak sesuai format HH:MM-HH:MM, mis. 22:00-06:00"
            ) from None

    def end_after(self, now: datetime) -> datetime | None:
        """When the quiet window containing ``now`` ends (UTC), or None when not quiet."""
        local = now.astimezone(ZoneInfo(self.tz))
        t = local.timetz().replace(tzinfo=None)
        if self.start <= self.end:
            inside = self.start <= t < self.end
        else:
            inside = t >= self.start or t < self.end
        if not inside:
            return None
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return end.astimezone(now.tzinfo)


class Throttle:
    """Sliding one-hour count of pushes per (recipient, channel), seeded from the outbox."""

    def __init__(self, per_hour: int, history: Iterable[tuple[str, str, datetime]] = ()) -> None:
        self.per_hour = per_hour
        self._sent: dict[tuple[str, str], deque[datetime]] = defaultdict(deque)
        for recipient, channel, at in sorted(history, key=lambda h: h[2]):
            self._sent[(recipient, channel)].append(at)

    def admit(self, recipient: str, channel: str, now: datetime, *, force: bool = False) -> bool:
        """Count one push if under the limit (or ``force``, for crises); False: hold it."""
        if channel in UNTHROTTLED_CHANNELS:
            return True
        window = self._sent[(recipient, channel)]
        while window and window[0] <= now - THROTTLE_WINDOW:
            window.popleft()
        if len(window) >= self.per_hour and not force:
            return False
        window.append(now)
        return True


@dataclass(frozen=True)
class Decision:
    """What to do with a new delivery: ``pending`` at ``not_before``, or ``held`` for the digest."""

    status: str
    not_before: datetime
    reason: str = ""


def decide(
    *,
    recipient: str,
    channel: str,
    crisis: bool,
    digest_only: bool,
    now: datetime,
    throttle: Throttle,
    quiet: QuietHours | None,
) -> Decision:
    """Apply, in order: digest preference, throttling, quiet hours (a crisis skips all three)."""
    if channel in UNTHROTTLED_CHANNELS:
        return Decision("pending", now)
    if digest_only and not crisis:
        return Decision("held", now, "ringkasan harian")
    if not throttle.admit(recipient, channel, now, force=crisis):
        return Decision("held", now, "pembatasan frekuensi")
    if quiet is not None and not crisis:
        end = quiet.end_after(now)
        if end is not None:
            return Decision("pending", end, "jam tenang")
    return Decision("pending", now)
