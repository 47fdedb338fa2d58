"""Do the sentiment scores mean probabilities? Reliability of the shipped models on each corpus.

Run: ``PANTAU_EMBED_CACHE=DIR OMP_NUM_THREADS=1 nice .venv/bin/python
benchmarks/sentiment_calibration.py [--no-tier]``

The scoring splits of ``benchmarks/sentiment_transfer.py`` (SmSA valid, NusaX-id unseen, IndoLEM
all five test folds, EmoT test), read by the shipped fast model and (unless ``--no-tier``, which
needs every text's embedding in the cache) by the precise tier. Per corpus: macro-F1 as the pairs
score it, the mean score of the predicted label (confidence), the accuracy, and the expected
calibration error (ECE, :func:`pantau.text.training.calibration_error`: the gap between
confidence and accuracy in ten equal-width bins, weighted by their share of the texts). A binary
corpus (IndoLEM, EmoT) is read as it is scored: positive vs negative, the two probabilities
renormalized.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_transfer as st  # noqa: E402
import train_sentiment as ts  # noqa: E402

from pantau.text.precise import HEAD_WEIGHT, PreciseHead  # noqa: E402
from pantau.text.sentiment import SentimentModel  # noqa: E402
from pantau.text.training import calibration_error  # noqa: E402


def reliability(proba: np.ndarray, gold: np.ndarray, binary: bool) -> tuple[float, float, float]:
    """(confidence, accuracy, ECE) of ``proba`` (columns ts.CLASSES) against ``gold``."""
    classes = np.array(ts.CLASSES)
    if binary:
        keep = gold != "neutral"
        proba, gold, classes = proba[keep][:, [0, 2]], gold[keep], classes[[0, 2]]
        proba = proba / proba.sum(axis=1, keepdims=True)
    index = np.array([list(classes).index(g) for g in gold])
    correct = proba.argmax(axis=1) == index
    return float(proba.max(axis=1).mean()), float(correct.mean()), calibration_error(proba, index)


def _fixed(proba: np.ndarray) -> st.Decide:
    """A :data:`~sentiment_transfer.Decide` that answers ``proba`` (already read)."""
    return lambda _docs: proba


def table(corpora: list[st.Corpus], tier: bool) -> str:
    fast = SentimentModel().model
    order = [fast.classes.index(c) for c in ts.CLASSES]
    head = PreciseHead.shipped() if tier else None
    lines = [
        "| model | corpus | macro-F1 | confidence | accuracy | ECE |",
        "|---|---|---|---|---|---|",
    ]
    for corpus in corpora:
        docs, gold = corpus.test
        models = {"fast (shipped)": fast.proba_of(docs)[:, order]}
        if head is not None:
            from embed_cache import cached_anywhere

            e5 = head.proba(cached_anywhere("teacher", corpus.texts["test"]))
            e5 = e5[:, [head.classes.index(c) for c in ts.CLASSES]]
            models["precise tier"] = HEAD_WEIGHT * e5 + (1 - HEAD_WEIGHT) * models["fast (shipped)"]
        for name, proba in models.items():
            f1 = st.score(_fixed(proba), corpus, False)
            conf, acc, ece = reliability(proba, gold, corpus.binary)
            lines.append(
                f"| {name} | {corpus.name} | {f1:.3f} | {conf:.3f} | {acc:.3f} | {ece:.3f} |"
            )
            print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-tier", action="store_true", help="the fast model only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    table(st.load_corpora(), not args.no_tier)


if __name__ == "__main__":
    main()
