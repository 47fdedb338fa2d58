"""Normalization keeps hashtags, mentions, URLs, numbers and times; resolves slang, elongation,
emoji and number-for-letter spellings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.text import normalize, stem, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gak", "tidak"),
        ("bgt", "banget"),
        ("parahhh", "parah"),
        ("bangettt", "banget"),
        ("maaaaf", "maaf"),
        ("s4y4", "saya"),
        ("b3s0k", "besok"),
        ("covid19", "covid19"),
        ("anak2", "anak-anak"),
        ("MBG", "mbg"),
        ("SMP", "smp"),
        ("😡", "wajah_sangat_marah"),
    ],
)
def test_words(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_tokens_keep_social_media_units() -> None:
    text = (
        "Cek https://kaltimprov.go.id/berita, kata @DiskominfoKaltim #BanjirSamarinda "
        "jam 19.00 WITA, Rp 1.500.000 (12,5%)"
    )
    assert tokens(text) == [
        "cek",
        "https://kaltimprov.go.id/berita",
        "kata",
        "@diskominfokaltim",
        "#banjirsamarinda",
        "jam",
        "19:00",
        "wita",
        "rp",
        "1.500.000",
        "12,5%",
    ]


def test_original_is_untouched_and_output_is_lowercase() -> None:
    text = "GAK JELAS BGT!!!"
    assert normalize(text) == "tidak jelas banget"
    assert text == "GAK JELAS BGT!!!"


@given(st.text(max_size=200))
def test_any_text_normalizes_to_lowercase_tokens(text: str) -> None:
    out = normalize(text)
    assert out == out.lower() or not out.isascii()
    assert "  " not in out
    assert tokens(text) == (out.split() if out else [])


def test_stem() -> None:
    assert stem("pembangunan") == "bangun"
