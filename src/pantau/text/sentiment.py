"""Sentiment (positive / neutral / negative) with a score, from the shipped linear model.

The model (``scripts/train_sentiment.py``) reads normalized text, so slang and negation are
already resolved: "gak jelek" becomes "tidak jelek", and the words after a negator carry their
own features. The score is the softmax probability of the chosen label.
"""

from __future__ import annotations

import logging

from scipy.sparse import csr_matrix

from pantau.text.linear import LinearModel

__all__ = ["SentimentModel"]

logger = logging.getLogger(__name__)


class SentimentModel:
    """Batch sentiment classifier over hashed counts."""

    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = model or LinearModel.load("sentiment")

    def predict(
        self, counts: csr_matrix, tfidf: csr_matrix | None = None
    ) -> list[dict[str, float | str]]:
        """``{label, score}`` per row of ``counts`` (from ``HashedFeaturizer.counts``)."""
        proba = self.model.proba(counts, tfidf)
        top = proba.argmax(axis=1)
        return [
            {"label": self.model.classes[int(k)], "score": round(float(proba[i, k]), 4)}
            for i, k in enumerate(top)
        ]
