"""The dashboard's filters (time range or dates, agency, region, channel, sentiment, issue,
author, outlet, watchlist, language, noise) and how they apply.

A :class:`DashFilter` is read from URL query parameters, so that every view of the dashboard can
be bookmarked and shared, and is written back with :meth:`DashFilter.query`.

>>> f = DashFilter.from_params({"range": "24h", "channel": "news", "region": "64.72"})
>>> f.range, f.channel, f.region, f.hours
('24h', 'news', '64.72', 24)
>>> f.query(range="7d")
'range=7d&region=64.72&channel=news'
>>> DashFilter.from_params({"range": "99y", "channel": "tv"}).errors
["range: '99y' tidak dikenal; pilih 24h, 7d atau 30d", "channel: 'tv' tidak dikenal"]
>>> custom = DashFilter.from_params({"since": "2026-11-01", "until": "2026-11-14"})
>>> custom.range, custom.query()
('custom', 'since=2026-11-01&until=2026-11-14')
>>> w = custom.window(datetime(2026, 11, 20, tzinfo=UTC), "Asia/Makassar")
>>> w.start.isoformat(), w.end.isoformat(), w.bucket_hours
('2026-10-31T16:00:00+00:00', '2026-11-14T16:00:00+00:00', 24)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import String, cast, false, or_, select
from sqlalchemy.orm import Session

from pantau.records import CHANNELS
from pantau.store.models import AgencyRegion, Mention
from pantau.store.search import NOISE_CHOICES, MentionFilter, mention_conditions

__all__ = ["CUSTOM_RANGE", "RANGES", "DashFilter", "Window"]

#: Time ranges offered: name -> (hours covered, bucket width in hours). Hourly buckets for a day
#: (the morning check), daily ones for a week or a month (the weekly brief).
RANGES: dict[str, tuple[int, int]] = {"24h": (24, 1), "7d": (7 * 24, 24), "30d": (30 * 24, 24)}
DEFAULT_RANGE = "7d"
#: The range of a view given by its own dates (``since``/``until``, local days, both included).
CUSTOM_RANGE = "custom"
#: The longest custom range: a year of daily buckets is what one chart can still show.
MAX_CUSTOM_DAYS = 366
#: A custom range of up to this many days is drawn in hours, a longer one in days.
HOURLY_UP_TO_DAYS = 2
_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}){0,3}$")
_KABKOTA_CODE_CHARS = len("64.72")
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")
_SENTIMENTS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Window:
    """The time span a view covers, in UTC, and the width of its chart buckets."""

    start: datetime
    end: datetime
    bucket_hours: int

    def previous(self) -> Window:
        """The span of the same length just before: what the view is compared with."""
        span = self.end - self.start
        return Window(self.start - span, self.start, self.bucket_hours)


@dataclass
class DashFilter:
    """Filters shared by the overview, the exports and the reports."""

    range: str = DEFAULT_RANGE
    agency_id: int | None = None
    region: str | None = None
    channel: str | None = None
    watchlist_id: int | None = None
    sentiment: str | None = None
    issue_id: int | None = None
    author: str | None = None
    outlet: str | None = None
    lang: str | None = None
    noise: str | None = None
    #: First and last local day of a custom range (``range == CUSTOM_RANGE``).
    since: date | None = None
    until: date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> DashFilter:
        """Read the filters from query parameters; bad values are dropped and named in errors."""
        errors: list[str] = []
        rng = str(params.get("range") or DEFAULT_RANGE)
        if rng not in RANGES and rng != CUSTOM_RANGE:
            names = list(RANGES)
            choices = ", ".join(names[:-1]) + " atau " + names[-1]
            errors.append(f"range: {rng!r} tidak dikenal; pilih {choices}")
            rng = DEFAULT_RANGE
        since = _day(params.get("since"), "since", errors)
        until = _day(params.get("until"), "until", errors)
        if since and until and since > until:
            errors.append(f"since: {since} sesudah until {until}; tanggal ditukar")
            since, until = until, since
        if since and until and (until - since).days >= MAX_CUSTOM_DAYS:
            errors.append(f"since: rentang lebih dari {MAX_CUSTOM_DAYS} hari; dipendekkan")
            since = until - timedelta(days=MAX_CUSTOM_DAYS - 1)
        if since or until:
            rng = CUSTOM_RANGE
        elif rng == CUSTOM_RANGE:
            rng = DEFAULT_RANGE
        region = params.get("region") or None
        if region is not None and not _REGION_CODE.match(str(region)):
            errors.append(f"region: {region!r} bukan kode wilayah Kemendagri (mis. 64.72)")
            region = None
        lang = params.get("lang") or None
        if lang is not None and not _LANG_CODE.match(str(lang)):
            errors.append(f"lang: {lang!r} bukan kode bahasa (mis. id)")
            lang = None
        return cls(
            range=rng,
            agency_id=_int(params.get("agency"), "agency", errors),
            region=region,
            channel=_choice(params.get("channel"), "channel", CHANNELS, errors),
            watchlist_id=_int(params.get("watchlist"), "watchlist", errors),
            sentiment=_choice(params.get("sentiment"), "sentiment", _SENTIMENTS, errors),
            issue_id=_int(params.get("issue"), "issue", errors),
            author=_text(params.get("author")),
            outlet=_text(params.get("outlet")),
            lang=lang,
            noise=_choice(params.get("noise"), "noise", NOISE_CHOICES, errors),
            since=since,
            until=until,
            errors=errors,
        )

    @property
    def hours(self) -> int:
        """Hours the view covers (a custom range: its whole days; open ends count a week)."""
        if self.range != CUSTOM_RANGE:
            return RANGES[self.range][0]
        if self.since and self.until:
            return 24 * ((self.until - self.since).days + 1)
        return RANGES[DEFAULT_RANGE][0]

    def window(self, anchor: datetime, tz: str = "UTC") -> Window:
        """The span ending at ``anchor`` (usually the newest mention), cut to whole buckets;
        a custom range runs from the start of its first local day to the end of its last
        (a missing last day is the anchor's, a missing first day a week before the last)."""
        if self.range != CUSTOM_RANGE:
            hours, bucket = RANGES[self.range]
            end = anchor.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            return Window(end - timedelta(hours=hours), end, bucket)
        zone = ZoneInfo(tz)
        last = self.until or max(anchor.astimezone(zone).date(), self.since or date.min)
        first = self.since or last - timedelta(days=RANGES[DEFAULT_RANGE][0] // 24 - 1)
        first = max(first, last - timedelta(days=MAX_CUSTOM_DAYS - 1))
        start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        days = (last - first).days + 1
        return Window(start, end, 1 if days <= HOURLY_UP_TO_DAYS else 24)

    def params(self, **changes: Any) -> dict[str, str]:
        """The non-empty filters as query parameters, with ``changes`` applied."""
        values = {
            "range": None if self.range == CUSTOM_RANGE else self.range,
            "since": self.since,
            "until": self.until,
            "agency": self.agency_id,
            "region": self.region,
            "channel": self.channel,
            "sentiment": self.sentiment,
            "issue": self.issue_id,
            "author": self.author,
            "outlet": self.outlet,
            "watchlist": self.watchlist_id,
            "lang": self.lang,
            "noise": self.noise,
            **changes,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **changes: Any) -> str:
        """The filters as a URL query string (for links that keep them)."""
        return urlencode(self.params(**changes))

    def without_channel(self) -> DashFilter:
        return replace(self, channel=None)

    @property
    def by_mention_only(self) -> bool:
        """Whether a filter needs the mentions themselves: the rollup has no author, outlet,
        watchlist or kecamatan (a kab/kota is its finest place)."""
        kecamatan = len(self.region or "") > _KABKOTA_CODE_CHARS
        return bool(self.author or self.outlet or self.watchlist_id is not None or kecamatan)

    def mention_filter(self) -> MentionFilter:
        """The filters the mentions are searched with (the time window is the caller's)."""
        return MentionFilter(
            channel=self.channel,
            sentiment=self.sentiment,
            region=self.region,
            issue_id=self.issue_id,
            author=self.author,
            outlet=self.outlet,
            watchlist_id=self.watchlist_id,
            lang=self.lang,
            noise=self.noise,
        )

    def mention_conditions(self, session: Session) -> list[Any]:
        """SQL conditions on :class:`Mention` for every filter, the agency's mandate included."""
        conds = mention_conditions(session, self.mention_filter())
        if self.agency_id is not None:
            codes = session.scalars(
                select(AgencyRegion.region_code).where(AgencyRegion.agency_id == self.agency_id)
            ).all()
            regions_text = cast(Mention.regions, String)
            if codes:
                conds.append(or_(*(regions_text.like(f'%"{c}%') for c in codes)))
            else:
                conds.append(false())
        return conds


def _day(raw: Any, name: str, errors: list[str]) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        errors.append(f"{name}: tanggal {str(raw)!r} tidak sesuai format YYYY-MM-DD")
        return None


def _choice(raw: Any, name: str, allowed: tuple[str, ...], errors: list[str]) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in allowed:
        errors.append(f"{name}: {raw!r} tidak dikenal")
        return None
    return str(raw)


def _text(raw: Any) -> str | None:
    value = str(raw).strip() if raw is not None else ""
    return value[:_MAX_NAME_CHARS] or None


#: Author and outlet names are cut here: longer input is a paste accident, not a name.
_MAX_NAME_CHARS = 255


def _int(raw: Any, name: str, errors: list[str]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        errors.append(f"{name}: {raw!r} bukan angka")
        return None
