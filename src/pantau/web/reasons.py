"""Risk and source-health reasons in the reader's language, with figures formatted for it.

The issues stage stores each reason's Indonesian text (alerts and printed reports use it) and
the figures behind it; a page rebuilds the sentence from the figures through the catalog, so an
English page says "reach of about 55,996 accounts/views" and an Indonesian one "55.996". A
reason stored before the figures were kept is shown as stored.

>>> comp = {"component": "reach", "text": "x", "args": {"reach": 55996}}
>>> reason_text(comp, "en"), reason_text(comp, "id")
('reach of about 55,996 accounts/views', 'jangkauan sekitar 55.996 akun/tayangan')
>>> reason_text({"component": "negativity", "args": {"negative_share": 0.684}}, "en")
'68% of mentions are negative'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pantau.i18n import format_number, format_percent, translations

__all__ = ["HEALTH_REASONS", "REASONS", "health_text", "reason_text"]


def _(message: str) -> str:
    return message


#: English message ids of the reasons (pantau.issues.risk keeps the same fields in Indonesian).
REASONS: dict[str, str] = {
    "volume": _("volume of {recent} mentions in the last window ({size} in all)"),
    "growth": _("surge z={z} against an expected {expected}, growing {growth}x"),
    "negativity": _("{negative_share} of mentions are negative"),
    "reach": _("reach of about {reach} accounts/views"),
    "engagement": _("{engagement} interactions (likes, shares, comments)"),
    "influencers": _("{influencers} influential accounts (>= {threshold} followers)"),
    "coordination": _("{coordinated} mentions from accounts copying similar text"),
    "crossover": _("taken up by mainstream media {lead_hours} hours after social media"),
    "complaints": _("{complaints} citizen complaints"),
    "sensitive": _("sensitive topic: {categories}"),
    "regions": _("touches {region_count} regions"),
}
#: English message ids of a source's health reasons (pantau.ingest.health says them in
#: Indonesian for logs and notifications).
HEALTH_REASONS: dict[str, str] = {
    "failing": _("{streak} failures in a row: {error}"),
    "silent": _("no new item for {hours} hours; usually one every {usual_hours} hours"),
    "low": _("~{items} items in the last 24 hours; usually {usual} a day"),
    "never": _("never fetched successfully"),
}
#: Figures that are shares (shown as a percentage) rather than counts.
_SHARES = frozenset({"negative_share"})


def _figure(name: str, value: Any, lang: str) -> str:
    if name in _SHARES and isinstance(value, int | float):
        return format_percent(float(value), lang, 0)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, lang, 0 if isinstance(value, int) else 1)


def _say(template: str | None, args: Any, fallback: str, lang: str) -> str:
    if template is None or not isinstance(args, Mapping):
        return fallback
    figures = {k: _figure(k, v, lang) for k, v in args.items()}
    try:
        return translations(lang).gettext(template).format(**figures)
    except (KeyError, IndexError, ValueError):  # a catalog entry that lost a field
        return fallback


def reason_text(comp: Mapping[str, Any], lang: str) -> str:
    """The sentence of one risk reason in ``lang``; the stored text when its figures are not."""
    template = REASONS.get(str(comp.get("component")))
    return _say(template, comp.get("args"), str(comp.get("text") or ""), lang)


def health_text(detail: tuple[str, Mapping[str, Any]], fallback: str, lang: str) -> str:
    """One source-health reason in ``lang``, from its kind and figures.

    >>> health_text(("low", {"items": 3, "usual": 1200}), "x", "en")
    '~3 items in the last 24 hours; usually 1,200 a day'
    """
    kind, args = detail
    return _say(HEALTH_REASONS.get(kind), args, fallback, lang)
