"""Properties over arbitrary text: the linter never crashes, offsets stay inside the text, and
applying the safe fixes converges."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.writing import (
    composer,
    desk_input,
    document,
    export,
    highlight,
    indonesian,
    lint,
    linter,
    model,
    review,
)
from pantau.writing.indonesian import spell_number
from pantau.writing.linter import fix
from pantau.writing.rules import _util, numbers

_VOCABULARY = (
    "SAMARINDA - Samarinda di dikantor di bangun Rp. 5.000 silahkan 3 orang pukul 13:20 Wita "
    "Senin (24/9/2024) Senin, 23/09/2024 para Kepala desa kata gubernur Kaltim “Kami siap,” "
    "ujar Budi. . \n , adalah merupakan Kabarnya usir warga Budi (12) feedback dua ribu lima "
    "ratus puluh Kedepan dimana bantuan Untuk"
)
WORDS = st.sampled_from(_VOCABULARY.split(" "))
TEXTS = st.lists(WORDS, max_size=60).map(" ".join) | st.text(max_size=300)


@settings(max_examples=150, deadline=None)
@given(TEXTS)
def test_lint_is_total_and_offsets_are_in_bounds(text: str) -> None:
    for f in lint(text):
        assert 0 <= f.start <= f.end <= len(text)
        assert f.message and f.rule


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_fixing_twice_changes_nothing_more_than_fixing_thrice(text: str) -> None:
    once = fix(text, lint(text))
    twice = fix(once, lint(once))
    thrice = fix(twice, lint(twice))
    assert thrice == twice


@given(st.integers(min_value=0, max_value=10**13))
def test_spelled_numbers_are_words(n: int) -> None:
    words = spell_number(n).split()
    assert words and all(w.isalpha() for w in words)
    # 100 is "seratus", 1000 "seribu" where a group starts; 51000 is "lima puluh satu ribu"
    assert not re.search(r"(^|juta |miliar |triliun |ribu )satu ratus", " ".join(words))
    assert not re.search(r"(^|juta |miliar |triliun )satu ribu", " ".join(words))


@pytest.mark.parametrize(
    "module",
    [
        composer,
        desk_input,
        document,
        export,
        highlight,
        indonesian,
        linter,
        model,
        numbers,
        review,
        _util,
    ],
)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0 and result.attempted > 0
