"""Explainable risk score 0-100: weighted components, each with its numbers and its reason.

Every component is a number in [0, 1] computed from the issue's running summary; the score is
their weighted mean times 100. The weights are the ``issues_risk_weights`` setting. Reasons list
the components that added points, largest first, in words and in numbers.

>>> w = dict(DEFAULT_WEIGHTS)
>>> score, reasons = risk_score({"volume": 1.0, "crossover": 1.0}, {}, w)
>>> round(score, 1), reasons[0]["component"]
(25.9, 'volume')
"""

from __future__ import annotations

import logging
import math
import re
import string
from typing import Any

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "REASON_FIELDS",
    "SENSITIVE_TERMS",
    "risk_score",
    "risk_value",
    "sensitive_categories",
    "sensitive_words",
]

logger = logging.getLogger(__name__)

#: Default weights; volume/growth and negativity lead because Humas triage starts there
#: (how loud, how angry), sensitive topics and crossover next (what makes it a crisis).
DEFAULT_WEIGHTS: dict[str, float] = {
    "volume": 2.0,
    "growth": 2.0,
    "negativity": 1.5,
    "reach": 1.0,
    "engagement": 1.0,
    "influencers": 1.0,
    "coordination": 1.0,
    "crossover": 1.5,
    "complaints": 0.5,
    "sensitive": 1.5,
    "regions": 0.5,
}
COMPONENTS: tuple[str, ...] = tuple(DEFAULT_WEIGHTS)

#: Sensitive topics (Indonesian and English stems; a word matches when it starts with a stem).
SENSITIVE_TERMS: dict[str, tuple[str, ...]] = {
    "bencana": (
        "banjir",
        "longsor",
        "gempa",
        "tsunami",
        "kebakaran",
        "terbakar",
        "erupsi",
        "puting",
        "angin kencang",
        "kekeringan",
        "karhutla",
        "evakuasi",
        "pengungsi",
        "korban",
        "flood",
        "earthquake",
        "hurricane",
        "tornado",
        "storm",
        "wildfire",
        "evacuat",
        "disaster",
        "landslide",
        "cyclone",
        "explosion",
        "explod",
        "blast",
    ),
    "sara": (
        "sara",
        "agama",
        "kafir",
        "penistaan",
        "rasis",
        "etnis",
        "suku",
        "intoleran",
        "religion",
        "racist",
        "ethnic",
    ),
    "korupsi": (
        "korupsi",
        "koruptor",
        "suap",
        "pungli",
        "gratifikasi",
        "mark up",
        "kpk",
        "ott",
        "corruption",
        "bribe",
    ),
    "keamanan": (
        "bom",
        "teror",
        "tawuran",
        "begal",
        "pembunuhan",
        "penembakan",
        "kerusuhan",
        "demo",
        "unjuk rasa",
        "tewas",
        "meninggal",
        "kecelakaan",
        "bomb",
        "terror",
        "shooting",
        "killed",
        "dead",
        "injured",
        "riot",
        "attack",
    ),
}
#: Stems at least this long also match inside a word, so hashtags count (#banjirsamarinda,
#: #qldfloods); shorter ones only at a word start ("bom" must not match inside "bombastis").
INFIX_MIN_CHARS = 5


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    short = [re.escape(t) for t in terms if len(t) < INFIX_MIN_CHARS]
    long = [re.escape(t) for t in terms if len(t) >= INFIX_MIN_CHARS]
    parts = ([r"\b(?:" + "|".join(short) + ")"] if short else []) + (
        ["(?:" + "|".join(long) + ")"] if long else []
    )
    return re.compile("|".join(parts))


_PATTERNS: dict[str, re.Pattern[str]] = {cat: _pattern(t) for cat, t in SENSITIVE_TERMS.items()}

#: Followers from which an account counts as influential (a mid-size local influencer).
INFLUENTIAL_FOLLOWERS = 10_000
#: Reach (followers plus views) that saturates the reach component: a provincial audience.
REACH_SATURATION = 1_000_000
#: Likes + shares + comments that saturate the engagement component.
ENGAGEMENT_SATURATION = 10_000
#: Mentions in one window that saturate the volume component.
VOLUME_SATURATION = 100
#: Poisson z-score that saturates the growth component.
GROWTH_SATURATION = 10.0

_REASONS: dict[str, str] = {
    "volume": "volume {recent} sebutan dalam jendela terakhir (total {size})",
    "growth": "lonjakan z={z} terhadap perkiraan {expected}, tumbuh {growth}x",
    "negativity": "{negative_share:.0%} sebutan bernada negatif",
    "reach": "jangkauan sekitar {reach} akun/tayangan",
    "engagement": "{engagement} interaksi (suka, bagikan, komentar)",
    "influencers": "{influencers} akun berpengaruh (>= {threshold} pengikut)",
    "coordination": "{coordinated} sebutan dari akun yang menyalin teks serupa",
    "crossover": "sudah diangkat media arus utama {lead_hours} jam setelah muncul di medsos",
    "complaints": "{complaints} aduan warga",
    "sensitive": "topik sensitif: {categories}",
    "regions": "menyentuh {region_count} wilayah",
}


#: The figures each reason's text names, in the order it names them.
REASON_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(field for _, field, _, _ in string.Formatter().parse(text) if field)
    for name, text in _REASONS.items()
}


