"""The fast model taught by the precise tier's head: gold labels plus the teacher's soft labels.

Run: ``PANTAU_EMBED_CACHE=DIR OMP_NUM_THREADS=1 nice .venv/bin/python
benchmarks/sentiment_distill.py [--seeds 3] [--weights 0.3 1] [--soft aug kd local local-gold]
[--sources SmSA NusaX-id EmoT mixture] [--made-from CORPUS ...] [--teacher head|tier]
[--local-test] [--no-baseline]``
after ``scripts/distill_sentiment.py augment`` (the augmented texts and their embeddings).

The pairs of ``benchmarks/sentiment_transfer.py`` from each permissive source (SmSA, NusaX-id,
EmoT: what a shipped model may learn from) and the shipped mixture (SmSA + NusaX + EmoT at its
weight), the same runs (seeded 80% subsamples). In each run the teacher (the precise head,
``scripts/train_precise.py``'s ``fit_head``) is fitted on the run's gold texts only, and the
student (the shipped fast recipe, ``c1-views-vec-nb``) on those gold texts plus soft texts:

- ``aug``: the augmented copies (``scripts/distill_sentiment.py``) of the run's own training
  texts, labelled by the teacher;
- ``local`` / ``local-gold``: NusaX-senti's ten local-language train + valid lines whose
  Indonesian original is among the run's texts (the corpus is parallel), labelled by the
  teacher's reading of the original / by the original's gold label (``--local-test`` also scores
  NusaX test in each local language);
- ``relabel``: a part with two mapped classes (EmoT's emotions as polarity, in the mixture)
  learns the cross-fitted teacher's three classes in place of its gold labels;
- ``kd``: the run's gold texts again, labelled by the teacher cross-fitted (5 folds: a text's
  soft label comes from a teacher that never saw it).

A soft text is one row per class the teacher gives at least :data:`MIN_SOFT`, weighted by that
probability times the soft weight (``--weights``). Every corpus is scored, as in the pairs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sentiment_transfer as st  # noqa: E402
from distill_sentiment import AUGMENTED  # noqa: E402
from distill_wordvectors import NUSAX_REGIONAL, _nusax_rows, nusax_regional  # noqa: E402
from embed_cache import cached_anywhere  # noqa: E402
from sentiment_teacher import FAST_VARIANT, softmax  # noqa: E402
from train_precise import fit_head  # noqa: E402

from pantau.text.corpora import EMOT_WEIGHT  # noqa: E402
from pantau.text.normalize import normalize_tokens  # noqa: E402
from pantau.text.precise import HEAD_WEIGHT  # noqa: E402
from pantau.text.sentiment import SentimentModel  # noqa: E402

TEMPERATURE = SentimentModel().model.temperature  # the fast recipe's decisions as probabilities

CORPUS_OF = {"SmSA": "smsa_train", "NusaX-id": "nusax", "EmoT": "emot_train"}
# A class the teacher gives less than this is no row of a soft text (a probability that small
# moves a hinge loss by nothing; a third of the rows are saved).
MIN_SOFT = 0.1
# The shipped mixture's gold corpora (EmoT at its weight).
MIXTURE = ["SmSA", "NusaX-id", "EmoT"]


def oof_proba(x: np.ndarray, y: np.ndarray, w: np.ndarray, folds: int = 5) -> np.ndarray:
    """The teacher's probabilities of each training text from a teacher fitted without it."""
    from sklearn.model_selection import StratifiedKFold

    classes = sorted(set(y))
    out = np.zeros((len(y), len(classes)))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        head = fit_head(x[train], y[train], w[train])
        out[test] = head.proba(x[test])[:, [head.classes.index(c) for c in classes]]
    return out


def soft_rows(
    docs: list[list[str]], proba: np.ndarray, classes: list[str], weights: np.ndarray
) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """Soft labels as rows a weighted classifier learns from: one row per text and class the
    teacher gives at least :data:`MIN_SOFT`, at that probability times the text's weight."""
    rows, cols = np.nonzero((proba >= MIN_SOFT) & (weights[:, None] > 0))
    return [docs[i] for i in rows], np.array(classes)[cols], proba[rows, cols] * weights[rows]


def load_augmented(made_from: list[str] | None = None) -> dict[str, list[dict[str, str]]]:
    """The augmented rows by their original text (``made_from``: of those corpora only)."""
    out: dict[str, list[dict[str, str]]] = {}
    with AUGMENTED.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if made_from is None or row["corpus"] in made_from:
                out.setdefault(row["origin"], []).append(row)
    return out


