"""The precise sentiment tier against the fast path: SmSA valid and the cross-corpus pairs.

Run: ``OMP_NUM_THREADS=1 nice .venv/bin/python benchmarks/sentiment_precise.py [--seeds 3]``
(embeddings come from ``scripts/embed_cache.py``'s cache; the first run embeds ~20,000 texts,
about 30 CPU-minutes, later runs a few CPU-minutes for the fast recipe's fits).

Corpora as in ``benchmarks/sentiment_transfer.py``: SmSA (train -> valid), NusaX-senti
Indonesian (train+valid -> its unseen test texts), IndoLEM sentiment (5 folds) and EmoT as
polarity (IndoLEM and EmoT are scored only). A source is trained on seeded 80% subsamples,
every corpus is scored (macro-F1, mean ± standard deviation over the seeds; a binary corpus on
its positive and negative texts only) for three models: the fast path's recipe
(``sentiment_transfer``'s ``c1-views``), the encoder head alone (logistic regression on the
embeddings) and the precise tier as it reads (the mean of the two's probabilities). SmSA train,
EmoT and IndoLEM are read whole (``embed_cache.TRAIN_SHARE``, ``INDOLEM_SHARE``; a share under 1
is a seeded sample for a machine whose cache is not filled: the encoder reads ~12 texts per
CPU-second).
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_transfer as st  # noqa: E402
import train_sentiment as ts  # noqa: E402
from embed_cache import INDOLEM_SHARE, TRAIN_SHARE, embeddings, sample  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from train_precise import HEAD_C, fit_head, training_parts  # noqa: E402

from pantau.text import corpora  # noqa: E402
from pantau.text.normalize import normalize_tokens  # noqa: E402
from pantau.text.precise import HEAD_WEIGHT, PreciseHead  # noqa: E402
from pantau.text.sentiment import SentimentModel  # noqa: E402

INDOLEM_LABELS = {"0": "negative", "1": "positive"}


def _csv(path: Path, text: str, label: str) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r[text] for r in rows], [r[label] for r in rows]


def _emot_test() -> tuple[list[str], list[str]]:
    texts, labels = _csv(
        ts.DATA.parent / "emotion" / "emot" / "test_preprocess.csv", "tweet", "label"
    )
    return texts, [corpora.EMOT_POLARITY[y] for y in labels]


def _nusax_unseen() -> tuple[list[str], list[str]]:
    """NusaX Indonesian test texts in neither SmSA train nor NusaX train/valid (NusaX's
    Indonesian partly comes from SmSA)."""
    seen = corpora.smsa("train")[0] + corpora.nusax_indonesian("train")[0]
    seen += corpora.nusax_indonesian("valid")[0]
    known = {t.strip().lower() for t in seen}
    pairs = zip(*ts.nusax("indonesian", "test"), strict=True)
    kept = [(t, y) for t, y in pairs if t.strip().lower() not in known]
    return [t for t, _ in kept], [y for _, y in kept]


def _indolem(split: str, fold: int) -> tuple[list[str], list[str]]:
    texts, labels = _csv(ts.DATA / "indolem" / f"{split}{fold}.csv", "sentence", "sentiment")
    return texts, [INDOLEM_LABELS[y] for y in labels]


def _indolem_test() -> tuple[list[str], list[str]]:
    """The five test folds: every IndoLEM text once."""
    texts: list[str] = []
    labels: list[str] = []
    for fold in range(5):
        t, y = _indolem("test", fold)
        texts += t
        labels += y
    return texts, labels


Labelled = Callable[[], tuple[list[str], list[str]]]
# Every labelled split this benchmark and scripts/train_precise.py read, named as cached.
CORPORA: dict[str, Labelled] = {
    "smsa_valid": lambda: corpora.smsa("valid"),
    "nusax_train": lambda: corpora.nusax_indonesian("train"),
    "nusax_valid": lambda: corpora.nusax_indonesian("valid"),
    "nusax_unseen": _nusax_unseen,
    "smsa_train": lambda: corpora.smsa("train"),
    "emot_train": corpora.emot_polarity,
    "emot_test": _emot_test,
    "negation": corpora.negation_examples,
    "indolem_test": _indolem_test,
}
CORPUS_TEXTS: dict[str, Callable[[], list[str]]] = {
    name: (lambda read=read: read()[0]) for name, read in CORPORA.items()
}


RESULTS = ROOT / "benchmarks" / "results" / "precise.md"
CLASSES = ts.CLASSES


@dataclass
class Split:
    """Labelled texts with their embeddings and normalized tokens (for the fast recipe)."""

    texts: list[str]
    labels: np.ndarray
    vectors: np.ndarray
    docs: list[list[str]]
    weights: np.ndarray
    binary: bool = False

    def subset(self, keep: np.ndarray) -> Split:
        idx = np.flatnonzero(keep)
        return Split(
            [self.texts[i] for i in idx],
            self.labels[idx],
            self.vectors[idx],
            [self.docs[i] for i in idx],
            self.weights[idx],
            self.binary,
        )


def _split(name: str, texts: list[str], labels: list[str], weight: float = 1.0) -> Split:
    return Split(
        texts,
        np.array(labels),
        embeddings(name, texts),
        [normalize_tokens(t) for t in texts],
        np.full(len(texts), weight),
        binary=name in ("emot_test", "indolem_test"),
    )


def _concat(parts: list[Split]) -> Split:
    return Split(
        [t for p in parts for t in p.texts],
        np.concatenate([p.labels for p in parts]),
        np.vstack([p.vectors for p in parts]),
        [d for p in parts for d in p.docs],
        np.concatenate([p.weights for p in parts]),
    )


def load(
    emot_weight: float = corpora.EMOT_WEIGHT,
) -> tuple[dict[str, Split], dict[str, Split]]:
    """Sources (training texts; EmoT in the mixture at ``emot_weight``) and targets (scored
    texts), embedded through the cache."""
    parts = {
        name: _split(name, *data, weight) for name, data, weight in training_parts(emot_weight)
    }
    sources = {
        "SmSA": parts["smsa_train"],
        "NusaX-id": _concat([parts["nusax_train"], parts["nusax_valid"]]),
        "shipped mixture": _concat(list(parts.values())),
    }
    indolem = _indolem_test()
    keep = sample(list(range(len(indolem[0]))), INDOLEM_SHARE)
    targets = {
        "SmSA valid": _split("smsa_valid", *corpora.smsa("valid")),
        "NusaX-id unseen": _split("nusax_unseen", *_nusax_unseen()),
        "IndoLEM": _split(
            "indolem_test", [indolem[0][i] for i in keep], [indolem[1][i] for i in keep]
        ),
        "EmoT test": _split("emot_test", *_emot_test()),
    }
    return sources, targets


def score(decisions: np.ndarray, classes: list[str], target: Split, binary: bool) -> float:
    """Macro-F1; a binary side (source or target) is scored on positive vs negative texts."""
    full = np.full((len(target.labels), len(CLASSES)), -np.inf)
    for j, name in enumerate(classes):
        full[:, CLASSES.index(name)] = decisions[:, j]
    if binary or target.binary:
        keep = target.labels != "neutral"
        pick = full[keep][:, [0, 2]]
        pred = np.array(["negative", "positive"])[pick.argmax(1)]
        return float(f1_score(target.labels[keep], pred, average="macro"))
    return float(f1_score(target.labels, np.array(CLASSES)[full.argmax(1)], average="macro"))


Model = Callable[[Split], np.ndarray]


def precise_model(train: Split, c: float) -> tuple[Model, list[str]]:
    head = fit_head(train.vectors, train.labels, train.weights, c)
    return (lambda t: head.proba(t.vectors)), head.classes


def fast_model(train: Split) -> tuple[Model, list[str]]:
    """The fast path's recipe; its decisions as probabilities with the shipped temperature."""
    decide = st.VARIANTS["c1-views"](train.docs, train.labels, train.weights)
    temperature = SentimentModel().model.temperature

    def proba(t: Split) -> np.ndarray:
        z = decide(t.docs) * temperature
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    return proba, CLASSES