def sensitive_categories(text: str) -> set[str]:
    """Sensitive-topic categories whose terms occur in lower-cased ``text``."""
    low = text.lower()
    return {cat for cat, pat in _PATTERNS.items() if pat.search(low)}


#: Terms of two words ("unjuk rasa"): the only ones that can match across a word boundary.
_SPACED: dict[str, re.Pattern[str]] = {
    cat: _pattern(spaced)
    for cat, terms in SENSITIVE_TERMS.items()
    if (spaced := tuple(t for t in terms if " " in t))
}
#: Any two-word term at all: one search rules them all out for most texts.
_ANY_SPACED = re.compile("|".join(p.pattern for p in _SPACED.values()))
#: Word -> its categories, so each distinct word is searched once (cleared when it is large).
_WORD_CATEGORIES: dict[str, frozenset[str]] = {}
#: Bound on the cache above.
WORD_CACHE_SIZE = 200_000


def sensitive_words(words: list[str]) -> set[str]:
    """:func:`sensitive_categories` of the words joined by spaces, word by word with a cache.

    The same result: a term without a space matches inside one word or not at all, and a word
    starts where the joined text has a word boundary; only the two-word terms need the text.

    >>> sorted(sensitive_words(["unjuk", "rasa", "banjir"]))
    ['bencana', 'keamanan']
    """
    cache = _WORD_CATEGORIES
    if len(cache) > WORD_CACHE_SIZE:
        cache.clear()
    out: set[str] = set()
    for word in words:
        cats = cache.get(word)
        if cats is None:
            cats = cache[word] = frozenset(sensitive_categories(word))
        if cats:
            out |= cats
    if len(words) > 1 and _ANY_SPACED.search(text := " ".join(words)):
        out.update(cat for cat, pat in _SPACED.items() if cat not in out and pat.search(text))
    return out


def components(facts: dict[str, Any]) -> dict[str, float]:
    """Component values in [0, 1] from an issue's facts (see :class:`IssueTracker`); the
    volume is ``volume`` when the facts carry it (the window's count weighed for a thin
    stream), else ``recent``."""
    size = max(int(facts.get("size", 0)), 1)
    judged = max(int(facts.get("sentiment_known", 0)), 1)
    return {
        "volume": min(
            1.0,
            math.log1p(facts.get("volume", facts.get("recent", 0))) / math.log1p(VOLUME_SATURATION),
        ),
        "growth": min(1.0, max(0.0, float(facts.get("z", 0.0))) / GROWTH_SATURATION),
        "negativity": facts.get("negative", 0) / judged,
        "reach": min(1.0, math.log1p(facts.get("reach", 0)) / math.log1p(REACH_SATURATION)),
        "engagement": min(
            1.0, math.log1p(facts.get("engagement", 0)) / math.log1p(ENGAGEMENT_SATURATION)
        ),
        "influencers": min(1.0, facts.get("influencers", 0) / 3),
        "coordination": min(1.0, 2 * facts.get("coordinated", 0) / size),
        "crossover": 1.0 if facts.get("crossover") else 0.0,
        "complaints": min(1.0, 3 * facts.get("complaints", 0) / size),
        "sensitive": min(1.0, 2 * facts.get("sensitive_mentions", 0) / size),
        "regions": min(1.0, facts.get("region_count", 0) / 3),
    }


def risk_value(values: dict[str, float], weights: dict[str, float]) -> float:
    """The score of :func:`risk_score` alone (the same number), without writing the reasons:
    the tracker rescores a rising issue at every mention and needs the words only to alert.

    >>> round(risk_value({"volume": 1.0, "crossover": 1.0}, DEFAULT_WEIGHTS), 1)
    25.9
    """
    total = sum(max(w, 0.0) for w in weights.values()) or 1.0
    score = 0.0
    for name in COMPONENTS:
        score += (
            100.0 * max(float(weights.get(name, 0.0)), 0.0) * float(values.get(name, 0.0)) / total
        )
    return min(score, 100.0)


def risk_score(
    values: dict[str, float], facts: dict[str, Any], weights: dict[str, float]
) -> tuple[float, list[dict[str, Any]]]:
    """Weighted score 0-100 and the reasons: ``{component, value, weight, points, text}``."""
    total = sum(max(w, 0.0) for w in weights.values()) or 1.0
    score = 0.0
    reasons: list[dict[str, Any]] = []
    fmt = {
        "recent": 0, "size": 0, "z": 0, "expected": 0, "growth": 0, "negative_share": 0.0,
        "reach": 0, "engagement": 0, "influencers": 0, "threshold": INFLUENTIAL_FOLLOWERS,
        "coordinated": 0, "lead_hours": 0, "complaints": 0, "categories": "-",
        "region_count": 0, **facts,
    }  # fmt: skip
    for name in COMPONENTS:
        weight = max(float(weights.get(name, 0.0)), 0.0)
        value = float(values.get(name, 0.0))
        points = 100.0 * weight * value / total
        score += points
        if points > 0:
            reasons.append(
                {
                    "component": name,
                    "value": round(value, 3),
                    "weight": weight,
                    "points": round(points, 1),
                    "text": _REASONS[name].format(**fmt),
                    # the figures behind the text, so a page can say it in the reader's language
                    "args": {key: fmt[key] for key in REASON_FIELDS[name]},
                }
            )
    reasons.sort(key=lambda r: (-r["points"], r["component"]))
    return min(score, 100.0), reasons
