"""Merging clusters that converge, and the second look at lone documents and pairs.

A growing cluster is compared with its document's best candidates at set sizes and merged with
one whose word counts are close (cosine, resting on more than one word past a pair); a cluster
that nobody joined is scored again later and folds into an established cluster when joining
scores close to staying alone. Every merge is recorded by the caller.
"""

from __future__ import annotations

import logging
import math

from pantau.issues.cluster_scoring import ClusterScorer
from pantau.issues.cluster_store import GAIN_TABLE, VOCAB_FLOOR, ClusterFeature

__all__ = ["ClusterMerger", "likeness"]

logger = logging.getLogger(__name__)

#: Cosine similarity of word counts above which two clusters are one story. 0.25/0.3/0.35 swept
#: on News-T halves; 0.25 is best on both (merged B-cubed 0.834 first half, 0.800 second).
MERGE_SIMILARITY = 0.25
#: A cluster is checked for merging whenever its size reaches a power of two at least this...
#: (from a pair: the second look at small young clusters; 4 left three in four News-T issues
#: of one or two titles that never met their story)
MERGE_MIN_DOCS = 2
#: ... and a cluster smaller than ``SMALL_DOCS`` merges only at this cosine: a pair's words are
#: few, and at 0.25 tweet pairs sharing one word merged into catch-alls (CrisisLexT6 noise
#: 0.11 -> 0.24). 0.3: News-T NMI 0.893 -> 0.897, B-cubed 0.785 -> 0.793, 624 -> 608 issues;
#: CrisisLexT6 unchanged (median 8, noise 0.11); 0.4 gave News-T nothing.
SMALL_DOCS = 4
SMALL_MERGE_SIMILARITY = 0.3
#: ... and a cluster of ``SMALL_DOCS`` or more merges only when the likeness rests on more
#: than one word (participation ratio of the per-word products, see :meth:`OnlineClusterer.
#: overlap`): two mandates of one city share an everyday word heavily (the demo's PDAM outage
#: and Samarinda flood: "air", cosine 0.25-0.27, ratio 1.32-1.43; its true merges 2.1-5.1).
#: 1.5/1.6/2.0 swept: News-T NMI 0.898/0.897/0.893, B-cubed 0.799/0.797/0.785 (0.897/0.793
#: without it); demo purity 0.885/0.973/0.973. Pairs keep merging on one word: News-T titles'
#: pairs mostly share one name (applied to them, NMI fell to 0.885).
MIN_SHARED_WORDS = 1.6
#: ... and every this many documents after that, so growing clusters keep meeting their twins.
MERGE_EVERY = 4
#: ... while it is small; after this size only at powers of two (big clusters are stable and a
#: cosine against them costs their vocabulary).
MERGE_FREQUENT_UNTIL = 128
#: Merge partners considered: the document's best-scoring candidate clusters.
MERGE_CANDIDATES = 4
#: Second look at lone documents: a document that opened a cluster nobody joined is scored again
#: against the clusters as they are once this many documents have come after it (a story's
#: first title often arrives before its story has a cluster to join; News-T: 469 of 730 issues
#: were such singletons, 4.8 issues a story) ...
LOOK_AFTER_DOCS = 200
#: ... or this much stream time has passed, whichever comes first (a thin stream: a kabupaten's
#: 30 posts a day would wait a week for 200), well before ``issues_retire_hours`` ...
LOOK_AFTER_SECONDS = 6 * 3600.0
#: ... if it still holds at most this many documents: a cluster that one more document joined
#: meanwhile is looked at the same way, as one document (News-T
#: 0.899 / 0.798 / 2.41 issues a story -> 0.899 / 0.799 / 2.29, thirds 1.60-1.70 -> 1.58-1.65;
#: dense CrisisLexT6 noise 2/21 -> 1/22) ...
FOLD_MAX_DOCS = 2
#: ... and it folds into the best-scoring cluster of at least ``FOLD_MIN_DOCS`` documents when
#: joining it scores no more than ``-FOLD_MARGIN`` nats below staying alone (the new-cluster
#: prior, ``log(alpha * live documents)``, is about 7 nats at News-T's 11k). Folding into small
#: clusters fed fragments up to an alert: dense CrisisLexT6 alerted issues a crisis 3.50 at 1
#: document, 3.17 at 4, 2.17 at 16 (3.00 without the look); Boston was missed at 8. Swept
#: on News-T whole and thirds (3 seeds), NMI / B-cubed / issues a story:
#: no look 0.897 / 0.796 / 4.80 (thirds 2.51-2.63); 16 docs at -4: 0.898 / 0.796 / 2.89;
#: at -6: 0.899 / 0.799 / 2.28 (thirds 1.56-1.65); 1 doc at -4: 0.897 / 0.789 / 1.90.
FOLD_MARGIN = -6.0
FOLD_MIN_DOCS = 16
#: ... and only when a word it shares with that cluster is held by at most this many live
#: clusters: a lone post tied to a story by an everyday word ("warga", "said") is as likely
#: another matter, and the mixture weighs a word by its count in the cluster, not by how many
#: matters use it. News-T at 3/5/7/10/30/none: NMI 0.902/0.901/0.901/0.899/0.899/0.899,
#: B-cubed 0.804/0.803/0.802/0.798/0.799/0.799, issues a story 3.70/3.10/2.76/2.41/2.28/2.28.
FOLD_MAX_POSTINGS = 10


