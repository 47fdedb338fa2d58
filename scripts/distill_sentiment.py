"""Augmented texts for the teacher to label: the transfer set of ``benchmarks/sentiment_distill.py``.

The precise tier's head (multilingual-e5-small + logistic regression, ``scripts/train_precise.py``)
transfers across corpora far better than the fast path: trained on EmoT it scores SmSA 0.856
against 0.752, trained on IndoLEM 0.813 against 0.707 (``benchmarks/sentiment_teacher.py``,
3 seeds). The fast model cannot run the encoder (~12 texts per CPU-second), but it could learn
from what the encoder says about texts it was not given labels for. This script makes those
texts: perturbed copies of a seeded sample of the permissively licensed training texts (a
shipped model may be derived from nothing else: SmSA train and EmoT train, Apache-2.0;
NusaX-senti Indonesian train + valid, CC BY-SA 4.0), words dropped at random or a contiguous
span cropped (:func:`augment`). A copy may have lost what made its gold label: that is why the
teacher labels it. They are written as JSON lines to ``PANTAU_EMBED_CACHE/augmented.jsonl``
and embedded into the cache (``augmented``).

Measured (``benchmarks/results/text.md``, "Teacher soft labels"): the soft labels pay from a
small tweet source and not on the shipped mixture, so none ship; slang substitutions were not
made, because the fast path normalizes slang back to the standard word before it reads.

Run: ``PANTAU_EMBED_CACHE=DIR OMP_NUM_THREADS=1 nice python scripts/distill_sentiment.py augment``
(3,478 texts to embed: about three CPU-minutes here).
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

from embed_cache import CACHE, embeddings  # noqa: E402

from pantau.text import corpora  # noqa: E402

logger = logging.getLogger("distill_sentiment")

AUGMENTED = CACHE / "augmented.jsonl"
# Texts of each corpus that get one perturbed copy: the encoder's budget (~3,600 texts, five
# CPU-minutes), spread so that each register the fast model learns from is read by the teacher
# (reviews, tweets, NusaX's mixed sentences).
SAMPLE = {"smsa_train": 2000, "emot_train": 1000, "nusax": 600}
# Share of the words a dropout copy loses, and the share of the words a crop keeps (least, most).
DROPOUT = 0.2
CROP = (0.5, 0.8)
# A copy shorter than this many words says too little to be labelled by anyone.
MIN_WORDS = 3


def augment(text: str, rng: np.random.Generator, kind: str) -> str | None:
    """A perturbed copy of ``text``: ``dropout`` loses each word with :data:`DROPOUT`,
    ``crop`` keeps a contiguous span of :data:`CROP` of its words; ``None`` when the copy would
    be shorter than :data:`MIN_WORDS` words or the text itself.

    >>> augment("pelayanan di kantor ini sangat lambat dan petugasnya tidak ramah",
    ...         np.random.default_rng(0), "crop")
    'kantor ini sangat lambat dan petugasnya tidak'
    """
    words = text.split()
    if kind == "dropout":
        keep = rng.random(len(words)) >= DROPOUT
        out = [w for w, k in zip(words, keep, strict=True) if k]
    elif kind == "crop":
        n = max(MIN_WORDS, round(len(words) * rng.uniform(*CROP)))
        start = int(rng.integers(0, max(1, len(words) - n + 1)))
        out = words[start : start + n]
    else:
        raise ValueError(f"unknown augmentation {kind!r}")
    if len(out) < MIN_WORDS or len(out) == len(words):
        return None
    return " ".join(out)


def sources() -> dict[str, tuple[list[str], list[str]]]:
    """The permissive training texts by corpus (as ``SAMPLE`` names them), with gold labels."""
    nx = [corpora.nusax_indonesian(s) for s in ("train", "valid")]
    return {
        "smsa_train": corpora.smsa("train"),
        "emot_train": corpora.emot_polarity(),
        "nusax": (nx[0][0] + nx[1][0], nx[0][1] + nx[1][1]),
    }


def augmented_rows(seed: int = 0) -> list[dict[str, str]]:
    """One perturbed copy of each sampled text: ``text``, ``origin`` (the original text),
    ``corpus`` and ``kind``; dropout and crop alternate."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, (texts, _labels) in sources().items():
        distinct = list(dict.fromkeys(texts))
        picked = rng.permutation(len(distinct))[: SAMPLE[name]]
        for i, k in enumerate(sorted(picked)):
            kind = ("dropout", "crop")[i % 2]
            copy = augment(distinct[k], rng, kind)
            if copy is not None:
                rows.append({"text": copy, "origin": distinct[k], "corpus": name, "kind": kind})
    return rows


def cmd_augment() -> None:
    rows = augmented_rows()
    CACHE.mkdir(parents=True, exist_ok=True)
    with AUGMENTED.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    logger.info("%d augmented texts -> %s; embedding", len(rows), AUGMENTED)
    embeddings("augmented", [r["text"] for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["augment"])
    parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cmd_augment()


if __name__ == "__main__":
    main()
