"""Indonesian first, English second: Babel catalogs, and dates in Indonesian in the set time zone.

Message ids are English; ``locale/id`` and ``locale/en`` hold the catalogs (``.po``, read at start
with Babel, so there is no compiled file to go stale). Babel takes a quarter of a second to import,
so it is imported where a catalog, date or number is read or written: a stage that only marks its
message ids with :func:`N_` (the store's search errors, the agency levels) does not pay for it.

>>> from datetime import UTC, datetime
>>> format_dt(datetime(2024, 9, 24, 6, 5, tzinfo=UTC), "Asia/Makassar")
'Selasa, 24 September 2024 14.05 WITA'
>>> format_number(1234567)
'1.234.567'
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

__all__ = [
    "LOCALES",
    "N_",
    "format_date",
    "format_dt",
    "format_number",
    "format_percent",
    "translations",
    "tz_abbrev",
]

LOCALES = ("id", "en")
_TZ_ABBREV = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


class _POTranslations(gettext.NullTranslations):
    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.gettext(msgid1 if n == 1 else msgid2)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs where it is defined; it is translated where shown."""
    return message


def translations(locale: str) -> gettext.NullTranslations:
    """The catalog for ``locale`` (``id`` or ``en``); unknown locales fall back to ``id``."""
    return _catalog(locale if locale in LOCALES else LOCALES[0])


# Parsed once per locale and process: Babel's .po parser takes ~18 ms a catalog, and one alert
# names its stage several times, so parsing per call made a 1,000-alert burst spend 220 of its
# 230 CPU-seconds here (tests/alerts/test_burst.py under cProfile). Keyed on the locale after the
# fallback above, so the cache holds at most len(LOCALES) entries whatever a request asks for.
@cache
def _catalog(locale: str) -> gettext.NullTranslations:
    from babel.messages.pofile import read_po  # imported where used: see the module's note

    ref = resources.files("pantau.locale").joinpath(f"{locale}/LC_MESSAGES/messages.po")
    with ref.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    messages = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
    return _POTranslations(messages)


def tz_abbrev(tz: str) -> str:
    return _TZ_ABBREV.get(tz, tz)


def format_dt(value: datetime | None, tz: str, locale: str = "id", *, weekday: bool = True) -> str:
    """A moment as Indonesians write it, in ``tz``: 'Senin, 24 September 2024 14.05 WITA'."""
    if value is None:
        return "-"
    from babel.dates import format_datetime

    local = value.astimezone(ZoneInfo(tz))
    if locale == "id":
        pattern = "EEEE, d MMMM y HH.mm" if weekday else "d MMM y HH.mm"
        return f"{format_datetime(local, pattern, locale='id')} {tz_abbrev(tz)}"
    pattern = "EEEE, d MMMM y HH:mm" if weekday else "d MMM y HH:mm"
    return f"{format_datetime(local, pattern, locale='en')} {tz_abbrev(tz)}"


def format_date(value: datetime | None, tz: str, locale: str = "id") -> str:
    """A day: 'Senin, 24 September 2024'."""
    if value is None:
        return "-"
    from babel.dates import format_datetime

    local = value.astimezone(ZoneInfo(tz))
    return format_datetime(local, "EEEE, d MMMM y", locale=locale)


def format_number(value: float | int, locale: str = "id", digits: int = 0) -> str:
    """A number as the locale writes it, with up to ``digits`` decimals.

    >>> format_number(55996), format_number(55996, "en"), format_number(6.94, "id", 1)
    ('55.996', '55,996', '6,9')
    """
    from babel.numbers import format_decimal

    if digits:
        return format_decimal(value, format="#,##0." + "#" * digits, locale=locale)
    return format_decimal(round(value), locale=locale)


def format_percent(share: float, locale: str = "id", digits: int = 1) -> str:
    """A share as a percentage in the locale: 0.684 -> '68,4%' (id), '68.4%' (en).

    >>> format_percent(0.684), format_percent(0.684, "en")
    ('68,4%', '68.4%')
    """
    return format_number(share * 100, locale, digits) + "%"
