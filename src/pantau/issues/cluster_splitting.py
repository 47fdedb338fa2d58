"""Splitting a cluster that holds two stories: bisection of its members' words.

Two stories that start together (their first titles share a name, and the second story finds
the first one's cluster cheaper than a new one) grow as one cluster, and merging cannot undo
that (News-T: Macy's parade and the Thanksgiving storm, 256 titles in one cluster). A cluster
keeps its documents while it is small enough to be split (:data:`SPLIT_MAX_DOCS`); each time
its size reaches a power of two from :data:`SPLIT_MIN_DOCS` its documents are bisected
(spherical 2-means on their word counts) and the cluster is split when all three hold:

- each group is a story of its own: a word most of its documents hold, few of the other's
  (:func:`_tells_apart`): chatter beside a story has no such word, nor have most facets of one
  event (the demo's school-zoning and road issues stay whole; its flood's traffic posts split
  off and merge back as they grow; its blackout's "malam gelap gulita" posts stay apart);
- the merge rule keeps them apart (:meth:`ClusterSplitter.kept_apart_by_merge`): a split the
  merge would undo at once is no split;
- the mixture the documents were assigned by prefers two clusters to one
  (:meth:`ClusterSplitter.split_odds` above 0).

The older group (the earlier median time) keeps the cluster's id, and with it the issue's stage
and alerts: a later story that joined a raised issue (the held-out stream's second train crash
in the first one's issue) becomes a new issue, raised on its own rise.

News-T, NMI / B-cubed / issues a story: 0.899 / 0.799 / 2.29 without splits, 0.901 / 0.804 /
2.31 with them (thirds, seeds 1-3: NMI 0.887 / 0.890 / 0.896 -> 0.890 / 0.891 / 0.898, B-cubed
0.753 / 0.760 / 0.768 -> 0.756 / 0.766 / 0.773).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from pantau.issues.cluster_merging import MIN_SHARED_WORDS, ClusterMerger, likeness
from pantau.issues.cluster_store import MIN_COHESION, VOCAB_FLOOR, ClusterFeature, Member

__all__ = ["ClusterSplitter", "bisect_members"]

logger = logging.getLogger(__name__)

#: Size from which a cluster is bisected (then at each power of two): below it a group's words
#: are too few to say it is another story. At 16, tweets' small clusters were split into facets
#: and back (dense CrisisLexT6: 41 splits, most of one crisis or of chatter) and the churn moved
#: the repeated floods' first alert of the second flood from 14 to 34 on-topic posts (a tie in a
#: 4-post issue); News-T at 16: 0.902 / 0.804, at 32: 0.901 / 0.804.
SPLIT_MIN_DOCS = 32
#: Clusters larger than this keep no documents and are not split (memory: a live cluster holds
#: at most this many word counts). News-T's largest two-story cluster holds 574 titles.
SPLIT_MAX_DOCS = 1024
#: Smallest share of a cluster the smaller group must hold: a few odd documents are not a story
#: of their own.
SPLIT_MIN_SHARE = 0.2
#: Each group of a split must be a story of its own: a word in at least
#: :data:`~pantau.issues.cluster_store.MIN_COHESION` of its documents (the bar a cluster's top
#: word must pass for its issue to be raised) that at most this share of the other group's
#: documents hold (a stray mention).
OTHER_SHARE = 0.1
#: Commonest words of a cluster tried as the first grouping of its bisection.
SEED_WORDS = 6
#: Rounds of 2-means; the groups settle within a few.
ROUNDS = 8

Vector = dict[str, float]


def _unit(words: dict[str, int]) -> Vector:
    norm = math.sqrt(sum(v * v for v in words.values())) or 1.0
    return {w: v / norm for w, v in words.items()}


def _sum(vectors: Sequence[Vector], picked: Sequence[int]) -> tuple[Vector, float]:
    out: Vector = {}
    for i in picked:
        for w, v in vectors[i].items():
            out[w] = out.get(w, 0.0) + v
    return out, math.sqrt(sum(v * v for v in out.values())) or 1.0


def _cos(vector: Vector, centre: tuple[Vector, float]) -> float:
    get = centre[0].get
    return sum(v * get(w, 0.0) for w, v in vector.items()) / centre[1]


def _two_means(vectors: list[Vector], side: list[bool]) -> tuple[list[bool], float]:
    """Spherical 2-means from a first grouping; the groups and their objective (the summed
    lengths of the two groups' vector sums: each document's cosine to its group's centre)."""
    everyone = range(len(vectors))
    score = 0.0
    for _ in range(ROUNDS):
        ones = [i for i in everyone if side[i]]
        if not ones or len(ones) == len(side):
            return side, 0.0
        centres = [_sum(vectors, [i for i in everyone if not side[i]]), _sum(vectors, ones)]
        score = centres[0][1] + centres[1][1]
        new = [_cos(v, centres[1]) > _cos(v, centres[0]) for v in vectors]
        if new == side:
            break
        side = new
    return side, score


def bisect_members(members: Sequence[Member], counts: dict[str, int]) -> list[bool]:
    """Two groups of documents (``True``: the second) by spherical 2-means, started from the
    presence of each of the cluster's :data:`SEED_WORDS` commonest words that part of its
    documents lack (a story pair is told apart by its own names: "macy parade" / "winter
    storm"); the best grouping by the 2-means objective wins (ties: the commoner word)."""
    vectors = [_unit(m[2]) for m in members]
    n = len(vectors)
    seeds = [
        w
        for w in sorted(counts, key=lambda w: (-counts[w], w))[: SEED_WORDS * 3]
        if SPLIT_MIN_SHARE * n <= sum(1 for m in members if w in m[2]) <= (1 - SPLIT_MIN_SHARE) * n
    ][:SEED_WORDS]
    best: list[bool] = [False] * n
    best_score = 0.0
    for word in seeds:
        side, score = _two_means(vectors, [word in m[2] for m in members])
        if score > best_score:
            best, best_score = side, score
    return best


class ClusterSplitter(ClusterMerger):
    """Bisection of clusters that hold two stories, over a :class:`ClusterMerger`."""

    def _keep_member(self, cf: ClusterFeature, member: Member) -> None:
        if cf.members is None:
            return
        if cf.docs > SPLIT_MAX_DOCS:
            cf.members = None  # grown past splitting: its documents are not needed
        else:
            cf.members.append(member)

    def merge(self, gone_id: int, keep_id: int) -> tuple[int, int]:
        gone, keep = self.clusters[gone_id], self.clusters[keep_id]
        out = super().merge(gone_id, keep_id)
        if keep.members is not None and gone.members is not None and keep.docs <= SPLIT_MAX_DOCS:
            keep.members.extend(gone.members)
        else:
            keep.members = None
        return out

    def _try_split(self, cf: ClusterFeature) -> tuple[int, int, tuple[str, ...]] | None:
        """Bisect ``cf`` if it is due (its size a power of two from :data:`SPLIT_MIN_DOCS`) and
        split it when the groups are apart; returns ``(kept id, new id, moved keys)``."""
        members, docs = cf.members, cf.docs
        if members is None or docs < SPLIT_MIN_DOCS or docs & (docs - 1) or len(members) != docs:
            return None  # not due, or its documents are not all known (never split a part)
        side = bisect_members(members, cf.counts)
        moved = sum(side)
        if min(moved, docs - moved) < SPLIT_MIN_SHARE * docs:
            return None
        if _median_time(members, side, True) < _median_time(members, side, False):
            side = [not s for s in side]  # the older group keeps the id
        stay = [m for m, s in zip(members, side, strict=True) if not s]
        go = [m for m, s in zip(members, side, strict=True) if s]
        if not (_tells_apart(stay, go) and _tells_apart(go, stay)):
            return None
        a, b = _counts(stay), _counts(go)
        if (
            not self.kept_apart_by_merge(a, b)
            or self.split_odds(cf.counts, (a, len(stay)), (b, len(go))) <= 0
        ):
            return None
        self._rebuild(cf, stay)
        new = ClusterFeature(self.next_id, first_time=go[0][1], last_time=go[0][1])
        self.next_id += 1
        self.clusters[new.id] = new
        self._rebuild(new, go)
        logger.debug("split %d documents of cluster %d into %d", len(go), cf.id, new.id)
        return cf.id, new.id, tuple(m[0] for m in go)

    def kept_apart_by_merge(self, a: dict[str, int], b: dict[str, int]) -> bool:
        """Whether the merge rule would keep two groups' word counts apart: cosine at most the
        merge similarity, or a likeness resting on fewer than :data:`MIN_SHARED_WORDS` words."""
        cosine, words = likeness(
            a, b, sum(v * v for v in a.values()), sum(v * v for v in b.values())
        )
        return cosine <= self.merge_similarity or words < MIN_SHARED_WORDS

    def split_odds(
        self, whole: dict[str, int], a: tuple[dict[str, int], int], b: tuple[dict[str, int], int]
    ) -> float:
        """Log odds, under the mixture the documents were assigned by, of two clusters
        holding groups ``a`` and ``b`` (word counts, document count) over one cluster holding
        them all: the groups' marginal likelihoods against the whole's, with the prior of
        opening a cluster as at arrival (``alpha`` times the live documents) and the
        partition's ``(n_a - 1)! (n_b - 1)! / (n - 1)!``. Above 0 the mixture itself prefers
        the split; a story's halves score below (News-T bisections of one story: -21 to -3 at
        16-64 titles, a few up to +10; story pairs +3 to +333)."""
        vb = max(len(self.postings), VOCAB_FLOOR) * self.beta
        (wa, na), (wb, nb) = a, b
        lgamma = math.lgamma
        return (
            self._likelihood(wa, vb)
            + self._likelihood(wb, vb)
            - self._likelihood(whole, vb)
            + math.log(self.alpha * max(self.live_docs, 1))
            + lgamma(na)
            + lgamma(nb)
            - lgamma(na + nb)
        )

    def _likelihood(self, counts: dict[str, int], vb: float) -> float:
        """Log marginal likelihood of a cluster's words under the symmetric Dirichlet prior."""
        lgamma, lgamma_beta, beta = math.lgamma, self._lgamma_beta, self.beta
        total = sum(counts.values())
        return (
            lgamma(vb)
            - lgamma(vb + total)
            + sum(lgamma(beta + n) - lgamma_beta for n in counts.values())
        )

    def _rebuild(self, cf: ClusterFeature, members: list[Member]) -> None:
        """Make ``cf`` hold exactly ``members`` (in stream order)."""
        if cf.docs:
            self._remove_from_index(cf)
        cf.docs = cf.words = cf.sumsq = cf.top = cf.placed = 0
        cf.counts, cf.gains, cf.places, cf.top_word = {}, {}, {}, ""
        members.sort(key=lambda m: m[1])
        cf.first_time = cf.last_time = members[0][1]
        for member in members:
            _key, now, words, places, _channel, _linked = member
            self._add(cf, words, sum(words.values()), now)
            if places:
                cf.placed += 1
                for code in places:
                    cf.places[code] = cf.places.get(code, 0) + 1
        cf.members = members


def _tells_apart(group: list[Member], other: list[Member]) -> bool:
    """Whether ``group`` is a story of its own beside ``other``: a word is in at least
    :data:`MIN_COHESION` of its documents and in at most :data:`OTHER_SHARE` of the other's."""
    need, most = MIN_COHESION * len(group), OTHER_SHARE * len(other)
    here: dict[str, int] = {}
    for m in group:
        for w in m[2]:
            here[w] = here.get(w, 0) + 1
    common = {w for w, n in here.items() if n >= need}
    if not common:
        return False
    there = dict.fromkeys(common, 0)
    for m in other:
        for w in common.intersection(m[2]):
            there[w] += 1
    return any(n <= most for n in there.values())


def _median_time(members: Sequence[Member], side: list[bool], group: bool) -> float:
    times = sorted(m[1] for m, s in zip(members, side, strict=True) if s is group)
    return times[len(times) // 2]


def _counts(members: list[Member]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in members:
        for w, v in m[2].items():
            out[w] = out.get(w, 0) + v
    return out
