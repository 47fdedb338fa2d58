"""The corpus gates' data: ``PANTAU_CORPORA`` (default ``../shared/data`` beside the clone).

These gates measure quality floors on datasets that may not ship with the project (eval-only
licences), so they run as their own command, ``make gates``; missing data fails loudly, never
skips, since a gate that silently does not run guards nothing.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPORA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The shared datasets folder named by ``PANTAU_CORPORA``."""
    path = Path(os.environ.get("PANTAU_CORPORA") or DEFAULT_CORPORA)
    if not path.is_dir():
        pytest.fail(
            f"corpora not found at {path}: set PANTAU_CORPORA to the shared datasets folder "
            "(or run `make test`, which needs none)"
        )
    return path


@pytest.fixture(scope="session")
def mbg_tweets(corpora: Path) -> list[dict[str, str]]:
    """The real MBG reply stream (eval only: read here, never copied into the repository)."""
    path = corpora / "streams" / "mbg_policy_tweets_2025" / "hybrid_labeled_data.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def headlines(corpora: Path) -> list[dict[str, str]]:
    """The real national headline stream (eval only)."""
    path = corpora / "streams" / "narasipal_headlines" / "narasipal_dataset_derived.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
