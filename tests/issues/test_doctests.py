"""The examples in the issues stage's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pantau.issues",
    "pantau.issues.clustering",
    "pantau.issues.coordination",
    "pantau.issues.detection",
    "pantau.issues.evaluation",
    "pantau.issues.features",
    "pantau.issues.generator",
    "pantau.issues.records",
    "pantau.issues.risk",
    "pantau.issues.titles",
    "pantau.issues.tracker",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
