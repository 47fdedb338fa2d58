"""Quality measures for issue clustering and early warning, used by the tests and benchmarks.

>>> round(nmi([1, 1, 2, 2], ["a", "a", "b", "b"]), 3)
1.0
>>> bcubed_f1([1, 1, 2, 2], ["a", "a", "a", "a"])
0.6666666666666666
"""

from __future__ import annotations

import logging
import math
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from pantau.issues.records import Mention

if TYPE_CHECKING:
    from pantau.issues.tracker import IssueTracker

__all__ = [
    "CrisisReport",
    "CrisisScorer",
    "bcubed_f1",
    "nmi",
    "purity",
    "repeat_after",
    "score_crisis_stream",
    "subsample",
]

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


def purity(truth: Sequence[Hashable], pred: Sequence[Hashable], largest: int = 10) -> float:
    """Share of the mentions of the ``largest`` predicted issues that belong to their issue's
    majority truth (a ``None`` truth, chatter, never counts as a majority; a ``None`` issue, a
    noise post in no issue, is not an issue).

    >>> purity(["a", "a", None, "b"], [1, 1, 1, 2])
    0.75
    """
    if len(truth) != len(pred):
        raise ValueError("truth and pred must be of equal length")
    members: dict[Hashable, Counter[Hashable]] = defaultdict(Counter)
    for t, p in zip(truth, pred, strict=True):
        if p is not None:
            members[p][t] += 1
    top = sorted(members.values(), key=lambda c: -sum(c.values()))[:largest]
    total = sum(sum(c.values()) for c in top)
    right = sum(max((n for t, n in c.items() if t is not None), default=0) for c in top)
    return right / total if total else 0.0


def subsample(
    rows: Sequence[dict[str, Any]], group: str, per_group: int, seed: int
) -> list[dict[str, Any]]:
    """At most ``per_group`` rows of each value of ``group``, drawn uniformly over the group's
    span (a sampled export), in the original order.

    >>> rows = [{"g": i % 2, "n": i} for i in range(10)]
    >>> [r["n"] for r in subsample(rows, "g", 2, seed=1)]
    [0, 1, 2, 5]
    """
    by_group: dict[Any, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        by_group[row.get(group)].append(i)
    rnd = random.Random(seed)
    keep: set[int] = set()
    for key in sorted(by_group, key=str):
        members = by_group[key]
        keep.update(members if len(members) <= per_group else rnd.sample(members, per_group))
    return [rows[i] for i in sorted(keep)]


def repeat_after(
    first: Sequence[dict[str, Any]],
    second: Sequence[dict[str, Any]],
    gap: timedelta,
    trickle: timedelta | None = None,
    label: str = "event",
) -> list[dict[str, Any]]:
    """``first`` then ``second`` shifted in time to begin ``gap`` after ``first`` ends: two
    events of one kind weeks apart, as one time-ordered stream (``published_at`` ISO 8601).

    With ``trickle``, the first event is still talked about through the gap: one of its
    on-topic rows (``label`` set), in turn, every ``trickle``, as a real crisis keeps being
    mentioned for weeks; so its issue is alive, not forgotten, when the second event begins.
    """
    end = max(_time(r) for r in first)
    shift = end + gap - min(_time(r) for r in second)
    between: list[dict[str, Any]] = []
    echoes = [r for r in first if r.get(label)]
    if trickle is not None and echoes:
        when, k = end + trickle, 0
        while when < end + gap:
            row = echoes[k % len(echoes)]
            between.append({**row, "id": f"{row['id']}~{k}", "published_at": when.isoformat()})
            when, k = when + trickle, k + 1
    moved = [{**r, "published_at": (_time(r) + shift).isoformat()} for r in second]
    return [*first, *between, *moved]


def _time(row: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(row["published_at"]).replace("Z", "+00:00"))


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

    Feed each mention's label and issue (:meth:`observe`), each merge (:meth:`merge`), split
    (:meth:`split`) and alert (:meth:`alert`) in stream order. An alert counts for a crisis
    when, among the mentions its issue holds at that moment, that crisis's on-topic mentions are
    the majority; each issue is judged at its first alert.
    """

    def __init__(self) -> None:
        self.votes: dict[str, Counter[str | None]] = defaultdict(Counter)
        self.seen_on_topic: Counter[str] = Counter()
        self.first_on_topic: dict[str, datetime] = {}
        self.first_alert: dict[str, tuple[int, float]] = {}  # crisis -> (on-topic, delay)
        self.judged: dict[str, str | None] = {}
        self.by_crisis: Counter[str] = Counter()
        self.noise = 0

    def observe(self, issue: str | None, crisis: str | None, when: datetime) -> None:
        """One mention, its ground-truth crisis (None: off-topic) and the issue it went to
        (None: a noise post, in no issue, still counted as seen)."""
        if issue is not None:
            self.votes[issue][crisis] += 1
        if crisis is not None:
            self.seen_on_topic[crisis] += 1
            self.first_on_topic.setdefault(crisis, when)

    def merge(self, gone: str, into: str) -> None:
        """Issue ``gone`` was absorbed by ``into``."""
        self.votes[into].update(self.votes.pop(gone, Counter()))
        if gone in self.judged and into not in self.judged:
            self.judged[into] = self.judged[gone]

    def split(self, issue: str, new: str, crises: Iterable[str | None]) -> None:
        """Mentions of ``issue`` (their ground-truth crises) moved to the new issue ``new``."""
        moved = Counter(crises)
        self.votes[issue].subtract(moved)
        self.votes[issue] = +self.votes[issue]  # drop the zeros
        self.votes[new].update(moved)

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


def score_crisis_stream(
    rows: Iterable[dict[str, Any]], tracker: IssueTracker, label: str = "event"
) -> CrisisReport:
    """Replay labelled rows (``pantau replay`` records plus ``label``) through ``tracker``,
    scoring every alert when it is raised."""
    scorer = CrisisScorer()
    rows = list(rows)
    mentions = [Mention.from_dict(r) for r in rows]
    crisis = {m.id: r.get(label) for m, r in zip(mentions, rows, strict=True)}
    for (assignment, merges, alerts), mention, row in zip(
        tracker.replay(mentions), mentions, rows, strict=True
    ):
        if mention.published_at is None:
            raise ValueError(f"row {mention.id}: published_at is needed to time early warning")
        scorer.observe(assignment.issue, row.get(label), mention.published_at)
        for _, gone, into in merges:
            scorer.merge(gone, into)
        for _, issue, new, ids in tracker.drain_splits():
            # the mention being assigned was observed where it went, after the split
            scorer.split(issue, new, (crisis[i] for i in ids if i != mention.id))
        for alert in alerts:
            scorer.alert(alert.issue, alert.raised_at)
    return scorer.report()
