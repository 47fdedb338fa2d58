"""The examples in the reports stage's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "pantau.reports.delivery",
    "pantau.reports.documents",
    "pantau.reports.export",
    "pantau.reports.filters",
    "pantau.reports.charts",
    "pantau.reports.render",
    "pantau.web.dashboard_pages",
    "pantau.web.input_guard",
    "pantau.web.search_form",
    "pantau.web.reasons",
    "pantau.web.action_words",
    "pantau.i18n",
    "pantau.store.search_query",
    "pantau.settings",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_due_day_refuses_a_bad_time() -> None:
    from datetime import UTC, datetime

    from pantau.reports.delivery import due_day

    with pytest.raises(ValueError, match="HH:MM"):
        due_day(datetime(2026, 11, 21, tzinfo=UTC), "Asia/Makassar", "setengah tujuh")
