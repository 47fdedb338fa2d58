"""Fixtures of the text-stage tests."""

from __future__ import annotations

import pytest

from pantau.settings import Settings
from pantau.text import Analyzer


@pytest.fixture
def analyzer() -> Analyzer:
    """A fresh analyzer with default settings (province 64)."""
    return Analyzer(settings=Settings.from_env({}))
