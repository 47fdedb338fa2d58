"""Variants of how the sentiment SVM is fitted over the two feature blocks (words, characters).

Each variant gets the shipped recipe's texts, weights and class offsets (5-fold CV on SmSA +
NusaX) and is scored on SmSA valid, the NusaX Indonesian test texts seen in no training split,
IndoLEM (all 5 test folds) and EmoT test (both positive vs negative); the table is in
``benchmarks/results/text.md`` ("Two views"). Reads ``../shared/data`` (``PANTAU_CORPORA``).

Run: ``.venv/bin/python scripts/train_sentiment_views.py`` (about a minute of CPU per variant).
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import train_sentiment as ts  # noqa: E402

from pantau.text.corpora import shipped_training_set, smsa  # noqa: E402
from pantau.text.linear import LinearModel  # noqa: E402
from pantau.text.normalize import normalize_tokens  # noqa: E402
from pantau.text.training import BIAS_RANGE, BIAS_STEP  # noqa: E402

CLASSES = np.array(ts.CLASSES)
SHIPPED = LinearModel.load("sentiment")
FEAT = SHIPPED.featurizer
UNSEEN = (
    ROOT / "tests" / "text" / "data" / "corpora" / "nusax" / "indonesian" / "test_unseen_ids.txt"
)
# (X train, y, weights, X test) -> decision values of the test rows, one column per class.
Fit = Callable[[csr_matrix, np.ndarray, np.ndarray, csr_matrix], np.ndarray]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def scoring_sets() -> dict[str, tuple[list[str], list[str]]]:
    unseen = set(UNSEEN.read_text().split())
    nusax = [r for r in _rows(ts.DATA / "nusax" / "indonesian" / "test.csv") if r["id"] in unseen]
    indolem = [r for k in range(5) for r in _rows(ts.DATA / "indolem" / f"test{k}.csv")]
    emot = _rows(ts.DATA.parent / "emotion" / "emot" / "test_preprocess.csv")
    return {
        "SmSA valid": smsa("valid"),
        "NusaX unseen": ([r["text"] for r in nusax], [r["label"] for r in nusax]),
        "IndoLEM": (
            [r["sentence"] for r in indolem],
            ["positive" if r["sentiment"] == "1" else "negative" for r in indolem],
        ),
        "EmoT test": ([r["tweet"] for r in emot], [ts.EMOT_POLARITY[r["label"]] for r in emot]),
    }


def tfidf(texts: list[str], word_scale: float = 1.0) -> csr_matrix:
    x = FEAT.weight(FEAT.counts([normalize_tokens(t) for t in texts]), SHIPPED.idf)
    if word_scale != 1.0:
        x.data = np.where(x.indices < FEAT.width, x.data * word_scale, x.data).astype(np.float32)
    return x


def joint(c: float = 1.0) -> Fit:
    def fit(x: csr_matrix, y: np.ndarray, w: np.ndarray, xt: csr_matrix) -> np.ndarray:
        svm = LinearSVC(C=c, class_weight="balanced").fit(x, y, sample_weight=w)
        return np.asarray(svm.decision_function(xt))

    return fit


def views(with_joint: bool = False, c_word: float = 1.0, c_char: float = 1.0) -> Fit:
    """One SVM per block (and the joint one), each divided by its spread on the training texts."""

    def fit(x: csr_matrix, y: np.ndarray, w: np.ndarray, xt: csr_matrix) -> np.ndarray:
        blocks = [(np.arange(FEAT.width), c_word), (np.arange(FEAT.width, FEAT.n_features), c_char)]
        blocks += [(np.arange(FEAT.n_features), 1.0)] if with_joint else []
        out = np.zeros((xt.shape[0], len(CLASSES)))
        for cols, c in blocks:
            svm = LinearSVC(C=c, class_weight="balanced").fit(x[:, cols], y, sample_weight=w)
            spread = np.std(svm.decision_function(x[:, cols]))
            out += svm.decision_function(xt[:, cols]) / spread
        return out / len(blocks)

    return fit


def offsets(dec: np.ndarray, gold: np.ndarray) -> tuple[float, np.ndarray]:
    """The class offsets with the best macro-F1 of cross-validated decisions (the recipe's)."""
    grid = np.round(np.arange(-BIAS_RANGE, BIAS_RANGE + 1e-9, BIAS_STEP), 3)
    best = (f1_score(gold, CLASSES[dec.argmax(1)], average="macro"), np.zeros(3))
    for b_neg in grid:
        for b_neu in grid:
            shift = np.array([b_neg, b_neu, 0.0])
            score = f1_score(gold, CLASSES[(dec + shift).argmax(1)], average="macro")
            if score > best[0]:
                best = (score, shift)
    return best


def main() -> None:
    data = shipped_training_set()
    sets = scoring_sets()
    variants: dict[str, tuple[Fit, float]] = {
        "one SVM over both blocks": (joint(), 1.0),
        "word block x1.3": (joint(), 1.3),
        "word block x0.75": (joint(), 0.75),
        "word SVM + char SVM (shipped)": (views(), 1.0),
        "word + char + joint SVM": (views(with_joint=True), 1.0),
        "word SVM C 0.5 + char SVM": (views(c_word=0.5), 1.0),
        "word SVM + char SVM C 0.5": (views(c_char=0.5), 1.0),
    }
    print("| variant | CV SmSA + NusaX | " + " | ".join(sets) + " | CPU s |")
    print("|---|---|" + "---|" * (len(sets) + 1))
    y, w = np.array(data.labels), data.weights
    for name, (fit, scale) in variants.items():
        start = time.process_time()
        x = tfidf(data.texts, scale)
        dec = np.zeros((len(y), len(CLASSES)))
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
            dec[test] = fit(x[train], y[train], w[train], x[test])
        cv, shift = offsets(dec[data.scored], y[data.scored])
        cells = []
        for texts, gold in sets.values():
            out = fit(x, y, w, tfidf(texts, scale)) + shift
            if "neutral" not in gold:  # a binary corpus: the larger of its two classes
                pred = CLASSES[[0, 2]][out[:, [0, 2]].argmax(1)]
            else:
                pred = CLASSES[out.argmax(1)]
            cells.append(f"{f1_score(gold, pred, average='macro'):.4f}")
        cost = time.process_time() - start
        print(f"| {name} | {cv:.4f} | " + " | ".join(cells) + f" | {cost:.0f} |", flush=True)


if __name__ == "__main__":
    main()
