"""The labelled texts the sentiment model learns from, shipped with the package.

The permissively licensed corpora (IndoNLU SmSA and EmoT, Apache-2.0; NusaX-senti Indonesian,
CC BY-SA 4.0) live gzipped in ``pantau/text/data/sentiment`` with their licences and sources
(its README), so that ``pantau labels retrain`` works on an office's machine, where the shared
datasets are not. :func:`shipped_training_set` is the shipped model's training mixture, weights
included; ``scripts/train_sentiment.py`` and the retrain command both start from it.

>>> data = shipped_training_set()
>>> len(data), int(data.scored.sum())
(15521, 11600)
>>> sorted(set(data.labels))
['negative', 'neutral', 'positive']
"""

from __future__ import annotations

import csv
import gzip
import io
import logging
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

__all__ = [
    "EMOT_POLARITY",
    "TrainingSet",
    "emot_polarity",
    "negation_examples",
    "nusax_indonesian",
    "shipped_training_set",
    "smsa",
]

logger = logging.getLogger(__name__)

#: EmoT's five emotions as polarity (all five are polar): tweets, the register SmSA's reviews lack.
EMOT_POLARITY = {
    "happy": "positive",
    "love": "positive",
    "anger": "negative",
    "sadness": "negative",
    "fear": "negative",
}
# EmoT's weight in the mixture: at 0.3 (with SVM C 1.0) the shipped recipe scores IndoLEM, a
# corpus never trained on, 0.670 vs 0.636 without, cross-validated macro-F1 on SmSA + NusaX 0.874
# vs 0.872, SmSA valid 0.863 vs 0.868 (one split of 1,260 texts); benchmarks/results/text.md.
EMOT_WEIGHT = 0.3
# Weight of one negation sentence: 0.3 keeps SmSA valid at 0.863 (1.0: 0.860; 0.1: 0.865 but
# "tidak buruk" read as negative again).
AUGMENT_WEIGHT = 0.3


@dataclass
class TrainingSet:
    """Texts with their labels, sample weights and whether each is scored when fitting the class
    offsets by cross-validation (gold texts are; augmented and mapped ones are only learned)."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scored: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.texts)

    def add(
        self, texts: list[str], labels: list[str], *, weight: float, scored: bool
    ) -> TrainingSet:
        """This set with ``texts`` appended, each at ``weight``."""
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        return TrainingSet(
            self.texts + list(texts),
            self.labels + list(labels),
            np.r_[self.weights, np.full(len(texts), float(weight))],
            np.r_[self.scored, np.full(len(texts), scored, dtype=bool)],
        )

    def without(self, drop: np.ndarray) -> TrainingSet:
        """This set without the rows where ``drop`` is true."""
        keep = ~drop
        return TrainingSet(
            [t for t, k in zip(self.texts, keep, strict=True) if k],
            [y for y, k in zip(self.labels, keep, strict=True) if k],
            self.weights[keep],
            self.scored[keep],
        )


def _read(name: str) -> str:
    path = resources.files("pantau.text") / "data" / "sentiment" / name
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return str(fh.read())


def smsa(split: str) -> tuple[list[str], list[str]]:
    """IndoNLU SmSA ``train`` or ``valid`` (reviews and comments): texts and labels."""
    rows = [ln.rsplit("\t", 1) for ln in _read(f"smsa_{split}.tsv.gz").splitlines() if ln]
    return [r[0] for r in rows], [r[1] for r in rows]


def nusax_indonesian(split: str) -> tuple[list[str], list[str]]:
    """NusaX-senti Indonesian ``train`` or ``valid``: texts and labels."""
    rows = list(csv.DictReader(io.StringIO(_read(f"nusax_id_{split}.csv.gz"))))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def emot_polarity() -> tuple[list[str], list[str]]:
    """IndoNLU EmoT train tweets with their emotion mapped to a polarity."""
    rows = list(csv.DictReader(io.StringIO(_read("emot_train.csv.gz"))))
    return [r["tweet"] for r in rows], [EMOT_POLARITY[r["label"]] for r in rows]


# Negation sentences written for this project (no dataset text): "tidak buruk" is not a
# complaint and "gak enak" is. Without them the model called "tidak buruk" and "gak jelek kok"
# negative; SmSA has too few such pairs to learn the negation-scoped features.
POSITIVE_WORDS = [
    "bagus",
    "enak",
    "baik",
    "ramah",
    "bersih",
    "murah",
    "cepat",
    "nyaman",
    "puas",
    "mantap",
    "keren",
    "lezat",
    "memuaskan",
    "rapi",
    "aman",
    "jelas",
    "membantu",
    "bermanfaat",
    "tepat",
    "layak",
]
NEGATIVE_WORDS = [
    "buruk",
    "jelek",
    "kotor",
    "mahal",
    "lambat",
    "parah",
    "kecewa",
    "basi",
    "rusak",
    "jahat",
    "bau",
    "kasar",
    "lelet",
    "mengecewakan",
    "payah",
    "ribet",
    "bohong",
    "curang",
    "hancur",
    "menyesal",
]
SUBJECTS = [
    "makanannya",
    "pelayanannya",
    "programnya",
    "hasilnya",
    "kinerja pemerintah",
    "tempatnya",
    "harganya",
    "menurut saya",
    "jalannya",
    "bantuannya",
]
NEGATORS = ["tidak", "gak", "nggak", "ga", "enggak", "tdk"]
TAILS = ["", " kok", " sih", " juga", " sama sekali", " ya"]


def negation_examples(seed: int = 1) -> tuple[list[str], list[str]]:
    """Short sentences with a negated polar word, labelled with the flipped polarity."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for words, label in ((NEGATIVE_WORDS, "positive"), (POSITIVE_WORDS, "negative")):
        for word in words:
            for subject in SUBJECTS:
                neg = NEGATORS[int(rng.integers(len(NEGATORS)))]
                tail = TAILS[int(rng.integers(len(TAILS)))]
                texts.append(f"{subject} {neg} {word}{tail}")
                labels.append(label)
    return texts, labels


def shipped_training_set(emot_weight: float = EMOT_WEIGHT) -> TrainingSet:
    """The shipped model's training mixture: SmSA train and NusaX Indonesian train + valid
    (gold, scored), EmoT as polarity and the negation sentences (learned, not scored)."""
    data = TrainingSet().add(*smsa("train"), weight=1.0, scored=True)
    for split in ("train", "valid"):
        data = data.add(*nusax_indonesian(split), weight=1.0, scored=True)
    if emot_weight > 0:
        data = data.add(*emot_polarity(), weight=emot_weight, scored=False)
    return data.add(*negation_examples(), weight=AUGMENT_WEIGHT, scored=False)