def local_lines() -> dict[str, list[str]]:
    """NusaX-senti's ten local-language train + valid lines by their Indonesian original (the
    corpus is parallel: the same split and id in each language)."""
    indonesian = {key: text for text, key in _nusax_rows("indonesian")}
    out: dict[str, list[str]] = {}
    for rows in nusax_regional().values():
        for text, key in rows:
            if key in indonesian:
                out.setdefault(indonesian[key], []).append(text)
    return out


def local_tests() -> list[st.Corpus]:
    """NusaX-senti's test split in each local language, scored as the pairs score."""
    out = []
    for lang in NUSAX_REGIONAL:
        texts, labels = st.ts.nusax(lang, "test")
        split = st._split(texts, labels)
        out.append(st.Corpus(lang, split, split, False, []))
    return out


def run_parts(
    source: st.Corpus, seed: int, weight: float = 1.0
) -> tuple[list[str], list[list[str]], np.ndarray, np.ndarray]:
    """(texts, docs, labels, weights) of one run's kept training texts."""
    split, keep = st.run_splits(source, seed + 1)[seed]
    docs, y = st.runs(source, seed + 1)[seed]
    texts = [t for t, k in zip(source.texts[split], keep, strict=True) if k]
    return texts, docs, y, np.full(len(y), weight)


def student(
    parts: list[tuple[list[str], list[list[str]], np.ndarray, np.ndarray]],
    augmented: dict[str, list[dict[str, str]]],
    soft: list[str],
    soft_weight: float,
    teacher: str = "head",
    gold_idf: bool = False,
    weighted_balance: bool = False,
) -> st.Decide:
    """Teacher on the parts' gold texts (``tier``: the head's and the fast recipe's mean
    probabilities, as the precise tier reads); the fast recipe on gold + the soft texts, its IDF
    counted on the gold texts alone when ``gold_idf``, its classes balanced by summed weight
    rather than by rows when ``weighted_balance``."""
    texts = [t for p in parts for t in p[0]]
    docs = [d for p in parts for d in p[1]]
    y = np.concatenate([p[2] for p in parts])
    w = np.concatenate([p[3] for p in parts])
    all_docs, all_y, all_w = list(docs), [y], [w]
    if soft_weight > 0 and soft:
        x = cached_anywhere("teacher", texts)
        head = fit_head(x, y, w)
        if "aug" in soft:
            base = dict(zip(texts, w, strict=True))
            aug = [(r["text"], base[t]) for t in base for r in augmented.get(t, [])]
            proba = head.proba(cached_anywhere("augmented", [t for t, _ in aug]))
            aug_docs = [normalize_tokens(t) for t, _ in aug]
            if teacher == "tier":
                fast = st.VARIANTS[FAST_VARIANT](docs, y, w)(aug_docs) * TEMPERATURE
                cols = [st.ts.CLASSES.index(c) for c in head.classes]
                proba = HEAD_WEIGHT * proba + (1 - HEAD_WEIGHT) * softmax(fast[:, cols])
            aug_w = np.array([b for _, b in aug]) * soft_weight
            d, sy, sw = soft_rows(aug_docs, proba, head.classes, aug_w)
            all_docs += d
            all_y.append(sy)
            all_w.append(sw)
        if "local" in soft or "local-gold" in soft:
            base = dict(zip(texts, w, strict=True))
            lines = local_lines()
            origin = [t for t in base if t in lines]
            local = [(line, t) for t in origin for line in lines[t]]
            local_docs = [normalize_tokens(line) for line, _ in local]
            local_w = np.array([base[t] for _, t in local]) * soft_weight
            if "local" in soft:  # the teacher's reading of the Indonesian original
                by_origin = dict(zip(origin, head.proba(cached_anywhere("teacher", origin))))
                proba = np.array([by_origin[t] for _, t in local]).reshape(-1, len(head.classes))
                d, sy, sw = soft_rows(local_docs, proba, head.classes, local_w)
            else:  # the original's gold label
                gold = dict(zip(texts, y, strict=True))
                d, sy, sw = local_docs, np.array([gold[t] for _, t in local]), local_w
            all_docs += d
            all_y.append(sy)
            all_w.append(sw)
        if "relabel" in soft:  # a mapped two-class part learns the teacher's three classes
            mapped = np.concatenate(
                [np.full(len(p[2]), set(p[2]) == {"negative", "positive"}) for p in parts]
            )
            all_w[0] = np.where(mapped, 0.0, w)
            oof = oof_proba(x, y, w)
            d, sy, sw = soft_rows(
                [d for d, m in zip(docs, mapped, strict=True) if m],
                oof[mapped],
                sorted(set(y)),
                w[mapped] * soft_weight,
            )
            all_docs += d
            all_y.append(sy)
            all_w.append(sw)
        if "kd" in soft:
            d, sy, sw = soft_rows(docs, oof_proba(x, y, w), sorted(set(y)), w * soft_weight)
            all_docs += d
            all_y.append(sy)
            all_w.append(sw)
    idf_docs = docs if gold_idf else None
    labels, weights = np.concatenate(all_y), np.concatenate(all_w)
    if weighted_balance:
        weights = weights * balance_by_weight(labels, weights)
    return st.VARIANTS[FAST_VARIANT](all_docs, labels, weights, idf_docs=idf_docs)


