"""Is the precise tier worth distilling? Its encoder head against the fast path, across corpora.

Run: ``PANTAU_EMBED_CACHE=DIR OMP_NUM_THREADS=1 nice .venv/bin/python
benchmarks/sentiment_teacher.py [--seeds 3]``

The pairs of ``benchmarks/sentiment_transfer.py`` (same corpora, same runs: a seeded 80%
subsample of each source's training split, IndoLEM its folds; every corpus scored, a binary side
on its positive and negative texts), for three models fitted on the same texts of each run:

- ``fast``: the shipped recipe (``c1-views-vec-nb``: hashed word and character views, the word
  view as NBSVM, plus the word-vector view), its decisions as probabilities at the shipped
  temperature;
- ``teacher``: the precise tier's head (``scripts/train_precise.py``'s class-balanced logistic
  regression at ``HEAD_C``) on multilingual-e5-small embeddings;
- ``tier``: the mean of the two's probabilities (``pantau.text.precise.HEAD_WEIGHT``), as the
  precise tier reads.

Every text is read through the embedding cache (``scripts/embed_cache.py``'s ``cached_anywhere``);
the encoder reads ~12 texts per CPU-second here, so fill it first: all of SmSA, NusaX, EmoT and
IndoLEM are ~22,000 texts. The distillation step is worth taking only if the teacher transfers
clearly better than the fast path.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_transfer as st  # noqa: E402
import train_sentiment as ts  # noqa: E402
from embed_cache import cached_anywhere  # noqa: E402
from train_precise import fit_head  # noqa: E402

from pantau.text.precise import HEAD_WEIGHT  # noqa: E402
from pantau.text.sentiment import SentimentModel  # noqa: E402

FAST_VARIANT = "c1-views-vec-nb"  # the shipped recipe since 2026-12-07
MODELS = ("fast", "teacher", "tier")

# (docs, texts, vectors) of a split -> probabilities per ts.CLASSES column.
Proba = Callable[[list[list[str]], np.ndarray], np.ndarray]


def _full(proba: np.ndarray, classes: list[str]) -> np.ndarray:
    """Probabilities of ``classes`` spread over ts.CLASSES (a class a source lacks: 0)."""
    out = np.zeros((len(proba), len(ts.CLASSES)))
    for j, name in enumerate(classes):
        out[:, ts.CLASSES.index(name)] = proba[:, j]
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def fit_models(
    docs: list[list[str]], vectors: np.ndarray, y: np.ndarray, temperature: float
) -> dict[str, Proba]:
    """The three models of the module docstring, fitted on one run's texts."""
    decide = st.VARIANTS[FAST_VARIANT](docs, y, None)
    head = fit_head(vectors, y)

    def fast(d: list[list[str]], _v: np.ndarray) -> np.ndarray:
        return softmax(decide(d) * temperature)  # a class the source lacks: -inf, so 0

    def teacher(_d: list[list[str]], v: np.ndarray) -> np.ndarray:
        return _full(head.proba(v), head.classes)

    def tier(d: list[list[str]], v: np.ndarray) -> np.ndarray:
        return HEAD_WEIGHT * teacher(d, v) + (1 - HEAD_WEIGHT) * fast(d, v)

    return {"fast": fast, "teacher": teacher, "tier": tier}


def _score(proba: np.ndarray, target: st.Corpus, binary: bool) -> float:
    return st.score(lambda _docs: np.log(np.maximum(proba, 1e-12)), target, binary)


Run = tuple[list[list[str]], np.ndarray, np.ndarray]  # one run's docs, labels and vectors
Scored = tuple[st.Corpus, list[list[str]], np.ndarray]  # a scored corpus, its docs and vectors


def _runs(source: st.Corpus, seeds: int) -> list[Run]:
    """The training texts of each of ``source``'s runs, with their embeddings."""
    out = []
    for k, (split, keep) in enumerate(st.run_splits(source, seeds)):
        docs, y = st.runs(source, k + 1)[k]
        texts = [t for t, kept in zip(source.texts[split], keep, strict=True) if kept]
        out.append((docs, y, cached_anywhere("teacher", texts)))
    return out


def _scored(
    corpora: list[st.Corpus], source: st.Corpus, k: int, vectors: dict[str, np.ndarray]
) -> list[Scored]:
    """Every corpus as run ``k`` of ``source`` scores it (IndoLEM on itself: that fold's test)."""
    out = []
    for target in corpora:
        if target is source and source.folds:
            fold = st.Corpus(target.name, target.train, source.folds[k][1], True, [])
            out.append((fold, fold.test[0], cached_anywhere("teacher", source.texts[f"test{k}"])))
        else:
            out.append((target, target.test[0], vectors[target.name]))
    return out


def _cells(scores: dict[str, list[float]]) -> str:
    return " | ".join(f"{np.mean(s):.3f} ± {np.std(s):.3f}" for s in scores.values())


def pairs(corpora: list[st.Corpus], seeds: int) -> str:
    """Each source x scored corpus x model: mean ± sd of macro-F1 over the runs."""
    temperature = SentimentModel().model.temperature
    names = [c.name for c in corpora]
    test_vectors = {c.name: cached_anywhere("teacher", c.texts["test"]) for c in corpora}
    lines = [
        "| source | model | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for source in corpora:
        scores: dict[str, dict[str, list[float]]] = {m: {n: [] for n in names} for m in MODELS}
        for k, (docs, y, vectors) in enumerate(_runs(source, seeds)):
            models = fit_models(docs, vectors, y, temperature)
            for target, test_docs, test_vec in _scored(corpora, source, k, test_vectors):
                for m, model in models.items():
                    proba = model(test_docs, test_vec)
                    scores[m][target.name].append(_score(proba, target, source.binary))
        for m in MODELS:
            lines.append(f"| {source.name} | {m} | {_cells(scores[m])} |")
            print(lines[-1], flush=True)
    return "\n".join(lines)


def head_grid(corpora: list[st.Corpus], seeds: int, values: list[float]) -> str:
    """The head alone (no fast recipe to fit: a minute) at each C, on every pair; the mean of
    the 12 cross-corpus pairs (a source scored on another corpus) says which C transfers."""
    names = [c.name for c in corpora]
    test_vectors = {c.name: cached_anywhere("teacher", c.texts["test"]) for c in corpora}
    lines = ["| source | C | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    cross: dict[float, list[float]] = {c: [] for c in values}
    for source in corpora:
        scores = {c: {n: [] for n in names} for c in values}
        for k, (_docs, y, vectors) in enumerate(_runs(source, seeds)):
            for c in values:
                head = fit_head(vectors, y, c=c)
                for target, _test_docs, test_vec in _scored(corpora, source, k, test_vectors):
                    proba = _full(head.proba(test_vec), head.classes)
                    scores[c][target.name].append(_score(proba, target, source.binary))
        for c in values:
            cross[c] += [float(np.mean(v)) for n, v in scores[c].items() if n != source.name]
            lines.append(f"| {source.name} | {c:g} | {_cells(scores[c])} |")
            print(lines[-1], flush=True)
    for c, means in cross.items():
        lines.append(f"C {c:g}: mean of the {len(means)} cross-corpus pairs {np.mean(means):.4f}")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--head-grid", type=float, nargs="*", help="the head alone at these C values (transfer)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.head_grid:
        head_grid(st.load_corpora(), args.seeds, args.head_grid)
        return
    pairs(st.load_corpora(), args.seeds)


if __name__ == "__main__":
    main()
