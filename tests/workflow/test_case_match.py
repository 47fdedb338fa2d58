"""Ranking past cases: what makes two issues alike, and the reason shown for it."""

from __future__ import annotations

from pantau.text import tokens
from pantau.workflow.case_match import BASELINE, CaseProfile, bag, rank
from pantau.workflow.categories import categorize

SAMARINDA = {"64.72": "Samarinda"}


def _profile(key: int, text: str, places: dict[str, str], hours: float | None) -> CaseProfile:
    return CaseProfile(key, bag([text]), places, categorize(tokens(text)), hours)


def test_the_reason_names_category_place_and_pace() -> None:
    new = _profile(0, "Air meluap, banjir rendam Sempaja", SAMARINDA, 2.5)
    old = _profile(1, "Banjir di Sempaja, warga mengungsi", SAMARINDA, 4.0)
    (match,) = rank(new, [old])
    assert match.reason == "sama-sama banjir di Samarinda, masuk berita < 6 jam"
    assert "sempaja" in match.shared_words


def test_the_same_city_alone_is_not_a_similar_case() -> None:
    new = _profile(0, "Banjir rendam Sempaja", SAMARINDA, None)
    fire = _profile(1, "Kebakaran pasar Segiri", SAMARINDA, None)
    assert rank(new, [fire]) == []


def test_the_same_category_lifts_a_case_over_chance_words() -> None:
    new = _profile(0, "Warga Sempaja keluhkan banjir setinggi lutut di permukiman padat", {}, None)
    flood = _profile(1, "Rumah warga terendam banjir setelah hujan deras semalam", {}, None)
    festival = _profile(
        2, "Festival budaya tahunan digelar meriah di permukiman padat Sempaja", {}, None
    )
    others = [
        _profile(3, "Harga cabai naik di pasar", {}, None),
        _profile(4, "Jalan rusak", {}, None),
    ]
    assert [m.key for m in rank(new, [flood, festival, *others])] == [1, 2]
    # the old method sees only the shared words and puts the festival first
    assert [m.key for m in rank(new, [flood, festival, *others], weights=BASELINE)] == [2, 1]


def test_a_case_of_another_kind_says_which_words_it_shares() -> None:
    new = _profile(0, "Antrean panjang solar di SPBU Loa Janan", {}, None)
    old = _profile(1, "Antrean solar mengular, sopir truk mengeluh", {}, None)
    (match,) = rank(new, [old])
    assert match.reason.startswith("sama-sama pangan dan harga") or "solar" in match.reason
