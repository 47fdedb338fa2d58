"""Measuring similar-case retrieval on story corpora: each story split in time.

A story (all the articles about one matter, in time order) is cut at a random point: its first
part becomes a closed case, the next few articles after the cut become the new issue as it looks
when first alerted. Every other story's first part is a distractor. Retrieval is right at k when
the issue's own story is among the first k cases offered. Several seeds move the cut and the
size of the new issue.

Both sides are profiled the way the store profiles them (:mod:`pantau.workflow.cases`): the
baseline sees an issue's label and key phrases only; the shipped method also sees the text of its
first mentions. Label and key phrases are made as the tracker makes them (the most typical of the
first texts; the most frequent words).

>>> topics = ["banjir sungai karang mumus", "harga cabai pasar segiri", "jalan rusak poros paser"]
>>> stories = [Story(t, None, [f"{t} hari ke {d}" for d in range(8)]) for t in topics]
>>> evaluate(stories, seed=1).precision_at_1
1.0
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pantau.workflow.case_match import (
    PROFILE_MENTIONS,
    SHIPPED,
    CaseProfile,
    Weights,
    bag,
    rank,
)

__all__ = [
    "FIRST_ALERT_SIZE",
    "NEW_ISSUE_SIZE",
    "Result",
    "Story",
    "evaluate",
    "news_t_stories",
    "profile",
    "uci_stories",
]

#: Label candidates and key phrases, as the tracker keeps them (issues/summary.py).
LABEL_CANDIDATES = 8
KEY_PHRASES = 8
#: The cut falls between these shares of a story; the new issue has this many articles (an
#: alert fires on a handful; the first one or two are the hard case, see the benchmark).
CUT_RANGE = (0.3, 0.7)
NEW_ISSUE_SIZE = (3, 10)
FIRST_ALERT_SIZE = (1, 2)
#: Shortest story that can be split into a case and a new issue.
MIN_STORY = 6


@dataclass(frozen=True)
class Story:
    """One story: an id, its category where the corpus has one, its texts in time order."""

    id: str
    category: str | None
    texts: list[str]


@dataclass(frozen=True)
class Result:
    """Precision at 1 and 3 over the queries of one seed."""

    queries: int
    cases: int
    precision_at_1: float
    precision_at_3: float


def _label(texts: Sequence[str], counts: Counter[str]) -> str:
    best, best_score = "", -1.0
    for text in texts[:LABEL_CANDIDATES]:
        words = list(bag([text]))
        score = sum(counts[w] for w in words) / (len(words) + 2)
        if score > best_score:
            best, best_score = text, score
    return best


def profile(key: int, texts: Sequence[str], category: str | None, with_text: bool) -> CaseProfile:
    """A profile of ``texts`` as the store would hold it (label, key phrases, first texts)."""
    counts = bag(texts)
    phrases = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:KEY_PHRASES]]
    sources = [_label(texts, counts), *phrases]
    if with_text:
        sources.extend(texts[:PROFILE_MENTIONS])
    return CaseProfile(key, bag(sources), category=category)


def evaluate(
    stories: Sequence[Story],
    seed: int,
    weights: Weights = SHIPPED,
    with_text: bool = True,
    new_issue_size: tuple[int, int] = NEW_ISSUE_SIZE,
) -> Result:
    """Precision at 1 and 3 of :func:`rank` for every splittable story, with one seed."""
    rng = random.Random(seed)
    cases: list[CaseProfile] = []
    queries: list[CaseProfile] = []
    for key, story in enumerate(s for s in stories if len(s.texts) >= MIN_STORY):
        cut = max(2, int(len(story.texts) * rng.uniform(*CUT_RANGE)))
        size = rng.randint(*new_issue_size)
        later = story.texts[cut : cut + size]
        cases.append(profile(key, story.texts[:cut], story.category, with_text))
        queries.append(profile(key, later, story.category, with_text))
    hit1 = hit3 = 0
    for query in queries:
        offered = [m.key for m in rank(query, cases, limit=3, weights=weights)]
        hit1 += offered[:1] == [query.key]
        hit3 += query.key in offered
    n = len(queries) or 1
    return Result(len(queries), len(cases), hit1 / n, hit3 / n)


def news_t_stories(corpora: Path) -> list[Story]:
    """News-T stories, texts in the file's (time) order; no category in this corpus."""
    groups: dict[str, list[str]] = defaultdict(list)
    path = corpora / "clustering" / "mstream_news" / "News-T.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        groups[f"news-t:{row['clusterNo']}"].append(row["textCleaned"])
    return [Story(k, None, v) for k, v in groups.items()]


def uci_stories(corpora: Path) -> list[Story]:
    """UCI News Aggregator stories, headlines by timestamp, with the corpus's category."""
    groups: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    path = corpora / "clustering" / "uci_news_aggregator_head" / "uci-news-aggregator.head6366.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            groups[f"uci:{row['STORY']}"].append(
                (int(row["TIMESTAMP"]), row["TITLE"], row["CATEGORY"])
            )
    return [
        Story(k, f"uci-{rows[0][2]}", [t for _, t, _ in sorted(rows)]) for k, rows in groups.items()
    ]
