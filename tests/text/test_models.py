"""Quality floors of the shipped models on the shared datasets (run in CI)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from pantau.text import LanguageIdentifier, SentimentModel
from pantau.text.normalize import normalize_tokens

# Floors pinned at what the shipped model reaches (2026-12-07; benchmarks/results/text.md).
# SmSA valid was 0.867 with a model fitted to SmSA alone; trained for transfer (EmoT tweets, C 1.0)
# it is 0.863 on that one split of 1,260 texts while cross-validation on SmSA + NusaX rose 0.870 ->
# 0.874 and IndoLEM, a corpus never trained on, 0.629 -> 0.670: the floor went 0.865 -> 0.86,
# deliberately. Lowering a floor is a deliberate commit.
SMSA_VALID_MACRO_F1_FLOOR = 0.86
NUSAX_ID_TEST_MACRO_F1_FLOOR = 0.80
# IndoLEM sentiment, all 5 test folds, positive vs negative (eval only, never trained on): 0.670.
INDOLEM_MACRO_F1_FLOOR = 0.65
LANGID_ACCURACY_FLOORS = {
    "indonesian": ("id", 0.95),
    "english": ("en", 0.95),
    "javanese": ("jv", 0.95),
    "sundanese": ("su", 0.95),
    "banjarese": ("bjn", 0.93),
}


def _smsa(data: Path, split: str) -> tuple[list[str], list[str]]:
    rows = [
        ln.rsplit("\t", 1)
        for ln in (data / "sentiment" / "smsa" / f"{split}_preprocess.tsv")
        .read_text("utf-8")
        .splitlines()
    ]
    return [r[0] for r in rows], [r[1] for r in rows]


def _nusax(data: Path, lang: str, split: str) -> tuple[list[str], list[str]]:
    with (data / "sentiment" / "nusax" / lang / f"{split}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def _predict(model: SentimentModel, texts: list[str]) -> list[str]:
    docs = [normalize_tokens(t) for t in texts]
    return [str(p["label"]) for p in model.predict(model.model.featurizer.counts(docs))]


def test_sentiment_smsa_valid(data: Path) -> None:
    texts, gold = _smsa(data, "valid")
    pred = _predict(SentimentModel(), texts)
    assert f1_score(gold, pred, average="macro") >= SMSA_VALID_MACRO_F1_FLOOR


def test_sentiment_nusax_indonesian_test_unseen_texts(data: Path) -> None:
    seen = {t.strip().lower() for t in _smsa(data, "train")[0]}
    for split in ("train", "valid"):
        seen |= {t.strip().lower() for t in _nusax(data, "indonesian", split)[0]}
    texts, gold = _nusax(data, "indonesian", "test")
    keep = [i for i, t in enumerate(texts) if t.strip().lower() not in seen]
    assert len(keep) > 300
    pred = _predict(SentimentModel(), [texts[i] for i in keep])
    score = f1_score([gold[i] for i in keep], pred, average="macro")
    assert score >= NUSAX_ID_TEST_MACRO_F1_FLOOR


def test_sentiment_reads_negation_and_slang() -> None:
    model = SentimentModel()
    pred = _predict(
        model,
        [
            "tidak buruk",
            "gak jelek kok",
            "makanannya tidak enak",
            "pelayanannya parahhh bgt",
            "mantap, bagus sekali",
        ],
    )
    assert pred == ["positive", "positive", "negative", "negative", "positive"]


def test_sentiment_indolem_never_trained_on(data: Path) -> None:
    texts, gold = [], []
    for fold in range(5):
        with (data / "sentiment" / "indolem" / f"test{fold}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.append(row["sentence"])
                gold.append("positive" if row["sentiment"] == "1" else "negative")
    model = SentimentModel()
    docs = [normalize_tokens(t) for t in texts]
    proba = model.model.proba(model.model.featurizer.counts(docs))
    polar = [model.model.classes.index(c) for c in ("negative", "positive")]
    pred = np.array(["negative", "positive"])[proba[:, polar].argmax(1)]
    assert f1_score(gold, pred, average="macro") >= INDOLEM_MACRO_F1_FLOOR


def test_language_id_on_nusax_test(data: Path) -> None:
    ident = LanguageIdentifier()
    for lang, (code, floor) in LANGID_ACCURACY_FLOORS.items():
        texts, _ = _nusax(data, lang, "test")
        pred = ident.identify_texts(texts)
        assert float(np.mean([p == code for p in pred])) >= floor, lang


def test_language_id_und_and_other_scripts() -> None:
    pred = LanguageIdentifier().identify_texts(["mantap", "", "这是一个中文句子，不是印尼语"])
    assert pred == ["und", "und", "zh"]


def test_language_id_short_posts_and_malay() -> None:
    pred = LanguageIdentifier().identify_texts(
        [
            "Kerajaan Malaysia akan melaksanakan dasar baharu bagi rakyat",
            "Saya tidak mahu pergi ke kedai itu kerana ia mahal",
            "Pemerintah akan melaksanakan kebijakan baru bagi rakyat",
            "Aku arep mangan sego karo iwak",
            "Abdi bade angkat ka pasar",
            "Ulun handak tulak ka pasar",
            "the government will build a new school",
        ]
    )
    assert pred == ["ms", "ms", "id", "jv", "su", "bjn", "en"]


@pytest.mark.slow
def test_sentiment_transfer_pairs_keep_their_floors(data: Path) -> None:
    """Train on each corpus, score on the others (one seed): benchmarks/sentiment_transfer.py
    fails when a pair falls below its pinned floor."""
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "sentiment_transfer.py"
    run = subprocess.run(
        [sys.executable, str(script), "--seeds", "1", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
