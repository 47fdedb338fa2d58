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

The clusterer is layered, one concept a module: the statistics and the word index
(:mod:`pantau.issues.cluster_store`), scoring (:mod:`pantau.issues.cluster_scoring`), merging and
the second look (:mod:`pantau.issues.cluster_merging`); this module runs the update loop and
keeps the state across restarts.
"""

from __future__ import annotations

import math
from typing import Any

from pantau.issues.cluster_merging import (
    MERGE_CANDIDATES,
    MERGE_EVERY,
    MERGE_FREQUENT_UNTIL,
    MERGE_MIN_DOCS,
    MERGE_SIMILARITY,
)
from pantau.issues.cluster_splitting import ClusterSplitter
from pantau.issues.cluster_store import (
    ALPHA,
    BETA,
    VOCAB_FLOOR,
    ClusterFeature,
    Decision,
    Member,
)

__all__ = ["ClusterFeature", "Decision", "OnlineClusterer"]


class OnlineClusterer(ClusterSplitter):
    """Streaming Dirichlet-multinomial mixture with an inverted index, retirement and merging."""

    def __init__(
        self,
        alpha: float = ALPHA,
        beta: float = BETA,
        merge_similarity: float = MERGE_SIMILARITY,
    ) -> None:
        super().__init__(alpha, beta, merge_similarity)

    def update(
        self,
        words: dict[str, int],
        now: float,
        places: tuple[str, ...] = (),
        key: str = "",
        channel: str = "",
        linked: bool = False,
    ) -> Decision:
        """Assign one document (its word counts, and the kab/kota codes it is placed in, if
        any) at stream time ``now`` (seconds); ``key`` names it in a split's moved documents,
        which carry its ``channel`` and whether it is ``linked`` (carries a link)."""
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
        self._keep_member(cf, (key, now, words, places, channel, linked))
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
        split = self._try_split(self.clusters[survivor])
        if split is not None and any(m[2] is words for m in self.clusters[split[1]].members or ()):
            survivor = split[1]  # this document went with the new part
        return Decision(
            survivor, best_id == 0, best - new_score, tuple(merges), (split,) if split else ()
        )

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
                    *(cf.id, cf.docs, cf.words, dict(cf.counts), cf.first_time, cf.last_time),
                    *(dict(cf.places), cf.placed),
                    None if cf.members is None else [_member_state(m) for m in cf.members],
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
            # snapshots from before splits kept no documents: such clusters are not split
            kept = placed[2] if len(placed) > 2 else None
            cf.members = None if kept is None else [_member(m) for m in kept]
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


def _member_state(m: Member) -> list[Any]:
    """A kept document as a snapshot holds it, its word counts written as the words themselves
    ("banjir banjir rob"): a sixth of the snapshot smaller than ``{"banjir": 2, "rob": 1}`` in
    JSON at 100k mentions, since a cluster keeps up to ``SPLIT_MAX_DOCS`` documents. Counts that
    would not come back the same (no words, an empty word, a word with a space: none that
    :func:`~pantau.issues.features.tokens` makes) stay a mapping."""
    key, time, words, places, channel, linked = m
    total = sum(words.values())
    if total == len(words):  # each word once: most posts
        written = " ".join(words)
    else:
        written = " ".join([w for w, n in words.items() for _ in range(n)])
    if "" in words or written.count(" ") != total - 1:
        return [key, time, dict(words), list(places), channel, linked]
    return [key, time, written, list(places), channel, linked]


def _member(state: list[Any]) -> Member:
    """Inverse of :func:`_member_state` (a snapshot from before the words were written out has
    the mapping): the counts come back in the order they were kept. Members from before links
    were kept (five values) count as unlinked."""
    key, time, words, places, channel, *rest = state
    if isinstance(words, str):
        counts: dict[str, int] = {}
        for w in words.split(" "):
            counts[w] = counts.get(w, 0) + 1
        words = counts
    return (str(key), float(time), dict(words), tuple(places), str(channel), bool(rest and rest[0]))
