"""Ranking past cases for a new issue: text, places, category and dynamics, with the reason why.

Pure and store-free, so the same function ranks cases on the issue page and in the evaluation
(``benchmarks/cases_retrieval.py``). A case and the issue at hand are both a :class:`CaseProfile`:
its words (label, key phrases and the first mentions' text), its kab/kota, its category and how
fast it reached the news. The score is

    cosine(sublinear TF-IDF of the words)
    + CATEGORY_BONUS   when both have the same category
    + REGION_BONUS     x Jaccard overlap of kab/kota
    + DYNAMICS_BONUS   x closeness of hours to news (on a log scale) when both are known

and every part that contributed becomes a phrase of the reason shown with the case
("sama-sama banjir di Samarinda, masuk berita < 6 jam").

>>> flood = CaseProfile(1, bag(["banjir rendam samarinda"]), {"64.72": "Samarinda"}, "banjir", 2.0)
>>> new = CaseProfile(0, bag(["banjir lagi di samarinda"]), {"64.72": "Samarinda"}, "banjir", 4.0)
>>> road = CaseProfile(2, bag(["jalan rusak di paser"]), {"64.01": "Paser"}, "jalan_rusak", None)
>>> [(m.key, m.reason) for m in rank(new, [flood, road])]
[(1, 'sama-sama banjir di Samarinda, masuk berita < 6 jam')]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pantau.issues.features import stopwords
from pantau.text import tokens
from pantau.workflow.categories import category_label

__all__ = [
    "BASELINE",
    "PROFILE_MENTIONS",
    "SHIPPED",
    "CaseProfile",
    "Match",
    "Weights",
    "bag",
    "rank",
]

#: Shortest word that carries a topic ("air", "api" and "bbm" are three letters).
MIN_WORD = 3
#: Mentions whose text goes into a profile: the first ones say what the matter was. 20 lifts
#: precision@1 for a first alert from 0.872 to 0.913 (text alone, pooled stories, 5 seeds).
PROFILE_MENTIONS = 20
#: Hours-to-news buckets named in the reason, the way an officer says it.
NEWS_BUCKETS = (1.0, 3.0, 6.0, 12.0, 24.0)
#: Closeness of pace (1 the same, 0 eight times apart) from which the reason names it: both
#: within a factor of about 2.8, "masuk berita < 6 jam" of the slower.
SAME_PACE = 0.5
#: Shared words named in the reason when nothing else is shared.
REASON_WORDS = 3


@dataclass(frozen=True)
class Weights:
    """How much each kind of likeness adds to the text cosine, and the floor to be offered."""

    category: float
    region: float
    dynamics: float
    min_score: float
    #: Sublinear term frequency (1 + log tf): a word said fifty times is not fifty times the topic.
    sublinear: bool


#: The method before measurement (label and key phrases, raw counts, a region bonus): kept as the
#: baseline of ``benchmarks/cases_retrieval.py``.
BASELINE = Weights(category=0.0, region=0.15, dynamics=0.0, min_score=0.12, sublinear=False)
#: Shipped. Tuned on the story-split evaluation (News-T and UCI News Aggregator stories, see
#: benchmarks/results/cases.md): the category bonus is large enough to lift a same-category case
#: over a chance word overlap and small enough that a strong text match of another category wins;
#: a case must pass ``min_score`` on words, category and pace before its place counts.
SHIPPED = Weights(category=0.15, region=0.15, dynamics=0.05, min_score=0.1, sublinear=True)


@dataclass(frozen=True)
class CaseProfile:
    """What a case (or the issue at hand) is: words, places, category and pace."""

    key: int
    words: Counter[str]
    places: dict[str, str] = field(default_factory=dict)  # kab/kota code -> name
    category: str | None = None
    hours_to_news: float | None = None


@dataclass(frozen=True)
class Match:
    """A case offered for the issue at hand: its score, the words shared, and why."""

    key: int
    score: float
    shared_words: list[str]
    reason: str


def bag(texts: Iterable[str]) -> Counter[str]:
    """Topic words of ``texts``: normalized tokens, alphabetic, no stopwords, at least 3 letters."""
    stop = stopwords()
    return Counter(
        w
        for text in texts
        for w in tokens(text or "")
        if len(w) >= MIN_WORD and w.isalpha() and w not in stop
    )


def _vector(words: Counter[str], idf: dict[str, float], sublinear: bool) -> dict[str, float]:
    vec = {w: (1 + math.log(c) if sublinear else c) * idf.get(w, 1.0) for w, c in words.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {w: v / norm for w, v in vec.items()}


def _bucket(hours: float) -> str:
    for limit in NEWS_BUCKETS:
        if hours < limit:
            return f"masuk berita < {limit:g} jam"
    return "masuk berita setelah sehari"


def _pace_closeness(a: float | None, b: float | None) -> float:
    """1 for the same hours to news, 0 at a factor of eight apart or more (log2 scale)."""
    if a is None or b is None:
        return 0.0
    return max(0.0, 1.0 - abs(math.log2((a + 1) / (b + 1))) / 3.0)


def _reason(issue: CaseProfile, case: CaseProfile, shared: list[str], same_pace: bool) -> str:
    parts: list[str] = []
    head = "sama-sama " + (category_label(case.category) or "")
    common = [case.places[c] for c in sorted(issue.places.keys() & case.places.keys())]
    same_category = issue.category is not None and issue.category == case.category
    if same_category:
        parts.append(head + (f" di {', '.join(common)}" if common else ""))
    elif common:
        parts.append(f"sama-sama di {', '.join(common)}")
    if same_pace and case.hours_to_news is not None and issue.hours_to_news is not None:
        parts.append(_bucket(max(case.hours_to_news, issue.hours_to_news)))
    if not same_category and shared:
        parts.append("kata yang sama: " + ", ".join(shared[:REASON_WORDS]))
    return ", ".join(parts)


def rank(
    issue: CaseProfile,
    cases: Sequence[CaseProfile],
    limit: int = 5,
    weights: Weights = SHIPPED,
) -> list[Match]:
    """The ``limit`` cases most like ``issue``, best first (ties: the newer, higher key)."""
    df: Counter[str] = Counter(issue.words.keys())
    for case in cases:
        df.update(case.words.keys())
    n = len(cases) + 1
    idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
    mine = _vector(issue.words, idf, weights.sublinear)
    scored: list[tuple[float, int, CaseProfile, list[str], bool]] = []
    for case in cases:
        theirs = _vector(case.words, idf, weights.sublinear)
        shared = sorted(mine.keys() & theirs.keys(), key=lambda w: -mine[w] * theirs[w])
        score = sum(mine[w] * theirs[w] for w in shared)
        if issue.category is not None and issue.category == case.category:
            score += weights.category
        pace = _pace_closeness(issue.hours_to_news, case.hours_to_news)
        score += weights.dynamics * pace
        if score < weights.min_score:
            continue  # the same place alone is not a similar case: a city has every kind
        if issue.places and case.places:
            union = issue.places.keys() | case.places.keys()
            score += weights.region * len(issue.places.keys() & case.places.keys()) / len(union)
        same_pace = pace >= SAME_PACE
        scored.append((score, case.key, case, shared, same_pace))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    return [
        Match(key, round(score, 3), sorted(shared), _reason(issue, case, shared, same_pace))
        for score, key, case, shared, same_pace in scored[:limit]
    ]
