"""The Analyzer's record contract, cross-batch state, bursts, cut texts and watchlist errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.settings import Settings
from pantau.text import Analyzer, WatchlistError

FIELDS = {
    "id",
    "lang",
    "sentiment",
    "regions",
    "watch",
    "dup_of",
    "normalized",
    "coordinated",
    "noise",
}


def test_output_fields_exactly(analyzer: Analyzer) -> None:
    out = analyzer.process(
        [
            {"id": "1", "text": "Banjir di Samarinda parahhh, gak ada bantuan sama sekali"},
            {
                "id": 2,
                "text": "Pelayanan puskesmas di Tenggarong cepat dan ramah",
                "channel": "social",
            },
        ]
    )
    assert [set(o) for o in out] == [FIELDS, FIELDS]
    first, second = out
    assert first["id"] == "1" and second["id"] == 2
    assert first["lang"] == "id"
    assert first["sentiment"]["label"] == "negative"
    assert 0.0 <= first["sentiment"]["score"] <= 1.0
    assert first["regions"] == [{"code": "64.72", "name": "Kota Samarinda"}]
    assert second["regions"] == [
        {"code": "64.02.06", "name": "Tenggarong"},
        {"code": "64.02", "name": "Kabupaten Kutai Kartanegara"},
    ]
    assert second["sentiment"]["label"] == "positive"
    assert first["normalized"] == "banjir di samarinda parah tidak ada bantuan sama sekali"
    assert first["dup_of"] is None and first["coordinated"] is None


def test_duplicates_link_across_micro_batches(analyzer: Analyzer) -> None:
    text = "Dapur MBG di SDN 12 Samarinda tutup, anak-anak tidak dapat makan siang hari ini"
    assert analyzer.analyze({"id": "a", "text": text})["dup_of"] is None
    assert analyzer.process([{"id": "b", "text": text.upper()}])[0]["dup_of"] == "a"
    assert analyzer.analyze({"text": text + "!!"})["dup_of"] == "a"


def test_records_without_id_get_a_stable_internal_key(analyzer: Analyzer) -> None:
    out = analyzer.process([{"text": "harga cabai naik terus di pasar"}] * 2)
    assert out[0]["id"] is None and out[1]["dup_of"] == "#1"


def test_coordinated_burst_is_flagged() -> None:
    analyzer = Analyzer(settings=Settings.from_env({"PANTAU_BURST_MIN_ACCOUNTS": "3"}))
    text = "Gubernur harus mundur sekarang! #KaltimMenggugat"
    batch = [
        {
            "id": str(i),
            "text": text,
            "author": f"akun{i}",
            "published_at": f"2025-09-01T10:0{i}:00Z",
        }
        for i in range(4)
    ]
    out = analyzer.process(batch)
    assert [o["coordinated"] for o in out] == [None, None, "0", "0"]


def test_title_is_read_with_the_text(analyzer: Analyzer) -> None:
    out = analyzer.analyze({"id": "n1", "title": "Banjir Rendam Bontang", "text": "Air naik."})
    assert out["regions"] == [{"code": "64.74", "name": "Kota Bontang"}]


def test_long_text_is_cut_with_a_note() -> None:
    analyzer = Analyzer(settings=Settings.from_env({"PANTAU_MAX_TEXT_CHARS": "1000"}))
    out = analyzer.analyze({"id": "x", "text": "banjir " * 1000})
    assert out["notes"] == ["teks dipotong pada 1000 karakter (asli 7000 karakter)"]
    assert len(out["normalized"]) <= 1000


def test_watchlists_match_and_errors_name_the_watchlist_and_column() -> None:
    analyzer = Analyzer(
        {"mbg": 'mbg OR "makan bergizi gratis"', "racun": "keracun*"},
        settings=Settings.from_env({}),
    )
    out = analyzer.analyze({"id": "1", "text": "Siswa keracunan menu MBG"})
    assert out["watch"] == [
        {"name": "mbg", "terms": ["mbg"]},
        {"name": "racun", "terms": ["keracun*"]},
    ]
    with pytest.raises(WatchlistError) as info:
        Analyzer({"rusak": "jalan AND ("}, settings=Settings.from_env({}))
    assert info.value.name == "rusak" and info.value.column == 12


def test_text_must_be_a_string(analyzer: Analyzer) -> None:
    with pytest.raises(TypeError):
        analyzer.analyze({"id": "1", "text": None})


def test_other_province_from_settings() -> None:
    analyzer = Analyzer(settings=Settings.from_env({"PANTAU_PROVINCE": "63"}))
    out = analyzer.analyze({"text": "Banjir di Martapura dan Samarinda"})
    assert [r["code"] for r in out["regions"]] == ["63.03.05", "63.03", "64.72"]


def test_a_restarted_analyzer_remembers_recent_texts() -> None:
    settings = Settings.from_env({})
    text = "Jembatan Mahakam retak, warga diminta tidak melintas malam ini"
    first = Analyzer(settings=settings)
    assert first.analyze({"id": 7, "text": text})["dup_of"] is None
    restarted = Analyzer(settings=settings)
    restarted.remember([{"id": 7, "text": text}])
    assert restarted.analyze({"id": 8, "text": text + "!!"})["dup_of"] == "7"


_SHARED = Analyzer({"w": "a* OR b"}, settings=Settings.from_env({}))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
@pytest.mark.slow
def test_any_text_is_analyzed_without_error(texts: list[str]) -> None:
    out = _SHARED.process([{"id": str(i), "text": t} for i, t in enumerate(texts)])
    assert len(out) == len(texts)
    for item in out:
        assert set(item) == FIELDS
        assert item["sentiment"]["label"] in {"positive", "neutral", "negative"}
        assert item["lang"]
