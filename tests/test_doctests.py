"""Every module's docstring examples run and hold: found by walking the package, so a module
that gains an example is tested without being listed anywhere."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import pantau

#: Not imported to look for examples: Alembic's migration scripts run against a live
#: migration context when imported.
NOT_IMPORTED = ("pantau.store.migrations",)


def _modules() -> list[str]:
    names = ["pantau"]
    for info in pkgutil.walk_packages(pantau.__path__, "pantau."):
        if not info.name.startswith(NOT_IMPORTED):
            names.append(info.name)
    return sorted(names)


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [
        name
        for name in _modules()
        if any(t.examples for t in finder.find(importlib.import_module(name)))
    ]


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(
        importlib.import_module(name),
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
        report=True,
    )
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_walk_finds_the_examples_of_every_stage() -> None:
    """The walk itself is checked: a broken finder would otherwise pass by testing nothing."""
    found = {name.split(".")[1] for name in _with_examples() if "." in name}
    assert {"ingest", "text", "issues", "alerts", "writing", "reports", "records"} <= found
