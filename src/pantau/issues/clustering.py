"""Single-pass Dirichlet-multinomial clustering of a text stream (MStream-style, no Gibbs passes).

Each document joins the candidate cluster with the highest posterior under a Dirichlet-multinomial
mixture, or opens a new cluster when that is likelier; the arithmetic is in log space. Candidates
come from an inverted index of the words of active clusters, so the cost per document stays flat
as clusters accumulate. Clusters idle for longer than a given age leave memory (the caller says
when, see :meth:`OnlineClusterer.retire`), and two
clusters whose word distributions converge are merged (the merge is recorded).

>>> c = OnlineClusterer()
>>> a = c.update({"banjir": 1, "samarinda": 1}, 0.0)
>>> b = c.update({"banjir": 1, "samarinda": 1, "warga": 1}, 60.0)
>>> a.cluster == b.cluster, a.new, b.new
(True, True, False)
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

__all__ = ["ClusterFeature", "Decision", "OnlineClusterer"]

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
#: Words held by more active clusters than this are too common to find candidates with (they
#: still count in the score); keeps the candidate scan flat when a word is everywhere. 100 and 400
#: score the same on News-T; 100 is faster.
MAX_POSTINGS = 100
#: Candidates scored per document, the clusters sharing the most (rarest-first) words. 6/10/16
#: on News-T: merged NMI 0.892/0.894/0.895, B-cubed 0.789/0.791/0.794; 10 at half 16's cost.
MAX_CANDIDATES = 10
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
#: Documents without the top word added when judging a cluster's cohesion (a prior that
#: fades as the cluster grows). The generator's chatter at 6 posts an hour opened catch-all
#: clusters of 6 with one word thrice (0.5) that were raised; 2 keeps them at 0.38.
COHESION_PSEUDO_DOCS = 2
#: Pseudo-count of an issue's placed posts that are in a kab/kota none of the others name. A
#: post placed only where none of an issue's placed posts are is likely another local matter:
#: its odds are ``log((0 + prior) / (placed + prior))``, about -8 against 30 placed posts, the
#: weight of one or two shared words under ``BETA``; one kab/kota in common lifts most of it.
#: Without it the demo's illegal-mining posts of Loa Janan (Kutai Kartanegara) joined the PDAM
#: outage of Loa Janan Ilir (Samarinda) through the place's words. Demo purity of the ten
#: largest issues: 0.973 from 0.1 down to 0.001, 0.941 at 0.3 and 1.0.
PLACE_PRIOR = 0.01
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


class OnlineClusterer:
    """Streaming Dirichlet-multinomial mixture with an inverted index, retirement and merging."""

    def __init__(
        self,
        alpha: float = ALPHA,
        beta: float = BETA,
        merge_similarity: float = MERGE_SIMILARITY,
    ) -> None:
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

    # --- scoring ---------------------------------------------------------------------------
    def _gain(self, n: int) -> float:
        """``log(n + beta) - log(beta)``, from a table for the small counts most words have."""
        table = self._gains
        if n < len(table):
            return table[n]
        return math.log(n + self.beta) - self._log_beta

    def _candidates(self, words: dict[str, int]) -> list[int]:
        """Active clusters sharing the most words with the document, rarer words counting more
        (at most ``MAX_CANDIDATES``, in id order)."""
        postings = self.postings
        posts = [p for w in words if (p := postings.get(w)) and len(p) <= MAX_POSTINGS]
        if not posts:
            return []
        found: set[int] = set().union(*posts)
        if len(found) <= MAX_CANDIDATES:
            return sorted(found)
        hits = dict.fromkeys(found, 0.0)  # each shared word counts 1 plus its rarity
        for post in posts:
            weight = 1.0 / len(post)
            for cid in post:
                hits[cid] = hits[cid] + 1.0 + weight
        # most hits first, ties by id (a reversed sort is still stable)
        ranked = sorted(sorted(hits), key=hits.__getitem__, reverse=True)
        return sorted(ranked[:MAX_CANDIDATES])

    def _scores(
        self,
        words: dict[str, int],
        length: int,
        candidates: list[int],
        vb: float,
    ) -> tuple[float, list[tuple[float, int]]]:
        """Log posteriors, up to a constant shared by all clusters, of the document opening a
        new cluster and of it joining each candidate (``(score, id)``, in candidate order);
        ``vb`` is the vocabulary size times beta.

        A word seen once contributes ``log(n + beta)`` where the cluster holds it ``n`` times;
        the ``log(beta)`` every cluster shares is left out, so a cluster adds the cached gains
        of the words it holds: one C-level ``sum(map(...))`` per candidate. Rising factorials
        (words seen more than once, the length term) are ``lgamma`` differences.
        """
        beta, lgamma, log, lgamma_beta = self.beta, math.lgamma, math.log, self._lgamma_beta
        if length == len(words):
            singles, multi = list(words), []
        else:
            singles = [w for w, c in words.items() if c == 1]
            multi = [(w, c) for w, c in words.items() if c > 1]
        new = lgamma(vb) - lgamma(vb + length) + log(self.alpha * max(self.live_docs, 1))
        for _word, count in multi:
            new += lgamma(beta + count) - lgamma_beta
        out: list[tuple[float, int]] = []
        zeros = repeat(0.0)
        clusters = self.clusters
        for cid in candidates:
            cf = clusters[cid]
            denom = cf.words + vb
            score = lgamma(denom) - lgamma(denom + length) + cf.log_docs
            if singles:
                score += sum(map(cf.gains.get, singles, zeros))
            if multi:
                get = cf.counts.get
                for word, count in multi:
                    n = get(word, 0)
                    if n:
                        score += lgamma(n + beta + count) - lgamma(n + beta)
                    else:
                        score += lgamma(beta + count) - lgamma_beta
            out.append((score, cid))
        return new, out

    # --- updates ---------------------------------------------------------------------------
    def update(self, words: dict[str, int], now: float, places: tuple[str, ...] = ()) -> Decision:
        """Assign one document (its word counts, and the kab/kota codes it is placed in, if
        any) at stream time ``now`` (seconds)."""
        self.seen += 1
        length = sum(words.values())
        vb = max(len(self.postings), VOCAB_FLOOR) * self.beta
        new_score, scored = self._scores(words, length, self._candidates(words), vb)
        if places:
            scored = [(score + self._place_odds(cid, places), cid) for score, cid in scored]
        best_id, best = 0, new_score
        for score, cid in scored:
            if score > best:
                best_id, best = cid, score
        if best_id == 0:
            cf = ClusterFeature(self.next_id, first_time=now, last_time=now)
            self.clusters[cf.id] = cf
            self.pending.append((cf.id, self.seen, now))
            self.next_id += 1
        else:
            cf = self.clusters[best_id]
        self._add(cf, words, length, now)
        if places:
            cf.placed += 1
            for code in places:
                cf.places[code] = cf.places.get(code, 0) + 1
        merges: list[tuple[int, int]] = []
        docs = cf.docs
        if docs >= MERGE_MIN_DOCS and (
            docs & (docs - 1) == 0 or (docs % MERGE_EVERY == 0 and docs <= MERGE_FREQUENT_UNTIL)
        ):
            ranked = sorted((-score, cid) for score, cid in scored)
            merges = self._try_merge(cf, [cid for _, cid in ranked[:MERGE_CANDIDATES]])
        if self.pending:
            merges.extend(self._second_look(now))
        survivor = cf.id
        for absorbed, into in merges:
            if absorbed == survivor:
                survivor = into
        return Decision(survivor, best_id == 0, best - new_score, tuple(merges))

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

    def _place_odds(self, cid: int, places: tuple[str, ...]) -> float:
        """Log odds that a document placed in ``places`` (kab/kota codes) belongs with cluster
        ``cid``'s placed documents: ``log((shared + prior) / (placed + prior))``, 0 when the
        cluster has no placed documents (see :data:`PLACE_PRIOR`)."""
        cf = self.clusters[cid]
        if not cf.placed:
            return 0.0
        shared = min(sum(cf.places.get(code, 0) for code in places), cf.placed)
        return math.log((shared + PLACE_PRIOR) / (cf.placed + PLACE_PRIOR))

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

    def cosine(self, a: int, b: int) -> float:
        """Cosine similarity of two active clusters' word counts."""
        return self.overlap(a, b)[0]

    def overlap(self, a: int, b: int) -> tuple[float, float]:
        """Cosine of two active clusters' word counts and how many words it rests on: the
        participation ratio ``(sum p)^2 / sum p^2`` of the per-word products ``p``, 1.0 when one
        shared word makes the whole likeness, ``k`` when ``k`` words share it evenly."""
        ca, cb = self.clusters[a], self.clusters[b]
        small, big = (
            (ca.counts, cb.counts) if len(ca.counts) <= len(cb.counts) else (cb.counts, ca.counts)
        )
        dot = squares = 0
        for w, v in small.items():
            n = big.get(w)
            if n:
                p = v * n
                dot += p
                squares += p * p
        if not dot:
            return 0.0, 0.0
        return dot / math.sqrt(ca.sumsq * cb.sumsq), dot * dot / squares

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

    def kept_apart(self, a: int, b: int) -> bool:
        """Whether a person split clusters ``a`` and ``b`` apart."""
        return (min(a, b), max(a, b)) in self.apart

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

    # --- persistence -----------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """JSON-safe state, enough to resume the stream exactly where it stopped."""
        return {
            "alpha": self.alpha,
            "beta": self.beta,
            "merge_similarity": self.merge_similarity,
            "next_id": self.next_id,
            "seen": self.seen,
            "apart": sorted([a, b] for a, b in self.apart),
            "pending": [list(p) for p in self.pending],
            "clusters": [
                [
                    *(cf.id, cf.docs, cf.words, cf.counts, cf.first_time, cf.last_time),
                    *(cf.places, cf.placed),
                ]
                for cf in self.clusters.values()
            ],
        }

    @classmethod
    def restore(cls, state: dict[str, Any]) -> OnlineClusterer:
        """Rebuild a clusterer from :meth:`snapshot` output (the index is recomputed)."""
        out = cls(state["alpha"], state["beta"], state["merge_similarity"])
        out.next_id = int(state["next_id"])
        out.seen = int(state["seen"])
        out.apart = {(int(a), int(b)) for a, b in state.get("apart", [])}
        # snapshots from before the second look have no queue: their singletons keep their own
        out.pending.extend((int(c), int(n), float(t)) for c, n, t in state.get("pending", []))
        for cid, docs, nwords, counts, first, last, *placed in state["clusters"]:
            cf = ClusterFeature(int(cid), int(docs), int(nwords), dict(counts), first, last)
            if placed:  # snapshots from before places were kept have none
                cf.places, cf.placed = dict(placed[0]), int(placed[1])
            cf.sumsq = sum(v * v for v in cf.counts.values())
            cf.gains = {w: out._gain(n) for w, n in cf.counts.items()}
            cf.log_docs = math.log(cf.docs) if cf.docs else 0.0
            if cf.counts:
                cf.top_word = min(cf.counts, key=lambda w: (-cf.counts[w], w))
                cf.top = cf.counts[cf.top_word]
            out.clusters[cf.id] = cf
            out.live_docs += cf.docs
            for word in cf.counts:
                out.postings.setdefault(word, set()).add(cf.id)
        return out
