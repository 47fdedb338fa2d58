"""The demo's sample placed in time: its week ends late yesterday, in the configured time zone.

The bundled sample is one fixed week of posts whose issues flare up and then fade, so its stream
thins out at the end and its last post falls a few hours after a WITA midnight. Read as written,
its latest local day held the 7 posts after that midnight, and the reports page and
``pantau report daily``, which open on the latest day with data, greeted a new user with an
almost empty report. ``pantau demo`` therefore moves every time in the sample by one offset, so
that the last post falls at :data:`SAMPLE_ENDS_AT` on the day before the load, in the configured
time zone (whatever it is):

- the week keeps its shape: every gap between two posts, so the clustering, the bursts, the
  alerts and the handling history see the same stream;
- the latest local day holds the stream's whole last day rather than a tail past midnight;
- the dashboard's recent windows ("24 jam terakhir", the week) have data on the day it is loaded,
  and no post lies in the future.

The files are rewritten byte for byte except the time values, so the sample's broken lines reach
the importer exactly as shipped and are quarantined as before.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = ["SAMPLE_ENDS_AT", "Placement", "place_sample", "placement"]

#: Local time of the sample's last post, on the day before the demo is loaded. Late in the day,
#: because the latest day holds what the stream carried in the hours before it: at 23:00 that is
#: 45 of the 47 posts of the sample's last 24 hours (the posts before 00:00 fall on the day
#: before). An hour before midnight keeps the tail inside the day whatever the seconds of the
#: sample's own times.
SAMPLE_ENDS_AT = time(23, 0)


@dataclass(frozen=True)
class Placement:
    """Where the sample lands: its first and last post after the move, and the offset."""

    first: datetime
    last: datetime
    offset: timedelta


def placement(times: Iterable[datetime], now: datetime, zone: ZoneInfo) -> Placement:
    """The move that puts the last of ``times`` at :data:`SAMPLE_ENDS_AT` yesterday in ``zone``.

    >>> from datetime import datetime, UTC
    >>> from zoneinfo import ZoneInfo
    >>> sample = [datetime(2026, 11, 20, 0, 5, tzinfo=UTC), datetime(2026, 11, 26, 23, tzinfo=UTC)]
    >>> p = placement(sample, datetime(2027, 3, 10, 9, 0, tzinfo=UTC), ZoneInfo("Asia/Jakarta"))
    >>> p.last.astimezone(ZoneInfo("Asia/Jakarta")).isoformat()
    '2027-03-09T23:00:00+07:00'
    >>> p.last - p.first == sample[1] - sample[0]
    True
    """
    ordered = sorted(times)
    if not ordered:
        raise ValueError("sampel demo tidak memuat satu waktu pun")
    yesterday = now.astimezone(zone).date() - timedelta(days=1)
    target = datetime.combine(yesterday, SAMPLE_ENDS_AT, tzinfo=zone)
    offset = target - ordered[-1]
    return Placement(first=ordered[0] + offset, last=ordered[-1] + offset, offset=offset)


def _time_field(mapping: Path) -> bytes:
    """The sample's key for ``published_at``, as its mapping file names it."""
    spec = tomllib.loads(mapping.read_text(encoding="utf-8"))
    return str(spec["fields"]["published_at"]).encode("utf-8")


def _pattern(field: bytes) -> re.Pattern[bytes]:
    # A JSON key, not a word inside a text: inside a string its quotes would be escaped.
    return re.compile(rb'("' + re.escape(field) + rb'"\s*:\s*")([^"\\]+)(")')


def _parse(raw: bytes) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None  # not a time: left as it is, for the importer to judge
    return moment if moment.tzinfo else None  # a naive time is the mapping's zone: not moved


def place_sample(
    folder: Path,
    files: Iterable[tuple[str, str]],
    dest: Path,
    *,
    now: datetime,
    zone: ZoneInfo,
) -> Placement:
    """Write each ``(sample, mapping)`` of ``folder`` into ``dest`` with its times moved."""
    loaded = []
    for sample, mapping in files:
        data = (folder / sample).read_bytes()
        pattern = _pattern(_time_field(folder / mapping))
        loaded.append((sample, data, pattern))
    found = [
        moment
        for _, data, pattern in loaded
        for match in pattern.finditer(data)
        if (moment := _parse(match.group(2))) is not None
    ]
    where = placement(found, now, zone)

    def moved(match: re.Match[bytes]) -> bytes:
        moment = _parse(match.group(2))
        if moment is None:
            return match.group(0)
        stamp = (moment + where.offset).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return match.group(1) + stamp.encode("ascii") + match.group(3)

    dest.mkdir(parents=True, exist_ok=True)
    for sample, data, pattern in loaded:
        (dest / sample).write_bytes(pattern.sub(moved, data))
    return where
