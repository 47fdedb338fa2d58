"""The examples in the ingest modules' docstrings run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pantau.ingest.dates",
    "pantau.ingest.urls",
    "pantau.ingest.addresses",
    "pantau.ingest.registry",
    "pantau.ingest.mapping",
    "pantau.ingest.imports",
    "pantau.ingest.limits",
    "pantau.ingest.exports",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
