"""The search filters as the URL carries them: read once for the page, its export and saving.

Every filter is a query parameter, so a filtered view is a link to bookmark or share, and the
export of a page reads exactly the parameters the page read. Each bad value is named with the
field and what was expected; a query that cannot be read, or a "from" after the "to", stops the
search (an empty page with the reason) instead of quietly returning nothing.

>>> form = read_search({"q": "banjir -pdam", "sentiment": "negative"}, "Asia/Makassar")
>>> form.filter.q, form.filter.sentiment, form.errors, form.query()
('banjir -pdam', 'negative', [], 'q=banjir+-pdam&sentiment=negative')
>>> read_search({"q": 'banjir "jalan', "region": "Samarinda"}, "Asia/Makassar").errors
["Region 'Samarinda' is not a Kemendagri code (such as 64.72 or 64.72.01).", \
'Search words, column 8 (\\'"jalan\\'): the quotation mark is not closed']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pantau.records import CHANNELS
from pantau.store.search import NOISE_CHOICES, MentionFilter, SearchQueryError
from pantau.store.search_query import parse_query
from pantau.web.forms import parse_day

__all__ = ["LANGS", "PARAMS", "SENTIMENTS", "SearchForm", "read_search"]

#: The query parameters of a search, in the order links spell them.
PARAMS = (
    "q",
    "channel",
    "sentiment",
    "region",
    "issue",
    "author",
    "outlet",
    "watchlist",
    "lang",
    "noise",
    "since",
    "until",
)
SENTIMENTS = ("positive", "neutral", "negative")
#: Languages the text stage tells apart (ISO 639 codes), offered in the language filter.
LANGS = ("id", "en", "ms", "jv", "su", "bjn")
#: The longest search text kept: longer input is a paste accident, not a query.
MAX_QUERY_CHARS = 500
_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}){1,2}$")
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")


def _identity(message: str) -> str:
    return message


@dataclass
class SearchForm:
    """The parameters as given, the filter they make, and what was wrong with them."""

    params: dict[str, str]
    filter: MentionFilter
    errors: list[str] = field(default_factory=list)
    #: True when the search cannot run as asked (unreadable query, "from" after "to").
    blocked: bool = False

    def query(self, **changes: Any) -> str:
        """The parameters as a query string, with ``changes`` (``None`` drops one)."""
        values = {**self.params, **changes}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _int(raw: str, label: str, errors: list[str], _: Callable[[str], str]) -> int | None:
    try:
        return int(raw)
    except ValueError:
        errors.append(_("%(field)s: %(value)r is not a number.") % {"field": label, "value": raw})
        return None


def read_search(
    params: Mapping[str, str], tz: str, gettext: Callable[[str], str] = _identity
) -> SearchForm:
    """Read the search parameters; bad values are dropped and named in ``errors``."""
    _ = gettext
    given = {k: str(params[k]).strip() for k in PARAMS if params.get(k)}
    given["q"] = given.get("q", "")[:MAX_QUERY_CHARS]
    errors: list[str] = []
    blocked = False

    def choice(name: str, allowed: tuple[str, ...], label: str) -> str | None:
        value = given.get(name)
        if value is None or value in allowed:
            return value
        errors.append(
            _("%(field)s %(value)r is unknown; choose one of %(choices)s.")
            % {"field": label, "value": value, "choices": ", ".join(allowed)}
        )
        return None

    region = given.get("region")
    if region is not None and not _REGION_CODE.match(region):
        errors.append(
            _("Region %(value)r is not a Kemendagri code (such as 64.72 or 64.72.01).")
            % {"value": region}
        )
        region = None
    lang = given.get("lang")
    if lang is not None and not _LANG_CODE.match(lang):
        errors.append(
            _("Language %(value)r is not a language code (such as id).") % {"value": lang}
        )
        lang = None
    f = MentionFilter(
        q=given["q"],
        channel=choice("channel", CHANNELS, _("Channel")),
        sentiment=choice("sentiment", SENTIMENTS, _("Sentiment")),
        region=region,
        issue_id=_int(given["issue"], _("Issue"), errors, _) if "issue" in given else None,
        author=given.get("author"),
        outlet=given.get("outlet"),
        watchlist_id=(
            _int(given["watchlist"], _("Watchlist"), errors, _) if "watchlist" in given else None
        ),
        lang=lang,
        noise=choice("noise", NOISE_CHOICES, _("Noise")),
        since=parse_day(given.get("since"), tz, "since", errors),
        until=parse_day(given.get("until"), tz, "until", errors, end_of_day=True),
    )
    try:
        parse_query(f.q)
    except SearchQueryError as exc:
        errors.append(
            _("Search words, column %(column)d (%(token)r): %(reason)s")
            % {"column": exc.column, "token": exc.token, "reason": _(exc.reason)}
        )
        blocked = True
    if f.since and f.until and f.since >= f.until:
        errors.append(
            _("“From” (%(since)s) is after “To” (%(until)s): swap them or change one.")
            % {"since": given["since"], "until": given["until"]}
        )
        blocked = True
    return SearchForm(given, f, errors, blocked)
