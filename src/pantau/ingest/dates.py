"""Publication times as Indonesian sites and exports write them, parsed to aware UTC.

Indonesian news pages write dates like ``Senin, 24 September 2024 14:05 WITA``, ``24/09/2024
14.05 WIB`` or ``2 jam yang lalu``; feeds sometimes put Indonesian day and month names into RFC 822
``pubDate`` fields, which feedparser cannot read. :func:`parse_date` reads all of them.

>>> parse_date("Senin, 24 September 2024 14:05 WITA").isoformat()
'2024-09-24T06:05:00+00:00'
>>> parse_date("Sel, 24 Sep 2024 07:00:00 +0700").isoformat()
'2024-09-24T00:00:00+00:00'
>>> from datetime import datetime, UTC
>>> parse_date("2 jam yang lalu", now=datetime(2024, 9, 24, 12, tzinfo=UTC)).isoformat()
'2024-09-24T10:00:00+00:00'
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_TZ", "TZ_ABBREVIATIONS", "parse_date", "parse_epoch"]

logger = logging.getLogger(__name__)

#: Zone assumed when a date carries none: most regional sites write local time without a zone.
DEFAULT_TZ = "Asia/Jakarta"

TZ_ABBREVIATIONS: dict[str, tzinfo] = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
    "GMT": UTC,
    "UTC": UTC,
    "Z": UTC,
}

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip

_DAYS = (
    "senin|selasa|rabu|kamis|jumat|jum'at|jum’at|sabtu|minggu|ahad|"
    "sen|sel|rab|kam|jum|sab|min|mon|tue|wed|thu|fri|sat|sun|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
_DAY_RE = re.compile(rf"^\s*(?:{_DAYS})\b[\s,.]*", re.IGNORECASE)
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"(?:(?:pukul|jam|pkl\.?)\s*)?(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?"
_ZONE = r"(?P<Z>WIB|WITA|WIT|GMT|UTC|Z|[+-]\d{2}:?\d{2})?"
_NAMED_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH_RE})\.?\s+(?P<y>\d{{4}})"
    rf"(?:[\s,|-]+{_TIME})?\s*{_ZONE}\s*$",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(
    rf"^(?P<d>\d{{1,2}})[/-](?P<m>\d{{1,2}})[/-](?P<y>\d{{4}})(?:[\s,|-]+{_TIME})?\s*{_ZONE}\s*$",
    re.IGNORECASE,
)
_RELATIVE_RE = re.compile(
    r"^(?P<n>\d+|se|satu)\s*(?P<unit>detik|menit|jam|hari|minggu|pekan|bulan|tahun)"
    r"\s+(?:yang\s+)?(?:lalu|yg\s+lalu)$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "detik": 1,
    "menit": 60,
    "jam": 3600,
    "hari": 86400,
    "minggu": 7 * 86400,
    "pekan": 7 * 86400,
    "bulan": 30 * 86400,  # approximate: sites round "n bulan" anyway
    "tahun": 365 * 86400,
}


def _zone(raw: str | None, default: tzinfo) -> tzinfo:
    if not raw:
        return default
    key = raw.upper()
    if key in TZ_ABBREVIATIONS:
        return TZ_ABBREVIATIONS[key]
    sign = -1 if raw[0] == "-" else 1
    digits = raw[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))


def _build(m: re.Match[str], month: int, default: tzinfo) -> datetime | None:
    try:
        local = datetime(
            int(m["y"]),
            month,
            int(m["d"]),
            int(m["H"] or 0),
            int(m["M"] or 0),
            int(m["S"] or 0),
            tzinfo=_zone(m["Z"], default),
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


def _relative(text: str, now: datetime) -> datetime | None:
    low = text.strip().lower()
    if low in {"baru saja", "barusan", "sekarang"}:
        return now
    if low == "kemarin":
        return now - timedelta(days=1)
    m = _RELATIVE_RE.match(low)
    if not m:
        return None
    n = 1 if m["n"] in {"se", "satu"} else int(m["n"])
    return now - timedelta(seconds=n * _UNIT_SECONDS[m["unit"]])


def _aware_utc(value: datetime, default: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=default)
    return value.astimezone(UTC)


def parse_date(
    text: str | None, *, now: datetime | None = None, default_tz: str = DEFAULT_TZ
) -> datetime | None:
    """Parse a publication time written the Indonesian or the international way, to aware UTC.

    The cascade, first hit wins:
    1. relative phrases ("2 jam yang lalu", "kemarin", "baru saja"), against ``now``;
    2. ISO 8601 (``2024-09-24T14:05:00+08:00``);
    3. Indonesian long form after stripping a day name ("Senin, 24 September 2024 14:05 WITA");
    4. day/month/year numbers ("24/09/2024 14.05 WIB");
    5. RFC 822 after translating Indonesian day and month names ("Sen, 24 Sep 2024 ...");
    6. dateparser with Indonesian and English, for anything else.
    Returns ``None`` when nothing reads it, or when it lies beyond the calendar
    (``9999-12-31T23:59:59-12:00`` is year 10000 in UTC); times without a zone are taken in
    ``default_tz``.
    """
    if not text or not text.strip():
        return None
    try:
        return _cascade(text, now, default_tz)
    except (OverflowError, ValueError):  # past year 9999 in UTC, or a 5,000-digit "n hari lalu"
        logger.debug("date beyond the calendar: %r", text[:100])
        return None


def _cascade(text: str, now: datetime | None, default_tz: str) -> datetime | None:
    raw = " ".join(text.split())
    default = ZoneInfo(default_tz)
    current = now or datetime.now(UTC)
    # 1. relative
    rel = _relative(raw, current)
    if rel is not None:
        return rel.astimezone(UTC)
    # 2. ISO 8601
    try:
        return _aware_utc(datetime.fromisoformat(raw.replace(" Z", "Z")), default)
    except ValueError:
        pass
    body = _DAY_RE.sub("", raw).strip()
    # 3. Indonesian long form
    m = _NAMED_RE.match(body)
    if m:
        return _build(m, _MONTHS[m["mon"].lower()], default)
    # 4. numeric day/month/year
    m = _NUMERIC_RE.match(body)
    if m:
        return _build(m, int(m["m"]), default)
    # 5. RFC 822 with Indonesian names
    try:
        parsed = parsedate_to_datetime(_to_english(body))
        return _aware_utc(parsed, default)
    except (TypeError, ValueError, IndexError):
        pass
    # 6. dateparser, slow but broad
    return _dateparser(raw, current, default_tz)


def _to_english(body: str) -> str:
    english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    def swap(m: re.Match[str]) -> str:
        return english[_MONTHS[m[0].lower()] - 1]

    return re.sub(rf"\b(?:{_MONTH_RE})\b", swap, body, flags=re.IGNORECASE)


def _dateparser(raw: str, now: datetime, default_tz: str) -> datetime | None:
    import dateparser

    try:
        parsed = dateparser.parse(
            raw,
            languages=["id", "en"],
            settings={
                "TIMEZONE": default_tz,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "RELATIVE_BASE": now.replace(tzinfo=None),
            },
        )
    except (ValueError, OverflowError):
        logger.debug("dateparser failed on %r", raw)
        return None
    return None if parsed is None else parsed.astimezone(UTC)


def parse_epoch(value: int | float | str) -> datetime:
    """A Unix timestamp (TikTok's ``create_time``) as aware UTC; raises ``ValueError`` if bad."""
    seconds = float(value)
    if not 0 <= seconds <= 4_102_444_800:  # after 2100: a unit mix-up, not a date; NaN too
        raise ValueError(f"timestamp {value!r} out of range")
    return datetime.fromtimestamp(seconds, UTC)
