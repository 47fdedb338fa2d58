"""Landmarks, place pairs, kelurahan and province-wide statements: exact places per sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.text import Gazetteer
from pantau.text.landmarks import load_landmarks, read_landmarks

HERE = Path(__file__).resolve().parent / "data"
# Share of tests/text/data/landmarks_labelled.tsv tagged exactly right: 108 of 109 when pinned.
EXACT_FLOOR = 0.9


def _labelled() -> list[tuple[set[str], str]]:
    rows = []
    for line in (HERE / "landmarks_labelled.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            gold, sentence = line.split("\t")
            rows.append((set() if gold == "-" else set(gold.split(",")), sentence))
    return rows


def _places(gaz: Gazetteer, sentence: str) -> set[str]:
    """Kab/kota codes, or the province codes when no kab/kota is named."""
    codes = [t["code"] for t in gaz.tag(sentence)]
    return {c for c in codes if c.count(".") == 1} or {c for c in codes if "." not in c}


def test_labelled_set_is_big_enough() -> None:
    rows = _labelled()
    assert len(rows) >= 100
    assert sum(1 for gold, _ in rows if gold == {"64"}) >= 5  # province-wide statements
    assert sum(1 for gold, _ in rows if not gold) >= 5


def test_exact_places() -> None:
    gaz = Gazetteer.load("64")
    rows = _labelled()
    misses = [(s, sorted(g), sorted(p)) for g, s in rows if (p := _places(gaz, s)) != g]
    assert 1 - len(misses) / len(rows) >= EXACT_FLOOR, misses


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Jembatan Mahakam Ulu macet", ["64.72"]),  # the landmark wins over the regency
        ("Banjir di Mahakam Ulu", ["64.11"]),
        ("jalan poros Sangatta-Bontang rusak", ["64.08", "64.74"]),
        ("Jalan Samarinda/Bontang longsor", ["64.72", "64.74"]),
        ("Jalan Samarinda ditutup", []),  # a street, not the city
        ("Banjir di Sempaja Selatan", ["64.72.05.1002", "64.72", "64.72.05"]),
        ("Kebakaran di Loa Bakung", ["64.72.06.1001", "64.72", "64.72.06"]),
        ("Loa Bakung", []),  # a kelurahan without prefix needs a locative
        ("Pasar pagi tadi sepi", []),
        ("Jembatan Pulau Balang", ["64.71", "64.09"]),
        ("Gubernur Kaltim minta seluruh kabupaten siaga", ["64"]),
    ],
)
def test_cases(text: str, codes: list[str]) -> None:
    assert [t["code"] for t in Gazetteer.load("64").tag(text)] == codes


def test_landmark_codes_exist_and_other_provinces_have_none() -> None:
    gaz = Gazetteer.load("64")
    landmarks = load_landmarks("64")
    assert len(landmarks) >= 100
    assert all(code in gaz.regions for lm in landmarks for code in lm.codes)
    assert load_landmarks("32") == []
    assert Gazetteer.load("32").tag("Macet di Jembatan Mahakam Ulu") == []


def test_bad_landmark_rows_are_skipped() -> None:
    rows = read_landmarks(
        "name,codes,kind,note\n,64.72,x,\nPasar X,,x,\nPasar Y,64.72,pasar,\n", "t"
    )
    assert [(lm.name, lm.codes) for lm in rows] == [("Pasar Y", ("64.72",))]
