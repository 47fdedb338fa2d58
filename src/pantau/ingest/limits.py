"""What one record may hold before it reaches the store: counts, dates, nesting, field size.

Every import format, the push API and the feeds check their records against the same
:class:`RecordLimits`, so a hostile value (a count of ``1e999``, a date in year 9999, a list
nested ten thousand deep) quarantines its own record, with the field and the reason, instead of
failing the file or the batch, and a date from the far future never reaches the issue tracker,
whose clock only moves forward.

>>> from datetime import UTC, datetime
>>> limits = RecordLimits(earliest=datetime(2000, 1, 1, tzinfo=UTC))
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> limits.date_problem(datetime(2999, 1, 1, tzinfo=UTC), now)
'tanggal 2999-01-01T00:00:00+00:00 lebih dari 24 jam setelah sekarang'
>>> limits.count_problem(float("inf"))
'bukan bilangan terhingga: inf'
>>> too_deep([[[1]]], 2)
True
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pantau.records import MentionIn
from pantau.settings import Settings, SettingsError, get_settings

__all__ = ["COUNT_FIELDS", "MAX_COUNT", "RecordLimits", "too_deep"]

logger = logging.getLogger(__name__)

#: Largest count the store holds: its engagement columns are BIGINT (SQLite INTEGER is 64-bit
#: too); one more and the whole batch's INSERT fails with an overflow.
MAX_COUNT = 2**63 - 1
#: Mention fields that are counts (``author_followers`` may be ``None``: unknown reach).
COUNT_FIELDS = ("likes", "shares", "comments", "views", "author_followers")


def too_deep(value: Any, limit: int) -> bool:
    """Whether ``value`` nests objects and lists more than ``limit`` levels (iteratively, so a
    hostile depth cannot exhaust the interpreter's stack while it is measured)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, level + 1) for c in children if isinstance(c, dict | list))
    return False


@dataclass(frozen=True)
class RecordLimits:
    """The sane window for publication dates and the size limits of one record."""

    earliest: datetime
    future: timedelta = timedelta(hours=24)
    max_depth: int = 64
    max_field_chars: int = 1_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> RecordLimits:
        """The limits configured in ``settings`` (``mention_*`` and ``import_max_*``)."""
        raw = str(settings.mention_earliest_date)
        try:
            earliest = datetime.fromisoformat(raw)
        except ValueError:
            raise SettingsError(
                f"PANTAU_MENTION_EARLIEST_DATE: {raw!r} bukan tanggal YYYY-MM-DD"
            ) from None
        if earliest.tzinfo is None:
            earliest = earliest.replace(tzinfo=UTC)
        return cls(
            earliest=earliest,
            future=timedelta(hours=float(settings.mention_future_hours)),
            max_depth=int(settings.import_max_depth),
            max_field_chars=int(settings.import_max_field_chars),
        )

    @classmethod
    def current(cls) -> RecordLimits:
        """The limits of the current environment, for callers not handed settings."""
        return cls.from_settings(get_settings())

    def date_problem(self, when: datetime, now: datetime | None = None) -> str | None:
        """Why ``when`` is no plausible publication time, or ``None`` when it is."""
        if when.tzinfo is None:
            return "waktu tanpa zona waktu"
        if when < self.earliest:
            return f"tanggal {when.isoformat()} sebelum batas {self.earliest.date().isoformat()}"
        latest = (now or datetime.now(UTC)) + self.future
        if when > latest:
            hours = self.future.total_seconds() / 3600
            return f"tanggal {when.isoformat()} lebih dari {hours:g} jam setelah sekarang"
        return None

    def plausible(self, when: datetime | None, now: datetime | None = None) -> datetime | None:
        """``when`` if it lies in the window, else ``None`` (the tracker then keeps its clock)."""
        if when is None or self.date_problem(when, now) is not None:
            return None
        return when

    @staticmethod
    def count_problem(value: Any) -> str | None:
        """Why ``value`` is no storable count (an int from 0 to :data:`MAX_COUNT`), or ``None``."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"harus bilangan, bukan {type(value).__name__}"
        if isinstance(value, float) and not math.isfinite(value):
            return f"bukan bilangan terhingga: {value!r}"
        if value < 0:
            return "bilangan negatif"
        if value > MAX_COUNT:
            return f"terlalu besar (lebih dari {MAX_COUNT})"
        return None

    def mention_problem(self, m: MentionIn, now: datetime | None = None) -> tuple[str, str] | None:
        """Why ``m`` cannot be stored as it is, as (field, reason), or ``None``."""
        if m.published_at is not None:
            problem = self.date_problem(m.published_at, now)
            if problem:
                return "published_at", problem
        for name in COUNT_FIELDS:
            value = getattr(m, name)
            if value is None and name == "author_followers":
                continue
            problem = self.count_problem(value)
            if problem:
                return name, problem
        if too_deep(m.extra, self.max_depth):
            return "extra", f"bersarang lebih dari {self.max_depth} tingkat"
        try:
            json.dumps(m.extra, allow_nan=False, default=str)
        except ValueError:
            return "extra", "berisi NaN atau bilangan tak hingga (JSON tidak mengenalnya)"
        return None
