"""Linear classifiers over hashed TF-IDF features, stored as ``.npz`` + JSON (no pickle).

Only the columns a model has weights for are stored (sparse), so a model over 2**19 hashed
columns trained on a few thousand texts stays small. Scores are a softmax over the decision
values, scaled by ``temperature`` (fitted at training time, kept in the JSON).

A model may also read each text's mean word vector (:mod:`pantau.text.wordvectors`): its
weights over those dimensions are stored beside, and the JSON names the shipped vector table,
so a model is never read with vectors other than those it was fitted on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from pantau.text.features import HashedFeaturizer, TokenHashes
from pantau.text.wordvectors import WordVectors

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["LinearModel"]

logger = logging.getLogger(__name__)


@dataclass
class LinearModel:
    """A multi-class linear model: ``scores = tfidf(x) @ coef + vectors(x) @ vec_coef +
    intercept``."""

    classes: list[str]
    featurizer: HashedFeaturizer
    idf: np.ndarray  # (n_features,) float32
    coef: np.ndarray  # (n_features, n_classes), dense: a CSR x dense product is the fast one
    intercept: np.ndarray  # (n_classes,)
    temperature: float = 1.0
    meta: dict | None = None
    vectors: WordVectors | None = None
    vec_coef: np.ndarray | None = None  # (dims, n_classes), with ``vectors``

    def same_weighting(self, other: LinearModel) -> bool:
        """Whether ``other`` reads the same TF-IDF matrix (so a batch is weighted once)."""
        return self.featurizer == other.featurizer and np.array_equal(self.idf, other.idf)

    def tfidf(self, counts: csr_matrix) -> csr_matrix:
        """Sublinear TF-IDF of raw counts, each block L2-normalized (see HashedFeaturizer)."""
        return self.featurizer.weight(counts, self.idf)

    def decision(
        self,
        counts: csr_matrix,
        tfidf: csr_matrix | None = None,
        hashes: TokenHashes | None = None,
    ) -> np.ndarray:
        """Decision values, one row per document (``tfidf`` if already weighted by this idf;
        ``hashes``, the batch's :class:`TokenHashes`, required when the model reads word
        vectors)."""
        x = self.tfidf(counts) if tfidf is None else tfidf
        out = np.asarray(x @ self.coef) + self.intercept
        if self.vectors is not None and self.vec_coef is not None:
            if hashes is None:
                raise ValueError("this model reads word vectors: pass the batch's token hashes")
            # einsum's own loop, not BLAS: the same sums in every process (see ``embed``)
            out += np.einsum("ij,jk->ik", self.vectors.embed(hashes), self.vec_coef)
        return out

    def proba(
        self,
        counts: csr_matrix,
        tfidf: csr_matrix | None = None,
        hashes: TokenHashes | None = None,
    ) -> np.ndarray:
        """Softmax of the scaled decision values."""
        z = self.decision(counts, tfidf, hashes) * self.temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def proba_of(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        """:meth:`proba` of normalized token lists (featurized here, for scripts and tests)."""
        hashes = TokenHashes.of(docs)
        return self.proba(self.featurizer.counts(docs, hashes), hashes=hashes)

    def save(self, stem: Path) -> None:
        """Write ``stem.npz`` (weights) and ``stem.json`` (classes, features, provenance)."""
        used = np.flatnonzero(np.any(self.coef != 0, axis=1))
        dense = self.coef[used].astype(np.float16)
        default_idf = float(self.idf.max())
        idf_cols = np.flatnonzero(self.idf != default_idf)
        arrays: dict[str, np.ndarray] = {
            "cols": used.astype(np.int32),
            "weights": dense,
            "intercept": self.intercept.astype(np.float32),
            "idf_cols": idf_cols.astype(np.int32),
            "idf": self.idf[idf_cols].astype(np.float16),
        }
        vectors = None
        if self.vectors is not None and self.vec_coef is not None:
            arrays["vec_coef"] = self.vec_coef.astype(np.float32)
            vectors = self.vectors.name
        np.savez_compressed(stem.with_suffix(".npz"), allow_pickle=False, **arrays)
        info = {
            "classes": self.classes,
            "bits": self.featurizer.bits,
            "char_min": self.featurizer.char_min,
            "char_max": self.featurizer.char_max,
            "default_idf": default_idf,
            "temperature": self.temperature,
            "wordvectors": vectors,
            "meta": self.meta or {},
        }
        stem.with_suffix(".json").write_text(json.dumps(info, indent=2, ensure_ascii=False))

    @classmethod
    def load(cls, name: str) -> LinearModel:
        """Load the model ``name`` shipped in ``pantau/text/models``."""
        base = resources.files("pantau.text") / "models"
        info = json.loads((base / f"{name}.json").read_text(encoding="utf-8"))
        with (base / f"{name}.npz").open("rb") as fh:
            return cls._build(info, fh, name)

    @classmethod
    def read(cls, stem: Path) -> LinearModel:
        """Load a model written by :meth:`save` to ``stem.npz`` + ``stem.json``; raises
        ``OSError`` or ``ValueError`` naming the file when it is missing or not such a model."""
        try:
            info = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            with stem.with_suffix(".npz").open("rb") as fh:
                return cls._build(info, fh, str(stem))
        except (KeyError, TypeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{stem}: not a pantau linear model ({exc!r})") from exc

    @classmethod
    def _build(cls, info: dict[str, Any], fh: IO[bytes], name: str) -> LinearModel:
        arrays = np.load(fh)
        cols, weights = arrays["cols"], arrays["weights"].astype(np.float32)
        intercept = arrays["intercept"]
        idf_cols, idf_vals = arrays["idf_cols"], arrays["idf"].astype(np.float32)
        feat = HashedFeaturizer(
            bits=info["bits"], char_min=info["char_min"], char_max=info["char_max"]
        )
        idf = np.full(feat.n_features, info["default_idf"], dtype=np.float32)
        idf[idf_cols] = idf_vals
        coef = np.zeros((feat.n_features, len(info["classes"])), dtype=np.float32)
        coef[cols] = weights
        vectors, vec_coef = None, None
        if info.get("wordvectors"):
            vectors = WordVectors.load(info["wordvectors"])
            vec_coef = arrays["vec_coef"].astype(np.float32)
            if vec_coef.shape != (vectors.dims, len(info["classes"])):
                raise ValueError(
                    f"{name}: weights for {vec_coef.shape[0]} vector dimensions, but the "
                    f"shipped word vectors {vectors.name!r} have {vectors.dims}"
                )
        logger.debug("loaded model %s: %d weighted columns", name, len(cols))
        return cls(
            info["classes"],
            feat,
            idf,
            coef,
            intercept,
            info["temperature"],
            info["meta"],
            vectors,
            vec_coef,
        )
