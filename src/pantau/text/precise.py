"""The precise sentiment tier: a head trained here on a multilingual sentence encoder.

The fast path (:mod:`pantau.text.sentiment`) reads every mention at thousands per CPU-second;
this tier reads what officers read (mentions of issues that are emerging or hotter, and the
reports' samples) at tens per CPU-second. Its head is a multinomial logistic regression
(``scripts/train_precise.py``) over the embeddings of :mod:`pantau.text.encoder`, shipped as
``models/precise_sentiment.{npz,json}`` with its provenance; a reading is the mean of the head's
and the fast model's probabilities, so scores are probabilities like the fast path's.

>>> tier = PreciseSentiment.load()
>>> tier is None or tier.predict(["pelayanannya buruk sekali, saya kecewa"])[0].label
'negative'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from pantau.records import Enrichment
from pantau.settings import Settings, get_settings
from pantau.text.encoder import DIM, ENCODER_NAME, Encoder, load_encoder
from pantau.text.normalize import normalize_tokens
from pantau.text.sentiment import SentimentModel

__all__ = [
    "FAST",
    "OFFICER",
    "PRECISE",
    "TIERS",
    "PreciseHead",
    "PreciseSentiment",
    "Reading",
    "shared_tier",
]

logger = logging.getLogger(__name__)

#: Which tier read a mention's stored sentiment.
FAST = "fast"
PRECISE = "precise"
#: An officer corrected it (``pantau.workflow.corrections.relabel``): no tier reads it again.
OFFICER = "officer"
TIERS = (FAST, PRECISE, OFFICER)
HEAD = "precise_sentiment"
# Weight of the encoder head's probabilities against the fast model's: equal, not tuned. On
# SmSA valid the mean scores 0.879 against 0.868 for the fast model and 0.827 for the head
# alone (trained on a quarter of SmSA train; benchmarks/results/precise.md); weights 0.3 and
# 0.7 were looked at there too (0.878, 0.862) and the untuned mean kept.
HEAD_WEIGHT = 0.5


@dataclass(frozen=True)
class Reading:
    """One text's sentiment by the precise tier."""

    label: str
    score: float


@dataclass
class PreciseHead:
    """``softmax(embedding @ coef + intercept)`` over ``classes``."""

    classes: list[str]
    coef: np.ndarray  # (DIM, n_classes) float32
    intercept: np.ndarray  # (n_classes,) float32
    meta: dict[str, Any]

    def proba(self, vectors: np.ndarray) -> np.ndarray:
        z = vectors @ self.coef + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def save(self, stem: Any) -> None:
        """Write ``stem.npz`` (weights) and ``stem.json`` (classes, encoder, provenance)."""
        np.savez_compressed(
            stem.with_suffix(".npz"),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
        )
        info = {"classes": self.classes, "encoder": ENCODER_NAME, "meta": self.meta}
        stem.with_suffix(".json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def shipped(cls) -> PreciseHead:
        """The head shipped in ``pantau/text/models``; raises ``ValueError`` when it was trained
        on another encoder than the one this code reads with."""
        base = resources.files("pantau.text") / "models"
        info = json.loads((base / f"{HEAD}.json").read_text(encoding="utf-8"))
        if info.get("encoder") != ENCODER_NAME:
            raise ValueError(f"{HEAD}: trained on {info.get('encoder')!r}, not {ENCODER_NAME!r}")
        with (base / f"{HEAD}.npz").open("rb") as fh, np.load(fh) as arrays:
            coef, intercept = arrays["coef"], arrays["intercept"]
        if coef.shape != (DIM, len(info["classes"])):
            raise ValueError(f"{HEAD}: weights of shape {coef.shape}")
        return cls(list(info["classes"]), coef, intercept, dict(info.get("meta") or {}))


class PreciseSentiment:
    """The encoder's head and the fast model together: texts in, :class:`Reading` out.

    The reading is the mean of the two models' probabilities (:data:`HEAD_WEIGHT`): two views
    of a text, one from a multilingual encoder and one from Indonesian word and character
    features, each wrong in other places.
    """

    def __init__(self, encoder: Encoder, head: PreciseHead, fast: SentimentModel) -> None:
        if fast.model.classes != head.classes:
            raise ValueError(f"classes differ: {fast.model.classes} vs {head.classes}")
        self.encoder = encoder
        self.head = head
        self.fast = fast

    @classmethod
    def load(cls, settings: Settings | None = None) -> PreciseSentiment | None:
        """The tier with this office's fast model, or ``None`` when the encoder cannot be loaded
        on this install (logged once by :func:`~pantau.text.encoder.load_encoder`): the fast
        path's reading stands."""
        encoder = load_encoder()
        if encoder is None:
            return None
        fast = SentimentModel.configured(settings or get_settings())
        return cls(encoder, PreciseHead.shipped(), fast)

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities of ``head.classes`` per text."""
        docs = [normalize_tokens(t) for t in texts]
        fast = self.fast.model.proba_of(docs)
        head = self.head.proba(self.encoder.embed(texts))
        return np.asarray(HEAD_WEIGHT * head + (1.0 - HEAD_WEIGHT) * fast)

    def reread(self, enrichments: Sequence[Enrichment], texts: Sequence[str]) -> None:
        """Read ``texts`` again and put the readings on their ``enrichments`` (the fast one kept
        beside): ``pantau analyze --precise``."""
        for e, reading in zip(enrichments, self.predict(texts), strict=True):
            e.sentiment_fast, e.sentiment_fast_score = e.sentiment, e.sentiment_score
            e.sentiment, e.sentiment_score = reading.label, reading.score
            e.sentiment_tier = PRECISE

    def predict(self, texts: Sequence[str]) -> list[Reading]:
        """The reading of each text, in order."""
        if not texts:
            return []
        proba = self.proba(texts)
        top = proba.argmax(axis=1)
        return [
            Reading(self.head.classes[int(k)], round(float(proba[i, k]), 4))
            for i, k in enumerate(top)
        ]


_shared: PreciseSentiment | None = None
_shared_tried = False


def shared_tier() -> PreciseSentiment | None:
    """The process-wide tier for occasional readers (the reports' samples), loaded once;
    ``None`` on an install without the encoder (tried once, not again at every report)."""
    global _shared, _shared_tried
    if not _shared_tried:
        _shared_tried = True
        _shared = PreciseSentiment.load()
    return _shared
