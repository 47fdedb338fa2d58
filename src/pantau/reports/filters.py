"""The dashboard's filters (time range, agency, region, channel, watchlist) and how they apply.

A :class:`DashFilter` is read from URL query parameters, so that every view of the dashboard can
be bookmarked and shared, and is written back with :meth:`DashFilter.query`.

>>> f = DashFilter.from_params({"range": "24h", "channel": "news", "region": "64.72"})
>>> f.range, f.channel, f.region, f.hours
('24h', 'news', '64.72', 24)
>>> f.query(range="7d")
'range=7d&region=64.72&channel=news'
>>> DashFilter.from_params({"range": "99y", "channel": "tv"}).errors
["range: '99y' tidak dikenal; pilih 24h, 7d atau 30d", "channel: 'tv' tidak dikenal"]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import String, cast, false, or_, select
from sqlalchemy.orm import Session

from pantau.records import CHANNELS
from pantau.store.models import AgencyRegion, Mention, Watchlist

__all__ = ["RANGES", "DashFilter", "Window"]

#: Time ranges offered: name -> (hours covered, bucket width in hours). Hourly buckets for a day
#: (the morning check), daily ones for a week or a month (the weekly brief).
RANGES: dict[str, tuple[int, int]] = {"24h": (24, 1), "7d": (7 * 24, 24), "30d": (30 * 24, 24)}
DEFAULT_RANGE = "7d"
_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}){0,3}$")


@dataclass(frozen=True)
class Window:
    """The time span a view covers, in UTC, and the width of its chart buckets."""

    start: datetime
    end: datetime
    bucket_hours: int


@dataclass
class DashFilter:
    """Filters shared by the overview, the exports and the reports."""

    range: str = DEFAULT_RANGE
    agency_id: int | None = None
    region: str | None = None
    channel: str | None = None
    watchlist_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> DashFilter:
        """Read the filters from query parameters; bad values are dropped and named in errors."""
        errors: list[str] = []
        rng = str(params.get("range") or DEFAULT_RANGE)
        if rng not in RANGES:
            names = list(RANGES)
            choices = ", ".join(names[:-1]) + " atau " + names[-1]
            errors.append(f"range: {rng!r} tidak dikenal; pilih {choices}")
            rng = DEFAULT_RANGE
        channel = params.get("channel") or None
        if channel is not None and channel not in CHANNELS:
            errors.append(f"channel: {channel!r} tidak dikenal")
            channel = None
        region = params.get("region") or None
        if region is not None and not _REGION_CODE.match(str(region)):
            errors.append(f"region: {region!r} bukan kode wilayah Kemendagri (mis. 64.72)")
            region = None
        return cls(
            range=rng,
            agency_id=_int(params.get("agency"), "agency", errors),
            region=region,
            channel=channel,
            watchlist_id=_int(params.get("watchlist"), "watchlist", errors),
            errors=errors,
        )

    @property
    def hours(self) -> int:
        return RANGES[self.range][0]

    def window(self, anchor: datetime) -> Window:
        """The span ending at ``anchor`` (usually the newest mention), cut to whole buckets."""
        hours, bucket = RANGES[self.range]
        end = anchor.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return Window(end - timedelta(hours=hours), end, bucket)

    def params(self, **changes: Any) -> dict[str, str]:
        """The non-empty filters as query parameters, with ``changes`` applied."""
        values = {
            "range": self.range,
            "agency": self.agency_id,
            "region": self.region,
            "channel": self.channel,
            "watchlist": self.watchlist_id,
            **changes,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **changes: Any) -> str:
        """The filters as a URL query string (for links that keep them)."""
        return urlencode(self.params(**changes))

    def without_channel(self) -> DashFilter:
        return replace(self, channel=None)

    def mention_conditions(self, session: Session) -> list[Any]:
        """SQL conditions on :class:`Mention` for the agency, region, channel and watchlist."""
        conds: list[Any] = []
        if self.channel:
            conds.append(Mention.channel == self.channel)
        regions_text = cast(Mention.regions, String)
        if self.region:
            conds.append(regions_text.like(f'%"{self.region}%'))
        if self.agency_id is not None:
            codes = session.scalars(
                select(AgencyRegion.region_code).where(AgencyRegion.agency_id == self.agency_id)
            ).all()
            if codes:
                conds.append(or_(*(regions_text.like(f'%"{c}%') for c in codes)))
            else:
                conds.append(false())
        if self.watchlist_id is not None:
            name = session.scalar(select(Watchlist.name).where(Watchlist.id == self.watchlist_id))
            if name is None:
                conds.append(false())
            else:
                conds.append(cast(Mention.watch, String).like(f"%{_json_text(name)}%"))
        return conds


def _json_text(name: str) -> str:
    """How a name appears inside a JSON document (quotes included)."""
    import json

    return json.dumps(name)


def _int(raw: Any, name: str, errors: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        errors.append(f"{name}: {raw!r} bukan angka")
        return None
