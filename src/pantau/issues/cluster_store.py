"""The clusters' sufficient statistics and the inverted index over their words.

:class:`ClusterStore` holds what the streaming mixture knows: per cluster its document and word
counts, first and last time and places (:class:`ClusterFeature`), the postings from each word to
the live clusters that hold it, and the cached score gains. Scoring
(:mod:`pantau.issues.cluster_scoring`), merging (:mod:`pantau.issues.cluster_merging`) and the
update loop (:mod:`pantau.issues.clustering`) build on it.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field

__all__ = ["ClusterFeature", "ClusterStore", "Decision", "Member"]

#: A document as a cluster keeps it while it may be split: (the caller's key, stream time, word
#: counts, kab/kota codes, channel, whether it carries a link: the split issues recount their
#: first social and news posts and their linked posts).
Member = tuple[str, float, dict[str, int], tuple[str, ...], str, bool]

logger = logging.getLogger(__name__)

#: Prior weight of opening a new cluster, relative to the number of live documents. Swept
#: 0.03/0.1/0.3 on News-T halves: 0.1 gave merged NMI 0.894 / B-cubed 0.830 on the first half,
#: 0.891 / 0.802 on the second (benchmarks/results/issues.md).
ALPHA = 0.1
#: Symmetric Dirichlet prior on words. Lower than MStream's usual 0.02-0.05 because merging
#: repairs the over-splitting a small beta causes; 0.005 beat 0.01 and 0.02 on both News-T halves.
BETA = 0.005
#: Smallest vocabulary size assumed. A young stream knows few words, and with a tiny vocabulary
#: the mixture finds a new cluster cheaper than any existing one, so early posts all split.
VOCAB_FLOOR = 5000
#: Documents without the top word added when judging a cluster's cohesion (a prior that
#: fades as the cluster grows). The generator's chatter at 6 posts an hour opened catch-all
#: clusters of 6 with one word thrice (0.5) that were raised; 2 keeps them at 0.38.
COHESION_PSEUDO_DOCS = 2
#: Cohesion a group of documents must reach to be a story of its own: the tracker raises no
#: issue below it (a catch-all cluster of unrelated chatter grows and bursts like an issue but
#: is about nothing), and a split keeps a group only if a word is in this share of it. One bar
#: for both, so a split never makes a group the tracker would refuse to raise.
MIN_COHESION = 0.5
#: Word counts whose score gain is tabulated; counts above it (a word in thousands of a
#: cluster's documents) take one log each.
GAIN_TABLE = 4096


@dataclass(slots=True)
class ClusterFeature:
    """Sufficient statistics of one cluster: document and word counts, first and last time."""

    id: int
    docs: int = 0
    words: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    first_time: float = 0.0
    last_time: float = 0.0
    sumsq: int = 0  # squared norm of ``counts``, kept current for the merge cosine
    top: int = 0  # count of the most frequent word
    top_word: str = ""  # that word (ties: the alphabetically first)
    #: ``log((n + beta) / beta)`` per word: what a word seen once in a document adds to the
    #: score when the cluster holds it ``n`` times; kept current by the clusterer so scoring a
    #: candidate is one C-level ``sum(map(...))`` instead of a log per word.
    gains: dict[str, float] = field(default_factory=dict, repr=False)
    log_docs: float = 0.0  # ``log(docs)``, the cluster's prior weight, kept with ``docs``
    #: Documents per kab/kota code they are placed in, and how many documents are placed.
    places: dict[str, int] = field(default_factory=dict)
    placed: int = 0
    #: Its documents while it may still be split (see :mod:`pantau.issues.cluster_splitting`);
    #: ``None`` once it has grown past that.
    members: list[Member] | None = field(default_factory=list, repr=False)

    @property
    def cohesion(self) -> float:
        """Share of documents that the most common word could cover: near 1 for a story,
        near 0 for a catch-all of unrelated chatter. Counted as if :data:`COHESION_PSEUDO_DOCS`
        more documents lacked the word, so a handful of chatter posts that share one word by
        chance (3 of 6) does not pass for a story while a real one (5 of 6) still does."""
        return min(1.0, self.top / (self.docs + COHESION_PSEUDO_DOCS)) if self.docs else 0.0


@dataclass(frozen=True)
class Decision:
    """Outcome of one update: the cluster chosen, if it is new, its log-odds over a new cluster,
    and merges that happened because of this document (absorbed id, surviving id)."""

    cluster: int
    new: bool
    margin: float
    merges: tuple[tuple[int, int], ...] = ()
    #: Splits this document caused: (cluster split, new cluster, keys of the members moved).
    splits: tuple[tuple[int, int, tuple[str, ...]], ...] = ()


class ClusterStore:
    """Live clusters, the word index over them and the counters of the stream."""

    def __init__(self, alpha: float, beta: float, merge_similarity: float) -> None:
        self.alpha = alpha
        self.beta = beta
        self.merge_similarity = merge_similarity
        self.clusters: dict[int, ClusterFeature] = {}
        self.postings: dict[str, set[int]] = {}
        self._log_beta = math.log(beta)
        self._lgamma_beta = math.lgamma(beta)
        self._gains = [math.log(n + beta) - self._log_beta for n in range(GAIN_TABLE)]
        self.live_docs = 0
        self.next_id = 1
        self.seen = 0
        #: Cluster pairs a person split apart: never merged again, however close they grow.
        self.apart: set[tuple[int, int]] = set()
        #: Clusters opened by one document, awaiting their second look: (id, seen, time).
        self.pending: deque[tuple[int, int, float]] = deque()

    def _gain(self, n: int) -> float:
        """``log(n + beta) - log(beta)``, from a table for the small counts most words have."""
        table = self._gains
        if n < len(table):
            return table[n]
        return math.log(n + self.beta) - self._log_beta

    def _add(self, cf: ClusterFeature, words: dict[str, int], length: int, now: float) -> None:
        counts, gains, table = cf.counts, cf.gains, self._gains
        top, top_word = cf.top, cf.top_word
        sumsq = 0
        for word, count in words.items():
            old = counts.get(word, 0)
            if not old:
                self.postings.setdefault(word, set()).add(cf.id)
            new = counts[word] = old + count
            gains[word] = table[new] if new < GAIN_TABLE else self._gain(new)
            sumsq += count * (2 * old + count)
            if new > top or (new == top and word < top_word):
                top, top_word = new, word
        cf.top, cf.top_word = top, top_word
        cf.sumsq += sumsq
        cf.docs += 1
        cf.log_docs = math.log(cf.docs)
        cf.words += length
        if now > cf.last_time:
            cf.last_time = now
        self.live_docs += 1

    def _remove_from_index(self, cf: ClusterFeature) -> None:
        for word in cf.counts:
            post = self.postings.get(word)
            if post is not None:
                post.discard(cf.id)
                if not post:
                    del self.postings[word]
        self.live_docs -= cf.docs

    def kept_apart(self, a: int, b: int) -> bool:
        """Whether a person split clusters ``a`` and ``b`` apart."""
        return (min(a, b), max(a, b)) in self.apart

    def clusters_idle(self, before: float) -> list[int]:
        """Ids of clusters last updated before ``before``."""
        return [cid for cid, cf in self.clusters.items() if cf.last_time < before]

    def drop(self, cid: int) -> ClusterFeature:
        """Take one cluster out of memory and out of the candidates (an ended episode)."""
        cf = self.clusters.pop(cid)
        self._remove_from_index(cf)
        return cf

    def retire(self, before: float) -> list[int]:
        """Drop clusters last updated before ``before`` from memory; returns their ids."""
        gone = self.clusters_idle(before)
        for cid in gone:
            self._remove_from_index(self.clusters.pop(cid))
        if gone:
            logger.debug("retired %d idle clusters", len(gone))
        return gone
