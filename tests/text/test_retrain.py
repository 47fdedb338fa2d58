"""The text stage's side of retraining: which corrections are learned, which model is refused,
and which model the analyzer reads (the retrained one, else the shipped one)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from pantau.settings import Settings
from pantau.text import Analyzer
from pantau.text.corpora import TrainingSet, shipped_training_set
from pantau.text.linear import LinearModel
from pantau.text.retrain import (
    MIN_HELD_ASIDE,
    SMSA_VALID_TOLERANCE,
    OfficeLabel,
    RetrainError,
    install,
    retrain,
    split_labels,
    verdict,
)
from pantau.text.sentiment import RETRAINED_STEM, SentimentModel, retrained_stem
from pantau.text.training import fit_sentiment

SHIPPED = LinearModel.load("sentiment")


def _scores(new: tuple[float, float], old: tuple[float, float]) -> dict[str, dict[str, float]]:
    return {
        "candidate": {"smsa_valid": new[0], "office_held_aside": new[1]},
        "current": {"smsa_valid": old[0], "office_held_aside": old[1]},
    }


def test_a_candidate_must_not_be_worse_on_either_check() -> None:
    assert verdict(_scores((0.86, 0.8), (0.863, 0.1))) == []
    [reason] = verdict(_scores((0.863 - SMSA_VALID_TOLERANCE - 0.001, 0.8), (0.863, 0.1)))
    assert reason.startswith("SmSA valid")
    [reason] = verdict(_scores((0.87, 0.5), (0.863, 0.6)))
    assert reason.startswith("koreksi yang disisihkan")


def test_corrections_are_deduped_and_held_aside_by_text_not_by_order() -> None:
    rows = [
        OfficeLabel(str(i), f"jalan poros nomor {i} rusak parah", "negative") for i in range(60)
    ]
    rows.append(OfficeLabel("x", "Jalan poros nomor 7 RUSAK parah!!", "neutral"))  # a later word
    train, held, dups = split_labels(rows)
    assert dups == 1 and len(train) + len(held) == 60
    assert [r.label for r in train + held if r.text.startswith("Jalan poros nomor 7")] == [
        "neutral"
    ]
    _, held_again, _ = split_labels(list(reversed(rows[:60])))
    assert {r.key for r in held_again} == {r.key for r in held}
    assert 6 <= len(held) <= 18  # about a fifth
    with pytest.raises(RetrainError, match="sentiment 'marah'"):
        split_labels([OfficeLabel("1", "teks", "marah")])


def test_too_few_corrections_are_refused_before_training() -> None:
    rows = [OfficeLabel(str(i), f"pasar pagi kada bersih {i}", "negative") for i in range(3)]
    with pytest.raises(RetrainError, match=f"minimal {MIN_HELD_ASIDE}"):
        retrain(rows, SHIPPED, base=TrainingSet())


@pytest.mark.slow
def test_corrections_that_would_unlearn_indonesian_are_refused() -> None:
    """Praise labelled as complaints (a script gone wrong) at a heavy weight: SmSA valid falls,
    so the candidate is not accepted."""
    full = shipped_training_set()
    base = full.without(np.arange(len(full)) >= 3000)  # a small corpus: a quick test
    current = fit_sentiment(base, featurizer=SHIPPED.featurizer, idf=SHIPPED.idf)
    praise = [k for k, y in enumerate(base.labels[:3000]) if y == "positive"][:300]
    wrong = [OfficeLabel(str(k), base.texts[k], "negative") for k in praise]
    model, report = retrain(wrong, current, base=base, office_weight=30.0)
    assert report.corpus_dropped >= len(praise)  # the officer's label wins over the corpus
    assert not report.accepted
    assert "SmSA valid" in [r.split(":")[0] for r in report.reasons], report.scores
    assert model.meta and model.meta["provenance"]["accepted"] is False


def test_the_analyzer_reads_the_installed_model_else_the_shipped_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings.from_env({}, data_dir=str(tmp_path))
    assert retrained_stem(settings) == tmp_path / RETRAINED_STEM
    text = [{"text": "pelayanan puskesmas di sini kada bagus pang"}]
    assert Analyzer(settings=settings).process(text)[0]["sentiment"]["label"] == "positive"

    # An office model that calls everything negative: the analyzer must read it.
    gloomy = LinearModel(
        SHIPPED.classes,
        SHIPPED.featurizer,
        SHIPPED.idf,
        SHIPPED.coef,
        SHIPPED.intercept + np.array([50.0, 0.0, 0.0], dtype=np.float32),
        SHIPPED.temperature,
        {"provenance": {"accepted": True}},
    )
    install(gloomy, retrained_stem(settings))
    assert Analyzer(settings=settings).process(text)[0]["sentiment"]["label"] == "negative"
    assert (tmp_path / "models" / "sentiment.provenance.json").exists()

    install(SHIPPED, retrained_stem(settings))  # the one before is kept beside it
    assert LinearModel.read(tmp_path / "models" / "sentiment-previous").intercept[0] > 40

    (tmp_path / "models" / "sentiment.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="pantau.text.sentiment"):
        model = SentimentModel.configured(settings).model
    assert np.array_equal(model.intercept, SHIPPED.intercept)
    assert "unreadable" in caplog.text

    elsewhere = Settings.from_env({}, sentiment_model_path=str(tmp_path / "nowhere" / "m"))
    assert np.array_equal(SentimentModel.configured(elsewhere).model.coef, SHIPPED.coef)
