"""Reading form and query values with errors that name the field."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["parse_day"]


def parse_day(
    raw: str | None, tz: str, field: str, errors: list[str], *, end_of_day: bool = False
) -> datetime | None:
    """A ``YYYY-MM-DD`` day in ``tz`` as an aware datetime (start, or end when ``end_of_day``).

    >>> errs: list[str] = []
    >>> parse_day("2024-09-24", "Asia/Makassar", "since", errs).isoformat()
    '2024-09-24T00:00:00+08:00'
    >>> parse_day("24/9", "Asia/Makassar", "since", errs), errs
    (None, ["since: tanggal '24/9' tidak sesuai format YYYY-MM-DD"])
    """
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors.append(f"{field}: tanggal {raw!r} tidak sesuai format YYYY-MM-DD")
        return None
    start = datetime.combine(day, time(0), tzinfo=ZoneInfo(tz))
    return start + timedelta(days=1) if end_of_day else start
