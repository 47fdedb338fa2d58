"""Hashed TF-IDF features for whole batches, vectorized with numpy (shared by language id and
sentiment so that a batch is featurized once).

Two blocks, each L2-normalized on its own, as in a word + character TF-IDF union:

- words: unigrams, bigrams, and "negation-scoped" unigrams (the words right after ``tidak``,
  ``bukan``, ... get their own feature, so "tidak buruk" is not just "buruk");
- characters: 1..5-grams of the normalized text with spaces at both ends.

Hashes are stable across processes (CRC32 for words, a polynomial rolling hash for characters),
so a model trained by ``scripts/train_*.py`` and shipped as ``.npz`` reads the same columns here.

scipy is imported where a matrix is built, here and in the modules that read these matrices
(annotations only): it costs about 0.3 s at import, which every process that merely imports
``pantau.text`` (a worker that only clusters, ``pantau --help``, the web app) would pay.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["NEGATORS", "HashedFeaturizer", "TokenHashes"]

logger = logging.getLogger(__name__)

#: Words that flip the polarity of the next words ("tidak buruk", "belum jelas").
NEGATORS = frozenset(
    {"tidak", "bukan", "belum", "jangan", "kurang", "tanpa", "not", "no"}
    # Regional negators, kept as words here (language id reads them as markers, so
    # normalization does not turn them into "tidak"): "indak" is also indoNLP's standard form of
    # the Kalimantan and Sulawesi "nda"/"dak"/"nd", so "nda bagus" was read as praise; Banjar
    # "kada" and "kadada" (= "tidak ada"), Javanese "ora", Sundanese "teu"/"henteu".
    | {"indak", "kada", "kadada", "ora", "teu", "henteu"}
)
# Two words after a negator: covers "tidak terlalu buruk"; three added noise on SmSA valid.
NEGATION_SCOPE = 2
_NEG_SALT = np.uint64(0x9E3779B97F4A7C15)
_BIGRAM_MUL = np.uint64(0x100000001B3)
_CHAR_MUL = np.uint64(1_000_003)
_MIX = np.uint64(0xD6E8FEB86659FD93)


@lru_cache(maxsize=300_000)
def _crc(token: str) -> int:
    """Stable 32-bit hash of a token (cached: a cache hit is cheaper than encoding)."""
    return zlib.crc32(token.encode("utf-8"))


_NEGATOR_HASHES = np.array(sorted(_crc(w) for w in NEGATORS), dtype=np.uint64)


@dataclass(frozen=True)
class TokenHashes:
    """CRC32 of every token of a batch, flat, with the document each belongs to."""

    hashes: np.ndarray  # uint64
    doc_of: np.ndarray  # int64
    lengths: np.ndarray  # int64, tokens per document

    @classmethod
    def of(cls, docs: Sequence[Sequence[str]]) -> TokenHashes:
        """Hash the tokens of ``docs`` (computed once per batch, used by features and dedup)."""
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        total = int(lengths.sum())
        flat = list(chain.from_iterable(docs))
        hashes = np.fromiter(map(_crc, flat), dtype=np.uint64, count=total)
        return cls(hashes, np.repeat(np.arange(len(docs)), lengths), lengths)

    def negated(self) -> np.ndarray:
        """Whether each token is in a negation's scope: one of the :data:`NEGATION_SCOPE`
        words after a negator in the same document, not itself a negator."""
        total = len(self.hashes)
        negs = np.isin(self.hashes, _NEGATOR_HASHES)
        scoped = np.zeros(total, dtype=bool)
        for k in range(1, NEGATION_SCOPE + 1):
            if total > k:
                scoped[k:] |= negs[:-k] & (self.doc_of[k:] == self.doc_of[:-k])
        return scoped & ~negs


@dataclass(frozen=True)
class HashedFeaturizer:
    """Turns normalized token lists into a sparse TF-IDF matrix of ``2 * 2**bits`` columns."""

    bits: int = 18
    char_min: int = 1
    char_max: int = 5

    @property
    def width(self) -> int:
        """Number of columns of one block."""
        return 1 << self.bits

    @property
    def n_features(self) -> int:
        """Number of columns of the whole matrix (word block, then character block)."""
        return 2 * self.width

    def counts(
        self, docs: Sequence[Sequence[str]], hashes: TokenHashes | None = None
    ) -> csr_matrix:
        """Raw term counts, word block and character block side by side."""
        n = len(docs)
        rows_w, cols_w = self._word_hashes(docs, hashes or TokenHashes.of(docs))
        rows_c, cols_c = self._char_hashes(docs)
        rows = np.concatenate([rows_w, rows_c])
        cols = np.concatenate([cols_w, cols_c + self.width])
        # Sorting one int64 key per entry sums duplicates and orders the CSR in one pass.
        keys, counts = np.unique(rows * self.n_features + cols, return_counts=True)
        indptr = np.searchsorted(keys, np.arange(n + 1) * self.n_features)
        from scipy.sparse import csr_matrix  # imported here: see the module's note on scipy

        return csr_matrix(
            (counts.astype(np.float32), (keys % self.n_features).astype(np.int32), indptr),
            shape=(n, self.n_features),
        )

    def transform(self, docs: Sequence[Sequence[str]], idf: np.ndarray) -> csr_matrix:
        """Sublinear TF times IDF, each block L2-normalized."""
        return self.weight(self.counts(docs), idf)

    def weight(self, counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
        """Sublinear TF-IDF of a counts matrix from :meth:`counts`, each block L2-normalized."""
        mat = counts.copy()
        mat.data = (1.0 + np.log(mat.data)) * idf[mat.indices]
        row_of = np.repeat(np.arange(mat.shape[0]), np.diff(mat.indptr))
        key = row_of * 2 + (mat.indices >= self.width)
        sq = np.bincount(key, weights=mat.data.astype(np.float64) ** 2, minlength=2 * mat.shape[0])
        norms = np.sqrt(sq)
        norms[norms == 0] = 1.0
        mat.data = (mat.data / norms[key]).astype(np.float32)
        return mat

    def fit_idf(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """Smoothed IDF per column (as scikit-learn's ``smooth_idf``) from a training corpus."""
        mat = self.counts(docs)
        df = np.bincount(mat.indices, minlength=self.n_features)
        n = mat.shape[0]
        return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)

    def _word_hashes(
        self, docs: Sequence[Sequence[str]], th: TokenHashes
    ) -> tuple[np.ndarray, np.ndarray]:
        total = len(th.hashes)
        if total == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        hashes, doc_of = th.hashes, th.doc_of
        same_next = doc_of[1:] == doc_of[:-1]
        bigrams = hashes[:-1] * _BIGRAM_MUL + hashes[1:]
        scoped = th.negated()
        all_hashes = np.concatenate([hashes, bigrams[same_next], hashes[scoped] ^ _NEG_SALT])
        rows = np.concatenate([doc_of, doc_of[:-1][same_next], doc_of[scoped]])
        return rows, self._bucket(all_hashes)

    def _char_hashes(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        texts = [" " + " ".join(d) + " " for d in docs]
        joined = "\x00".join(texts)
        cps = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        doc_of = np.repeat(np.arange(len(texts)), lengths)[: len(cps)]
        doc_of[cps == 0] = -1
        rows_out: list[np.ndarray] = []
        cols_out: list[np.ndarray] = []
        size = len(cps)
        for n in range(self.char_min, self.char_max + 1):
            if size < n:
                break
            span = size - n + 1
            h = np.zeros(span, dtype=np.uint64)
            for k in range(n):
                h = h * _CHAR_MUL + cps[k : k + span]
            h = h + np.uint64(n)
            start = doc_of[:span]
            ok = (start >= 0) & (start == doc_of[n - 1 : n - 1 + span])
            rows_out.append(start[ok])
            cols_out.append(self._bucket(h[ok]))
        return np.concatenate(rows_out), np.concatenate(cols_out)

    def _bucket(self, hashes: np.ndarray) -> np.ndarray:
        mixed = hashes * _MIX
        return (mixed >> np.uint64(64 - self.bits)).astype(np.int64)
