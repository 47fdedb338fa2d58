"""Train the shipped sentiment model: hashed word + char TF-IDF, linear SVM, softmax scores.

The recipe is :mod:`pantau.text.training` and the data :func:`pantau.text.corpora.shipped_training_set`
(IndoNLU SmSA train and EmoT train as polarity, Apache-2.0; NusaX-senti Indonesian train and
valid, CC BY-SA 4.0; all shipped in ``pantau/text/data/sentiment``). SmSA valid is only measured.
Writes ``src/pantau/text/models/sentiment.{npz,json}``; see ``models/PROVENANCE.md``. The
readers below are for the benchmarks, which also score splits that are not shipped.

Run: ``.venv/bin/python scripts/train_sentiment.py [--c C] [--emot-weight W] [--no-vectors]
[--dry-run]`` (about a minute on one core).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pantau.text.corpora import (  # noqa: E402
    AUGMENT_WEIGHT,
    EMOT_POLARITY,
    EMOT_WEIGHT,
    negation_examples,
    shipped_training_set,
)
from pantau.text.training import BIAS_RANGE, CLASSES, SVM_C, fit_sentiment, macro_f1  # noqa: E402
from pantau.text.wordvectors import WordVectors  # noqa: E402

__all__ = [
    "AUGMENT_WEIGHT",
    "BIAS_RANGE",
    "CLASSES",
    "DATA",
    "EMOT_POLARITY",
    "SVM_C",
    "negation_examples",
    "nusax",
    "smsa",
]

# The shared datasets, as the corpus gates find them (PANTAU_CORPORA, default beside the clone).
DATA = Path(os.environ.get("PANTAU_CORPORA") or ROOT / ".." / "shared" / "data") / "sentiment"
OUT = ROOT / "src" / "pantau" / "text" / "models" / "sentiment"


def smsa(split: str) -> tuple[list[str], list[str]]:
    rows = [
        ln.rstrip("\n").rsplit("\t", 1)
        for ln in (DATA / "smsa" / f"{split}_preprocess.tsv").read_text("utf-8").splitlines()
    ]
    return [r[0] for r in rows], [r[1] for r in rows]


def nusax(lang: str, split: str) -> tuple[list[str], list[str]]:
    with (DATA / "nusax" / lang / f"{split}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--emot-weight", type=float, default=EMOT_WEIGHT)
    parser.add_argument("--c", type=float, default=SVM_C)
    parser.add_argument(
        "--no-vectors",
        action="store_true",
        help="without the word-vector view (the shipped model reads it)",
    )
    parser.add_argument("--dry-run", action="store_true", help="score on SmSA valid, write nothing")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    model = fit_sentiment(
        shipped_training_set(args.emot_weight),
        c=args.c,
        meta={
            "trained": dt.date.today().isoformat(),
            "data": "SmSA train (Apache-2.0) + NusaX-senti Indonesian train/valid (CC BY-SA 4.0)"
            f" + IndoNLU EmoT train as polarity at weight {args.emot_weight} (Apache-2.0)",
        },
        vectors=None if args.no_vectors else WordVectors.load(),
    )
    f1 = macro_f1(model, *smsa("valid"))
    model.meta = {**(model.meta or {}), "smsa_valid_macro_f1": round(f1, 4)}
    print(f"SmSA valid macro-F1 {f1:.4f}; temperature {model.temperature}; meta {model.meta}")
    if args.dry_run:
        return
    model.save(OUT)
    print(f"wrote {OUT}.npz ({OUT.with_suffix('.npz').stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
