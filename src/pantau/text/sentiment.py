"""Sentiment (positive / neutral / negative) with a score, from the shipped linear model.

The model (``scripts/train_sentiment.py``) reads normalized text, so slang and negation are
already resolved: "gak jelek" becomes "tidak jelek", and the words after a negator carry their
own features. The score is the softmax probability of the chosen label.

An office may retrain the model with its officers' corrections (``pantau labels retrain``); the
analyzer then reads that model (:meth:`SentimentModel.configured`), and the shipped one stays
the fallback.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from pantau.settings import Settings
from pantau.text.features import TokenHashes
from pantau.text.linear import LinearModel

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

__all__ = ["RETRAINED_STEM", "SentimentModel", "retrained_stem"]

logger = logging.getLogger(__name__)

#: Where ``pantau labels retrain`` installs a model, under ``data_dir`` (``.npz`` + ``.json``).
RETRAINED_STEM = Path("models") / "sentiment"


def retrained_stem(settings: Settings) -> Path:
    """The stem of the office's retrained model: ``sentiment_model_path`` when set, else
    ``<data_dir>/models/sentiment``."""
    if settings.sentiment_model_path:
        return Path(settings.sentiment_model_path)
    return Path(settings.data_dir) / RETRAINED_STEM


class SentimentModel:
    """Batch sentiment classifier over hashed counts."""

    def __init__(self, model: LinearModel | None = None) -> None:
        self.model = model or LinearModel.load("sentiment")

    @classmethod
    def configured(cls, settings: Settings) -> SentimentModel:
        """The model this office uses, in order:

        1. the retrained model at :func:`retrained_stem`, when one is there and reads the
           shipped model's features (a model that cannot be read is logged and passed over,
           never fatal to the stream);
        2. the shipped model.
        """
        shipped = LinearModel.load("sentiment")
        stem = retrained_stem(settings)
        if not stem.with_suffix(".npz").exists():
            if settings.sentiment_model_path:
                logger.warning("no sentiment model at %s: using the shipped one", stem)
            return cls(shipped)
        try:
            model = LinearModel.read(stem)
        except (OSError, ValueError) as exc:
            logger.error("sentiment model %s unreadable, using the shipped one: %s", stem, exc)
            return cls(shipped)
        if model.featurizer != shipped.featurizer or model.classes != shipped.classes:
            logger.error(
                "sentiment model %s reads other features or classes (%s): using the shipped one",
                stem,
                model.classes,
            )
            return cls(shipped)
        logger.info("sentiment model retrained by the office: %s", stem)
        return cls(model)

    def predict(
        self,
        counts: csr_matrix,
        tfidf: csr_matrix | None = None,
        hashes: TokenHashes | None = None,
    ) -> list[dict[str, float | str]]:
        """``{label, score}`` per row of ``counts`` (from ``HashedFeaturizer.counts``;
        ``hashes``, the same batch's token hashes, for the word-vector view)."""
        proba = self.model.proba(counts, tfidf, hashes)
        top = proba.argmax(axis=1)
        return [
            {"label": self.model.classes[int(k)], "score": round(float(proba[i, k]), 4)}
            for i, k in enumerate(top)
        ]
