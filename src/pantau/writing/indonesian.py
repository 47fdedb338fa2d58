"""Indonesian forms of dates, times and numbers as editors write them (EYD V, news style).

>>> from datetime import datetime
>>> day_date(datetime(2024, 9, 24))
'Selasa (24/9/2024)'
>>> long_date(datetime(2024, 9, 24))
'24 September 2024'
>>> clock(datetime(2024, 9, 24, 13, 20), "Asia/Makassar")
'13.20 WITA'
>>> spell_number(25), spell_number(111), spell_number(1_200_000)
('dua puluh lima', 'seratus sebelas', 'satu juta dua ratus ribu')
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = [
    "DAY_NAMES",
    "MONTH_NAMES",
    "ZONE_ABBREVIATIONS",
    "clock",
    "day_date",
    "localize",
    "long_date",
    "spell_number",
    "zone_abbreviation",
]

DAY_NAMES: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTH_NAMES: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

#: Indonesia's three official zones by IANA name; others fall back to the zone's own abbreviation.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}

_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((1_000_000_000_000, "triliun"), (1_000_000_000, "miliar"), (1_000_000, "juta"))


def zone_abbreviation(timezone: str) -> str:
    """WIB, WITA or WIT for an Indonesian IANA zone; the zone's own name elsewhere."""
    if timezone in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[timezone]
    return datetime.now(ZoneInfo(timezone)).tzname() or timezone


def localize(moment: datetime, timezone: str) -> datetime:
    """``moment`` in ``timezone``; a naive datetime is taken as already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(ZoneInfo(timezone))


def day_date(moment: date, *, year: bool = True) -> str:
    """News-style day and date, "Selasa (24/9/2024)", without leading zeros."""
    tail = f"/{moment.year}" if year else ""
    return f"{DAY_NAMES[moment.weekday()]} ({moment.day}/{moment.month}{tail})"


def long_date(moment: date) -> str:
    """Date with the month's name, "24 September 2024"."""
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


def clock(moment: datetime, timezone: str) -> str:
    """Time of day with a dot and the zone, "13.20 WITA" (EYD V)."""
    local = localize(moment, timezone)
    return f"{local.hour:02d}.{local.minute:02d} {zone_abbreviation(timezone)}"


def _below_thousand(n: int) -> list[str]:
    out: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        out.append("seratus" if hundreds == 1 else f"{_UNITS[hundreds]} ratus")
    if 10 <= rest < 20:
        if rest == 10:
            out.append("sepuluh")
        elif rest == 11:
            out.append("sebelas")
        else:
            out.append(f"{_UNITS[rest - 10]} belas")
    else:
        tens, unit = divmod(rest, 10)
        if tens:
            out.append(f"{_UNITS[tens]} puluh")
        if unit:
            out.append(_UNITS[unit])
    return out


def spell_number(n: int) -> str:
    """A whole number in Indonesian words ("seratus", "seribu", "dua juta")."""
    if n < 0:
        return "minus " + spell_number(-n)
    if n == 0:
        return "nol"
    out: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count:
            out.append(f"{spell_number(count)} {name}")
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        out.append("seribu")
    elif thousands:
        out.append(" ".join([*_below_thousand(thousands), "ribu"]))
    out.extend(_below_thousand(n))
    return " ".join(out)
