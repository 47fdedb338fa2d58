"""Fixtures of the text-stage tests: the shared datasets (missing data fails, never skips)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pantau.settings import Settings
from pantau.text import Analyzer

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
HERE = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def data() -> Path:
    """``../shared/data`` beside the clone."""
    if not DATA.is_dir():
        pytest.fail(
            f"shared datasets not found at {DATA}: CI must place ../shared beside the clone"
        )
    return DATA


@pytest.fixture(scope="session")
def mbg_tweets(data: Path) -> list[dict[str, str]]:
    """The real MBG reply stream (eval only: read here, never copied into the repository)."""
    path = data / "streams" / "mbg_policy_tweets_2025" / "hybrid_labeled_data.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def headlines(data: Path) -> list[dict[str, str]]:
    """The real national headline stream (eval only)."""
    path = data / "streams" / "narasipal_headlines" / "narasipal_dataset_derived.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def analyzer() -> Analyzer:
    """A fresh analyzer with default settings (province 64)."""
    return Analyzer(settings=Settings.from_env({}))
