"""Scoring a document against the live clusters under the Dirichlet-multinomial mixture.

Candidates come from the inverted index (the clusters sharing the most, rarest-first words);
each is scored in log space from the cached gains of :class:`~pantau.issues.cluster_store.
ClusterStore`, beside the score of opening a new cluster; a document's places add their odds.
"""

from __future__ import annotations

import math
from itertools import repeat

from pantau.issues.cluster_store import ClusterStore

__all__ = ["ClusterScorer"]

#: Words held by more active clusters than this are too common to find candidates with (they
#: still count in the score); keeps the candidate scan flat when a word is everywhere. 100 and 400
#: score the same on News-T; 100 is faster.
MAX_POSTINGS = 100
#: Candidates scored per document, the clusters sharing the most (rarest-first) words. 6/10/16
#: on News-T: merged NMI 0.892/0.894/0.895, B-cubed 0.789/0.791/0.794; 10 at half 16's cost.
MAX_CANDIDATES = 10
#: Pseudo-count of an issue's placed posts that are in a kab/kota none of the others name. A
#: post placed only where none of an issue's placed posts are is likely another local matter:
#: its odds are ``log((0 + prior) / (placed + prior))``, about -8 against 30 placed posts, the
#: weight of one or two shared words under ``BETA``; one kab/kota in common lifts most of it.
#: Without it the demo's illegal-mining posts of Loa Janan (Kutai Kartanegara) joined the PDAM
#: outage of Loa Janan Ilir (Samarinda) through the place's words. Demo purity of the ten
#: largest issues: 0.973 from 0.1 down to 0.001, 0.941 at 0.3 and 1.0.
PLACE_PRIOR = 0.01


class ClusterScorer(ClusterStore):
    """Candidate search and log posteriors over a :class:`ClusterStore`."""

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

    def _place_odds(self, cid: int, places: tuple[str, ...]) -> float:
        """Log odds that a document placed in ``places`` (kab/kota codes) belongs with cluster
        ``cid``'s placed documents: ``log((shared + prior) / (placed + prior))``, 0 when the
        cluster has no placed documents (see :data:`PLACE_PRIOR`)."""
        cf = self.clusters[cid]
        if not cf.placed:
            return 0.0
        shared = min(sum(cf.places.get(code, 0) for code in places), cf.placed)
        return math.log((shared + PLACE_PRIOR) / (cf.placed + PLACE_PRIOR))