def blend(head: Model, fast: Model) -> Model:
    """The tier as it reads: the mean of the head's and the fast recipe's probabilities."""
    return lambda t: HEAD_WEIGHT * head(t) + (1 - HEAD_WEIGHT) * fast(t)


MODELS = ("fast (hashed TF-IDF SVM)", "e5 head alone", "precise tier (mean of both)")


def pairs(sources: dict[str, Split], targets: dict[str, Split], seeds: int, c: float) -> str:
    """Each source x target, the three models (the tier from the same run's two fits), mean ± sd
    of macro-F1 over seeded 80% subsamples."""
    names = list(targets)
    lines = [
        "| model | trained on | " + " | ".join(names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for source_name, source in sources.items():
        binary = len(set(source.labels)) == 2
        scores: dict[str, dict[str, list[float]]] = {m: {n: [] for n in names} for m in MODELS}
        for seed in range(seeds):
            keep = np.random.default_rng(seed).random(len(source.labels)) < 0.8
            train = source.subset(keep)
            head, classes = precise_model(train, c)
            if classes != CLASSES:
                raise ValueError(f"a source with classes {classes} cannot be blended")
            fast, _ = fast_model(train)
            models = dict(zip(MODELS, (fast, head, blend(head, fast)), strict=True))
            for label, model in models.items():
                for name, target in targets.items():
                    scores[label][name].append(score(model(target), CLASSES, target, binary))
        for label in MODELS:
            cells = [f"{np.mean(v):.3f} ± {np.std(v):.3f}" for v in scores[label].values()]
            lines.append(f"| {label} | {source_name} | " + " | ".join(cells) + " |")
            print(lines[-1], flush=True)
    return "\n".join(lines)


def grid(sources: dict[str, Split], values: list[float]) -> str:
    """5-fold cross-validated macro-F1 of the head on the shipped mixture's gold texts (SmSA and
    NusaX; EmoT and the negation sentences are learned, not scored), per C."""
    from sklearn.model_selection import StratifiedKFold

    data = sources["shipped mixture"]
    # The mixture starts with the gold texts (training_parts' order): SmSA, then NusaX.
    gold = len(sources["SmSA"].labels) + len(sources["NusaX-id"].labels)
    scored = np.arange(len(data.labels)) < gold
    lines = ["| C | cross-validated macro-F1 |", "|---|---|"]
    for c in values:
        pred = np.empty(len(data.labels), dtype=object)
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        for train, test in folds.split(data.vectors, data.labels):
            head = fit_head(data.vectors[train], data.labels[train], data.weights[train], c)
            pred[test] = np.array(head.classes)[head.proba(data.vectors[test]).argmax(1)]
        f1 = f1_score(data.labels[scored], pred[scored].astype(str), average="macro")
        lines.append(f"| {c:g} | {f1:.4f} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def shipped(targets: dict[str, Split]) -> str:
    """The shipped models on each scored corpus: the fast model, the head alone and the tier."""
    head, fast = PreciseHead.shipped(), SentimentModel().model
    lines = ["| shipped model | " + " | ".join(targets) + " |", "|---|" + "---|" * len(targets)]
    rows: dict[str, list[str]] = {"fast model": [], "e5 head alone": [], "precise tier": []}
    for target in targets.values():
        pf = fast.proba_of(target.docs)
        pe = head.proba(target.vectors)
        tier = HEAD_WEIGHT * pe + (1 - HEAD_WEIGHT) * pf
        for label, p in zip(rows, (pf, pe, tier), strict=True):
            rows[label].append(f"{score(p, head.classes, target, False):.3f}")
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows.items()]
    print("\n".join(lines))
    return "\n".join(lines)


def _fast_smsa_valid() -> float:
    """The shipped fast model's SmSA valid macro-F1, as its provenance records it."""
    return float((SentimentModel().model.meta or {}).get("smsa_valid_macro_f1", "nan"))


def _shares() -> str:
    def share(value: float) -> str:
        return "read whole" if value >= 1 else f"a seeded share of {value:.0%}"

    return (
        f"SmSA train and EmoT train: {share(TRAIN_SHARE)} (the head's, "
        f"`embed_cache.TRAIN_SHARE`); IndoLEM: {share(INDOLEM_SHARE)}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--c", type=float, default=HEAD_C)
    parser.add_argument("--grid", type=float, nargs="*", help="cross-validate these C values")
    parser.add_argument(
        "--emot-weight",
        type=float,
        default=corpora.EMOT_WEIGHT,
        help="EmoT's weight in the mixture (for --grid and the pairs)",
    )
    parser.add_argument("--shipped", action="store_true", help="score the shipped models only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sources, targets = load(args.emot_weight)
    if args.grid:
        grid(sources, args.grid)
        return
    if args.shipped:
        text = RESULTS.read_text("utf-8")
        cut = text.find("\n## Shipped models")
        RESULTS.write_text(
            (text if cut < 0 else text[:cut]).rstrip()
            + "\n\n## Shipped models (`--shipped`)\n\n"
            + shipped(targets)
            + "\n",
            "utf-8",
        )
        return
    table = pairs(sources, targets, args.seeds, args.c)
    sizes = ", ".join(f"{n} {len(t.labels)}" for n, t in targets.items())
    RESULTS.write_text(
        "# Precise sentiment tier against the fast path\n\n"
        f"`benchmarks/sentiment_precise.py --seeds {args.seeds}`: macro-F1, mean ± standard "
        f"deviation over {args.seeds} seeded 80% subsamples of each training set. Scored: "
        f"{sizes} texts (IndoLEM and EmoT binary: positive vs negative). {_shares()} The "
        f"shipped fast model scores SmSA valid {_fast_smsa_valid():.3f}.\n\n"
        f"{table}\n",
        "utf-8",
    )


if __name__ == "__main__":
    main()
