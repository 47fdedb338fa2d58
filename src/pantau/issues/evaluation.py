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
from typing import Any

__all__ = ["CrisisReport", "bcubed_f1", "crisis_report", "nmi"]

logger = logging.getLogger(__name__)


def nmi(truth: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Normalized mutual information with the arithmetic-mean normalizer (scikit-learn's default)."""
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


def crisis_report(
    events: Sequence[tuple[str, datetime, str | None]],
    issue_of: dict[str, str],
    alerts: Sequence[dict[str, Any]],
) -> CrisisReport:
    """Score alerts against ground truth.

    ``events`` are ``(id, published_at, crisis or None)`` in stream order, ``issue_of`` maps a
    mention id to its issue, ``alerts`` are alert dicts with ``issue`` and ``raised_at``. An alert
    counts for a crisis when, among the issue's mentions published up to the alert, that crisis's
    on-topic mentions are the majority; each alerted issue is judged at its first alert.
    """
    members: dict[str, list[tuple[datetime, str | None]]] = defaultdict(list)
    first_on_topic: dict[str, datetime] = {}
    on_topic_times: dict[str, list[datetime]] = defaultdict(list)
    for mid, when, crisis in events:
        members[issue_of[mid]].append((when, crisis))
        if crisis is not None:
            first_on_topic.setdefault(crisis, when)
            on_topic_times[crisis].append(when)
    first_alert: dict[str, datetime] = {}
    for alert in sorted(alerts, key=lambda a: a["raised_at"]):
        first_alert.setdefault(alert["issue"], alert["raised_at"])
    by_crisis: dict[str, list[datetime]] = defaultdict(list)
    noise = 0
    for issue, raised in first_alert.items():
        votes = Counter(c for when, c in members[issue] if when <= raised)
        total = sum(votes.values())
        crisis, count = max(votes.items(), key=lambda kv: (kv[1], str(kv[0])), default=(None, 0))
        if crisis is not None and count * 2 > total:
            by_crisis[crisis].append(raised)
        else:
            noise += 1
    on_topic: dict[str, int | None] = {}
    delay: dict[str, float | None] = {}
    for crisis, start in first_on_topic.items():
        raised_list = by_crisis.get(crisis)
        if not raised_list:
            on_topic[crisis], delay[crisis] = None, None
            continue
        first = min(raised_list)
        on_topic[crisis] = sum(1 for t in on_topic_times[crisis] if t <= first)
        delay[crisis] = (first - start).total_seconds()
    return CrisisReport(
        on_topic_by_alert=on_topic,
        delay_seconds=delay,
        alerted_issues={c: len(by_crisis.get(c, [])) for c in first_on_topic},
        noise_issues=noise,
        total_alerted=len(first_alert),
    )