def balance_by_weight(y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per row, the factor that turns the SVMs' class balance by row counts (scikit-learn's
    ``class_weight="balanced"``) into a balance by summed weights: soft rows are many and light."""
    classes, counts = np.unique(y, return_counts=True)
    mass = np.array([w[y == c].sum() for c in classes])
    factor = (counts / counts.sum()) / (mass / mass.sum())
    return np.asarray(factor[np.searchsorted(classes, y)])


def table(
    corpora: list[st.Corpus],
    seeds: int,
    weights: list[float],
    soft: list[str],
    sources: list[str],
    made_from: list[str] | None,
    no_baseline: bool = False,
    teacher: str = "head",
    local_test: bool = False,
    gold_idf: bool = False,
    weighted_balance: bool = False,
) -> None:
    by_name = {c.name: c for c in corpora}
    augmented = load_augmented(made_from)
    names = [c.name for c in corpora]
    local = local_tests() if local_test else []
    names += ["local (mean of 10)", "banjarese", "ngaju"] if local else []
    print("| trained on | soft | weight | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names), flush=True)
    for parts_of in [MIXTURE if name == "mixture" else [name] for name in sources]:
        binary = parts_of == ["EmoT"]
        for weight in weights if no_baseline else [0.0, *weights]:
            scores: dict[str, list[float]] = {n: [] for n in names}
            for seed in range(seeds):
                mixed = len(parts_of) > 1
                parts = [
                    run_parts(by_name[n], seed, EMOT_WEIGHT if n == "EmoT" and mixed else 1.0)
                    for n in parts_of
                ]
                decide = student(
                    parts, augmented, soft, weight, teacher, gold_idf, weighted_balance
                )
                for target in corpora:
                    scores[target.name].append(st.score(decide, target, binary))
                if local:
                    f1 = {c.name: st.score(decide, c, binary) for c in local}
                    scores["local (mean of 10)"].append(float(np.mean(list(f1.values()))))
                    scores["banjarese"].append(f1["banjarese"])
                    scores["ngaju"].append(f1["ngaju"])
            cells = [f"{np.mean(s):.3f} ± {np.std(s):.3f}" for s in scores.values()]
            label = "+".join(parts_of)
            kinds = "+".join(soft) + (f" of {'+'.join(made_from)}" if made_from else "")
            kinds += f" by {teacher}" + (", gold IDF" if gold_idf else "")
            kinds += ", balanced by weight" if weighted_balance else ""
            kinds = kinds if weight else "none"
            print(f"| {label} | {kinds} | {weight:g} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--weights", type=float, nargs="*", default=[0.3, 1.0])
    parser.add_argument(
        "--soft",
        nargs="*",
        default=["aug"],
        choices=["aug", "kd", "local", "local-gold", "relabel"],
    )
    parser.add_argument("--local-test", action="store_true", help="also NusaX local-language test")
    parser.add_argument("--gold-idf", action="store_true", help="IDF of the gold texts alone")
    parser.add_argument("--weighted-balance", action="store_true", help="classes by weight")
    parser.add_argument(
        "--sources", nargs="*", default=[*CORPUS_OF, "mixture"], choices=[*CORPUS_OF, "mixture"]
    )
    parser.add_argument(
        "--made-from", nargs="*", choices=sorted(CORPUS_OF.values()), help="augmented of these"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the weight-0 rows")
    parser.add_argument("--teacher", choices=["head", "tier"], default="head")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    corpora = st.load_corpora()
    table(
        corpora,
        args.seeds,
        args.weights,
        args.soft,
        args.sources,
        args.made_from,
        args.no_baseline,
        args.teacher,
        args.local_test,
        args.gold_idf,
        args.weighted_balance,
    )


if __name__ == "__main__":
    main()
