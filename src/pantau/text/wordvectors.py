"""Dense word knowledge for the fast path: static word vectors distilled from a multilingual
encoder, averaged into one vector per text.

Hashed words and characters know only the vocabulary of the split they were fitted on; a review
that says "menjengkelkan" where the training texts said "menyebalkan" shares no feature with
them. The vectors here were distilled offline (``scripts/distill_wordvectors.py fit``) from the
4-bit multilingual-e5-small, tokenlearn-style: each of 17,977 words of the permissive training
corpora first embedded alone, then refitted so that the SIF mean of a sentence's word vectors
predicts e5's vector of the whole sentence, so that a word carries the polarity of the
sentences it is used in ("bagus" lies nearer "mantap" than "buruk": 0.70 vs 0.43); reduced by PCA to
128 dimensions and quantized to int8 (``models/wordvectors.npz``, provenance in
``models/PROVENANCE.md``). The shipped sentiment model reads them as its third view.
Words are found by the CRC32 the featurizer already computed (:class:`TokenHashes`), so the
look-up costs one ``searchsorted`` per batch and the run time needs numpy only.

A text's vector is the smooth-inverse-frequency weighted mean of its known words' vectors
(Arora et al. 2017), L2-normalized; a word in a negation's scope ("tidak *bagus*") enters with
its sign flipped, so that a linear model reads "tidak bagus" against "bagus".

>>> wv = WordVectors.load()
>>> from pantau.text.normalize import normalize_tokens
>>> docs = [normalize_tokens(t) for t in ("pelayanannya ramah sekali", "zzqx")]
>>> v = wv.embed(TokenHashes.of(docs))
>>> v.shape == (2, wv.dims), round(float(v[0] @ v[0]), 3), float(abs(v[1]).sum())
(True, 1.0, 0.0)
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from pantau.text.features import TokenHashes

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["WORDVECTORS", "WordVectors"]

logger = logging.getLogger(__name__)

#: The shipped table (``pantau/text/models/<name>.npz``) that a model's JSON names.
WORDVECTORS = "wordvectors"


@dataclass(frozen=True, eq=False)
class WordVectors:
    """A static word-vector table keyed by the CRC32 of normalized words."""

    name: str
    crc: np.ndarray  # (n_words,) uint64, sorted
    vectors: np.ndarray  # (n_words, dims) int8
    scale: np.ndarray  # (dims,) float32: vector = int8 * scale
    weights: np.ndarray  # (n_words,) float32, smooth inverse frequency
    info: dict[str, Any]

    @property
    def dims(self) -> int:
        """Length of a text's vector."""
        return int(self.vectors.shape[1])

    @classmethod
    def load(cls, name: str = WORDVECTORS) -> WordVectors:
        """The table ``name`` shipped in ``pantau/text/models`` (read once per process)."""
        return _load(name)

    def known(self, hashes: TokenHashes) -> np.ndarray:
        """Row of each token in the table, -1 for a word it does not have."""
        pos = np.searchsorted(self.crc, hashes.hashes)
        pos = np.minimum(pos, len(self.crc) - 1)
        return np.where(self.crc[pos] == hashes.hashes, pos, -1)

    def mixing(self, hashes: TokenHashes) -> tuple[csr_matrix, np.ndarray]:
        """``(mix, rows)``: the table rows of the documents' known tokens and a (documents x
        those tokens) matrix of their weights, negative for a word in a negation's scope, so
        that ``mix @ vectors[rows]`` sums each document's weighted vectors."""
        n_docs = len(hashes.lengths)
        rows = self.known(hashes)
        found = rows >= 0
        sign = np.where(hashes.negated()[found], -1.0, 1.0)
        idx = rows[found]
        indptr = np.searchsorted(hashes.doc_of[found], np.arange(n_docs + 1))
        from scipy.sparse import csr_matrix  # imported here: see pantau.text.features

        mix = csr_matrix(
            (self.weights[idx] * sign, np.arange(len(idx)), indptr), shape=(n_docs, len(idx))
        )
        return mix, idx

    def embed(self, hashes: TokenHashes) -> np.ndarray:
        """One L2-normalized vector per document of ``hashes`` (float64, ``(n_docs, dims)``);
        a document without a known word gets zeros.

        Every step works row by row (a sparse product, a per-row norm), so a document's vector
        is the same bit for bit whatever batch, process or thread count reads it: ``analyze
        --workers`` promises records identical to one process's. A dense float32 product went
        through BLAS, whose threaded kernels sum in another order in a Dask worker than in the
        calling process, and a rounded score differed in its last digit."""
        mix, rows = self.mixing(hashes)
        out = np.asarray(mix @ self.vectors[rows].astype(np.float64)) * self.scale
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.asarray(out / norms)


@lru_cache(maxsize=2)
def _load(name: str) -> WordVectors:
    base = resources.files("pantau.text") / "models"
    try:
        info = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
        with (base / f"{name}.npz").open("rb") as fh:
            arrays = np.load(fh)
            table = WordVectors(
                name=name,
                crc=arrays["crc"].astype(np.uint64),
                vectors=arrays["vectors"],
                scale=arrays["scale"].astype(np.float32),
                weights=arrays["weights"].astype(np.float32),
                info=info,
            )
    except (OSError, KeyError) as exc:
        raise ValueError(
            f"word vectors {name!r}: not shipped in pantau/text/models ({exc})"
        ) from exc
    logger.debug("loaded word vectors %s: %d words x %d", name, len(table.crc), table.dims)
    return table
