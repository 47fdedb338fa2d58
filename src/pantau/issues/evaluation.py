"""Quality measures for issue clustering and early warning, used by the tests and benchmarks.

>>> round(nmi([1, 1, 2, 2], ["a", "a", "b", "b"]), 3)
1.0
>>> bcubed_f1([1, 1, 2, 2], ["a", "a", "a", "a"])
0.6666666666666666
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

__all__ = ["CrisisReport", "CrisisScorer", "bcubed_f1", "nmi"]

logger = logging.getLogger(__name__)


def nmi(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Normalized mutual information, arithmetic-mean normalizer (scikit-learn's default)."""
    n = len(truth)
    if n == 0 or n != len(pred):
        raise ValueError("truth and pred must be non-empty and of equal length")
    joint = Counter(zip(truth, pred, strict=True))
    ct, cp = Counter(truth), Counter(pred)
    mi = sum(c / n * math.log(c * n / (ct[t] * cp[p])) for (t, p), c in joint.items())
    ht = -sum(c / n * math.log(c / n) for c in ct.values())
    hp = -sum(c / n * math.log(c / n) for c in cp.values())
    if ht == 0.0 and hp == 0.0:
        return 1.0
    denom = (ht + hp) / 2
    return mi / denom if denom else 0.0


def bcubed_f1(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """B-cubed F1 (Amigo et al. 2009): harmonic mean of per-item precision and recall averages."""
    n = len(truth)
    if n == 0 or n != len(pred):
        raise ValueError("truth and pred must be non-empty and of equal length")
    joint = Counter(zip(truth, pred, strict=True))
    ct, cp = Counter(truth), Counter(pred)
    precision = sum(c * c / cp[p] for (_, p), c in joint.items()) / n
    recall = sum(c * c / ct[t] for (t, _), c in joint.items()) / n
    return 2 * precision * recall / (precision + recall)


@dataclass
class CrisisReport:
    """Early-warning quality on a labelled event stream (CrisisLexT6-style)."""

    on_topic_by_alert: dict[str, int | None]  # per crisis; None when never alerted
    delay_seconds: dict[str, float | None]
    alerted_issues: dict[str, int]  # distinct alerted issues whose majority is the crisis
    noise_issues: int  # alerted issues that belong to no crisis
    total_alerted: int

    @property
    def median_on_topic(self) -> float:
        """Median on-topic tweets by the first alert; a missed crisis counts as infinite."""
        return median(math.inf if v is None else v for v in self.on_topic_by_alert.values())

    @property
    def issues_per_crisis(self) -> float:
        """Mean number of alerted issues per crisis."""
        return sum(self.alerted_issues.values()) / max(len(self.alerted_issues), 1)

    @property
    def noise_share(self) -> float:
        """Share of alerted issues that belong to no crisis."""
        return self.noise_issues / self.total_alerted if self.total_alerted else 0.0


class CrisisScorer:
    """Scores early warning on a labelled stream, step by step as the replay runs.

    Feed each mention's label and issue (:meth:`observe`), each merge (:meth:`merge`) and each
    alert (:meth:`alert`) in stream order. An alert counts for a crisis when, among the mentions
    its issue holds at that moment, that crisis's on-topic mentions are the majority; each issue
    is judged at its first alert.
    """

    def __init__(self) -> None:
        self.votes: dict[str, Counter[str | None]] = defaultdict(Counter)
        self.seen_on_topic: Counter[str] = Counter()
        self.first_on_topic: dict[str, datetime] = {}
        self.first_alert: dict[str, tuple[int, float]] = {}  # crisis -> (on-topic, delay)
        self.judged: dict[str, str | None] = {}
        self.by_crisis: Counter[str] = Counter()
        self.noise = 0

    def observe(self, issue: str, crisis: str | None, when: datetime) -> None:
        """One mention, its ground-truth crisis (None: off-topic) and the issue it went to."""
        self.votes[issue][crisis] += 1
        if crisis is not None:
            self.seen_on_topic[crisis] += 1
            self.first_on_topic.setdefault(crisis, when)

    def merge(self, gone: str, into: str) -> None:
        """Issue ``gone`` was absorbed by ``into``."""
        self.votes[into].update(self.votes.pop(gone, Counter()))
        if gone in self.judged and into not in self.judged:
            self.judged[into] = self.judged[gone]

    def alert(self, issue: str, raised_at: datetime) -> None:
        """An alert for ``issue``; only an issue's first alert is judged."""
        if issue in self.judged:
            return
        votes = self.votes.get(issue, Counter())
        total = sum(votes.values())
        crisis, count = max(votes.items(), key=lambda kv: (kv[1], str(kv[0])), default=(None, 0))
        if crisis is None or count * 2 <= total:
            self.judged[issue] = None
            self.noise += 1
            return
        self.judged[issue] = crisis
        self.by_crisis[crisis] += 1
        if crisis not in self.first_alert:
            delay = (raised_at - self.first_on_topic[crisis]).total_seconds()
            self.first_alert[crisis] = (self.seen_on_topic[crisis], delay)

    def report(self) -> CrisisReport:
        """The measures so far."""
        crises = sorted(self.first_on_topic)
        return CrisisReport(
            on_topic_by_alert={c: self.first_alert[c][0] if c in self.first_alert else None
                               for c in crises},
            delay_seconds={c: self.first_alert[c][1] if c in self.first_alert else None
                           for c in crises},
            alerted_issues={c: self.by_crisis[c] for c in crises},
            noise_issues=self.noise,
            total_alerted=len(self.judged),
        )  # fmt: skip
