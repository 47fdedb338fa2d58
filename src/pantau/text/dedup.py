"""Near-duplicates (MinHash LSH, vectorized with numpy) and coordinated copy-paste bursts.

Each text gets ``dup_of``: the id of the first text seen that is identical after normalization
(exact key) or whose estimated Jaccard similarity of word bigrams is at least
``threshold`` (MinHash with ``NUM_PERM`` permutations, LSH in ``BANDS`` bands). The index lives
across batches and keeps at most ``capacity`` texts, forgetting first those least recently
seen or matched (so a text that keeps being copied stays).

A *coordinated burst* is ``min_accounts`` different authors posting the same (near-)text within
``window_s`` seconds; every text of the group from then on gets ``coordinated`` = the group id
(the id of the group's first text). It is a signal for the issue stage, not a verdict.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from pantau.text.features import TokenHashes

__all__ = ["DedupResult", "NearDuplicateIndex"]

logger = logging.getLogger(__name__)

# 64 permutations in 16 bands of 4: a pair at Jaccard 0.8 shares a band with p = 0.9998,
# at 0.5 with p = 0.64, and each candidate is then checked on the full signature.
NUM_PERM = 64
BANDS = 16
_ROWS = NUM_PERM // BANDS
_RNG = np.random.default_rng(20250601)
_A = _RNG.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _RNG.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_PAIR_MUL = np.uint64(0x100000001B3)
_BAND_SALT = _RNG.integers(0, 2**63, BANDS, dtype=np.uint64)
# Estimated Jaccard from which two texts are near-duplicates: at 0.8, 82 of 86 near links on
# the headline stream carry the same message (precision 0.954, tests/text/data).
DEFAULT_THRESHOLD = 0.8


@dataclass
class DedupResult:
    """Near-duplicate link and burst flag of one text."""

    dup_of: str | None = None
    coordinated: str | None = None


@dataclass
class _Group:
    posts: deque[tuple[float | None, str]] = field(default_factory=deque)
    flagged: bool = False


@dataclass(slots=True)
class _Item:
    root: str
    signature: np.ndarray
    exact: tuple[int, int]
    post: tuple[float | None, str | None]


def signatures(th: TokenHashes) -> np.ndarray:
    """MinHash signatures (documents x ``NUM_PERM``, uint32) of word-bigram shingles.

    A one-word text is its own shingle; an empty text gets a signature of all ones (never
    compared: empty texts are not indexed).
    """
    n = len(th.lengths)
    sig = np.full((n, NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not len(th.hashes):
        return sig
    h, doc_of = th.hashes, th.doc_of
    same = doc_of[1:] == doc_of[:-1]
    bigrams = h[:-1][same] * _PAIR_MUL + h[1:][same]
    single = th.lengths[doc_of] == 1
    shingles = np.concatenate([bigrams, h[single]])
    owner = np.concatenate([doc_of[:-1][same], doc_of[single]])
    order = np.argsort(owner, kind="stable")
    shingles, owner = shingles[order], owner[order]
    # The high 32 bits of a 64-bit multiply-add hash: half the memory per remembered text.
    hashed = ((shingles[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(np.uint32)
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    sig[owner[starts]] = np.minimum.reduceat(hashed, starts, axis=0)
    return sig


def band_keys(sig: np.ndarray) -> np.ndarray:
    """One 64-bit key per LSH band (documents x ``BANDS``)."""
    bands = sig.astype(np.uint64).reshape(len(sig), BANDS, _ROWS)
    key = np.zeros((len(sig), BANDS), dtype=np.uint64)
    for r in range(_ROWS):
        key = key * _PAIR_MUL + bands[:, :, r]
    return key ^ _BAND_SALT[None, :]


class NearDuplicateIndex:
    """Bounded, cross-batch MinHash LSH index with burst detection."""

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        capacity: int = 50_000,
        window_s: float = 1800.0,
        min_accounts: int = 3,
    ) -> None:
        self.threshold = threshold
        self.capacity = capacity
        self.window_s = window_s
        self.min_accounts = min_accounts
        self._items: OrderedDict[str, _Item] = OrderedDict()
        self._exact: dict[tuple[int, int], str] = {}
        self._bands: dict[int, str] = {}
        self._groups: OrderedDict[str, _Group] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def process(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        hashes: TokenHashes,
        authors: Sequence[str | None],
        times: Sequence[float | None],
    ) -> list[DedupResult]:
        """Link each text to an earlier (near-)duplicate and flag bursts, in order.

        ``texts`` are the normalized texts and ``hashes`` their token hashes.
        """
        sigs = signatures(hashes)
        return self.link(ids, texts, sigs, band_keys(sigs).tolist(), authors, times)

    def link(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        sigs: np.ndarray,
        all_keys: Sequence[list[int]],
        authors: Sequence[str | None],
        times: Sequence[float | None],
    ) -> list[DedupResult]:
        """:meth:`process` on signatures and band keys computed beforehand (possibly on another
        process: they are stable across processes, unlike the exact key taken here)."""
        out: list[DedupResult] = []
        for i, doc_id in enumerate(ids):
            if not texts[i]:
                out.append(DedupResult())
                continue
            exact = (hash(texts[i]), len(texts[i]))
            sig = sigs[i]
            keys = all_keys[i]
            root = self._find(exact, sig, keys)
            post = (times[i], authors[i])
            result = DedupResult(dup_of=root)
            if root is not None or self.min_accounts <= 1:
                result.coordinated = self._burst(root or doc_id, post)
            self._add(doc_id, root or doc_id, sig, keys, exact, post)
            out.append(result)
        return out

    def _find(self, exact: tuple[int, int], sig: np.ndarray, keys: list[int]) -> str | None:
        hit = self._exact.get(exact)
        if hit is not None and hit in self._items:
            self._items.move_to_end(hit)  # a text still being copied is remembered longest
            return self._items[hit].root
        bands = self._bands
        # Candidates in band order, and the first of equally similar ones wins: a set of ids
        # would iterate in an order that changes with Python's hash seed, and so would dup_of.
        found = dict.fromkeys(bands[key] for key in keys if key in bands)
        best, best_sim = None, 0.0
        for cand in found:
            if cand not in self._items:
                continue
            sim = float(np.count_nonzero(self._items[cand].signature == sig)) / NUM_PERM
            if sim >= self.threshold and sim > best_sim:
                best, best_sim = cand, sim
        if best is None:
            return None
        self._items.move_to_end(best)
        return self._items[best].root

    def _add(
        self,
        doc_id: str,
        root: str,
        sig: np.ndarray,
        keys: list[int],
        exact: tuple[int, int],
        post: tuple[float | None, str | None],
    ) -> None:
        if doc_id in self._items:
            return
        self._items[doc_id] = _Item(root, sig, exact, post)
        if self._exact.setdefault(exact, doc_id) == doc_id:  # else an identical text holds them
            bands = self._bands
            for key in keys:
                if key not in bands:
                    bands[key] = doc_id
        while len(self._items) > self.capacity:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        old_id, old = self._items.popitem(last=False)
        if self._exact.get(old.exact) == old_id:
            del self._exact[old.exact]
            for key in band_keys(old.signature[None, :])[0].tolist():
                if self._bands.get(key) == old_id:
                    del self._bands[key]
        self._groups.pop(old_id, None)

    def _burst(self, root: str, post: tuple[float | None, str | None]) -> str | None:
        """Count ``post`` in the group of ``root``; the group id once it is a burst.

        Groups are only made when a first copy arrives (most texts have none), seeded with
        the original's post."""
        group = self._groups.get(root)
        if group is None:
            group = self._groups[root] = _Group()
            original = self._items.get(root)
            if original is not None and original.post[1]:
                group.posts.append((original.post[0], str(original.post[1])))
        when, author = post
        if author:
            group.posts.append((when, author))
        if when is not None:
            while group.posts:
                oldest = group.posts[0][0]
                if oldest is None or when - oldest <= self.window_s:
                    break
                group.posts.popleft()
        if not group.flagged and len({a for _, a in group.posts}) >= self.min_accounts:
            group.flagged = True
            logger.info("coordinated burst: group %s, %d accounts", root, self.min_accounts)
        return root if group.flagged else None