def likeness(
    a: dict[str, int], b: dict[str, int], sumsq_a: int, sumsq_b: int
) -> tuple[float, float]:
    """Cosine of two word counts (their squared norms given) and how many words it rests on:
    the participation ratio ``(sum p)^2 / sum p^2`` of the per-word products ``p``, 1.0 when one
    shared word makes the whole likeness, ``k`` when ``k`` words share it evenly."""
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    dot = squares = 0
    for w, v in small.items():
        n = big.get(w)
        if n:
            p = v * n
            dot += p
            squares += p * p
    if not dot:
        return 0.0, 0.0
    return dot / math.sqrt(sumsq_a * sumsq_b), dot * dot / squares


class ClusterMerger(ClusterScorer):
    """Merges, the cosine they rest on, and the second look, over a :class:`ClusterScorer`."""

    def _second_look(self, now: float) -> list[tuple[int, int]]:
        """Fold the lone documents (and pairs) that are due (see :data:`LOOK_AFTER_DOCS`)
        into the cluster they now score best with, when that is close enough to staying
        alone."""
        merges: list[tuple[int, int]] = []
        pending = self.pending
        while pending and (
            self.seen - pending[0][1] >= LOOK_AFTER_DOCS
            or now - pending[0][2] >= LOOK_AFTER_SECONDS
        ):
            cid = pending.popleft()[0]
            cf = self.clusters.get(cid)
            if cf is None or cf.docs > FOLD_MAX_DOCS:
                continue  # merged, retired, or grown: no longer a lone document or pair
            into = self._best_home(cf)
            if into:
                merges.append(self.merge(cid, into))
        return merges

    def _best_home(self, cf: ClusterFeature) -> int:
        """The established cluster a lone document's (or pair's) cluster should fold into, or
        0: the one it scores best with (words and places, as at arrival), when close enough to
        the score of staying alone (:data:`FOLD_MARGIN`) and tied to it by a word few clusters
        use (:data:`FOLD_MAX_POSTINGS`)."""
        words = cf.counts
        clusters = self.clusters
        candidates = [
            cid
            for cid in self._candidates(words)
            if clusters[cid].docs >= FOLD_MIN_DOCS and not self.kept_apart(cid, cf.id)
        ]
        if not candidates:
            return 0
        vb = max(len(self.postings), VOCAB_FLOOR) * self.beta
        self.live_docs -= cf.docs  # scored as if its documents were arriving now
        try:
            new_score, scored = self._scores(words, cf.words, candidates, vb)
        finally:
            self.live_docs += cf.docs
        places = tuple(cf.places)
        if places:
            scored = [(score + self._place_odds(cid, places), cid) for score, cid in scored]
        best, best_id = max(scored)
        if best - new_score <= FOLD_MARGIN:
            return 0
        home, postings = clusters[best_id].counts, self.postings
        rarest = min(len(postings[w]) for w in words if w in home)  # a candidate shares one
        return best_id if rarest <= FOLD_MAX_POSTINGS else 0

    def cosine(self, a: int, b: int) -> float:
        """Cosine similarity of two active clusters' word counts."""
        return self.overlap(a, b)[0]

    def overlap(self, a: int, b: int) -> tuple[float, float]:
        """Cosine of two active clusters' word counts and how many words it rests on (see
        :func:`likeness`)."""
        ca, cb = self.clusters[a], self.clusters[b]
        return likeness(ca.counts, cb.counts, ca.sumsq, cb.sumsq)

    def _try_merge(self, cf: ClusterFeature, candidates: list[int]) -> list[tuple[int, int]]:
        """Merge ``cf`` with the most similar of the document's candidate clusters, when their
        cosine is high enough and, past a pair, rests on more than one word
        (:data:`MIN_SHARED_WORDS`); only statistics up to now are used."""
        best_id = 0
        best_sim = self.merge_similarity if cf.docs >= SMALL_DOCS else SMALL_MERGE_SIMILARITY
        for cid in candidates:
            if cid == cf.id or cid not in self.clusters or self.kept_apart(cf.id, cid):
                continue
            sim, words = self.overlap(cf.id, cid)
            if sim > best_sim and (cf.docs < SMALL_DOCS or words >= MIN_SHARED_WORDS):
                best_id, best_sim = cid, sim
        if not best_id:
            return []
        other = self.clusters[best_id]
        if (other.docs, -other.id) >= (cf.docs, -cf.id):
            return [self.merge(cf.id, other.id)]
        return [self.merge(other.id, cf.id)]

    def merge(self, gone_id: int, keep_id: int) -> tuple[int, int]:
        """Fold cluster ``gone_id`` into ``keep_id``; returns ``(gone_id, keep_id)``."""
        gone, keep = self.clusters[gone_id], self.clusters[keep_id]
        table = self._gains
        self._remove_from_index(gone)
        del self.clusters[gone_id]
        for word, count in gone.counts.items():
            old = keep.counts.get(word, 0)
            if not old:
                self.postings.setdefault(word, set()).add(keep.id)
            new = keep.counts[word] = old + count
            keep.gains[word] = table[new] if new < GAIN_TABLE else self._gain(new)
            keep.sumsq += count * (2 * old + count)
            if new > keep.top or (new == keep.top and word < keep.top_word):
                keep.top, keep.top_word = new, word
        for code, n in gone.places.items():
            keep.places[code] = keep.places.get(code, 0) + n
        keep.placed += gone.placed
        keep.docs += gone.docs
        keep.log_docs = math.log(keep.docs)
        keep.words += gone.words
        self.live_docs += gone.docs
        keep.first_time = min(keep.first_time, gone.first_time)
        keep.last_time = max(keep.last_time, gone.last_time)
        logger.debug("merged cluster %d into %d", gone_id, keep_id)
        return gone_id, keep_id
