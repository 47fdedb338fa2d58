"""The process lane of ``make test`` (tests/conftest.py) names tests that exist: a renamed file
would otherwise run beside the other process tests again, silently."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PROCESS_TESTS, ROOT


@pytest.mark.parametrize("entry", PROCESS_TESTS)
def test_each_process_lane_entry_names_a_test_that_exists(entry: str) -> None:
    path, _, name = entry.partition("::")
    assert (ROOT / path).exists(), f"{path} is gone: update PROCESS_TESTS in tests/conftest.py"
    if name:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {re.escape(name)}\(", source, re.M), f"{entry} is gone"
