"""Region tagging: the hand-written labelled set, hard cases, and no tags from ordinary words."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.text import Gazetteer

HERE = Path(__file__).resolve().parent / "data"
# Floors of the issue at kab/kota level on tests/text/data/regions_labelled.tsv.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.90


def _labelled() -> list[tuple[set[str], str]]:
    rows = []
    for line in (HERE / "regions_labelled.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        gold, sentence = line.split("\t")
        rows.append((set() if gold == "-" else set(gold.split(",")), sentence))
    return rows


def _kabkota(tags: list[dict[str, str]]) -> set[str]:
    return {t["code"] for t in tags if len(t["code"]) == 5}


def test_labelled_set_is_big_enough() -> None:
    rows = _labelled()
    assert len(rows) >= 300
    assert sum(1 for gold, _ in rows if not gold) >= 80  # many hard negatives


def test_precision_and_recall_at_kabkota_level() -> None:
    gaz = Gazetteer.load("64")
    tp = fp = fn = 0
    misses = []
    for gold, sentence in _labelled():
        pred = _kabkota(gaz.tag(sentence))
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if pred != gold:
            misses.append((sentence, sorted(gold), sorted(pred)))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= PRECISION_FLOOR, (precision, misses)
    assert recall >= RECALL_FLOOR, (recall, misses)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Banjir di Kukar dan Smd", ["64.02", "64.72"]),
        ("ke pasar beli sayur", []),
        ("Ke Paser naik bus", ["64.01"]),
        ("Pak Berau jualan sate", []),
        ("Jalan Samarinda ditutup", []),
        ("hidup damai itu indah", []),
        ("Kecamatan Damai terendam banjir", ["64.07.08", "64.07"]),
        ("Kabupaten Malang dan Kota Malang", ["35.07", "35.73"]),
        ("nasib malang", []),
        ("Desa Busui kekurangan air", ["64.01.01.2010", "64.01", "64.01.01"]),
        ("Busui kekurangan air", []),  # a desa needs its prefix
        ("Desa Sumber Sari di Loa Kulu", ["64.02.02.2014", "64.02", "64.02.02"]),
        ("Desa Sumber Sari dapat bantuan", []),  # six desa of that name: ambiguous
        ("Penajam Paser Utara", ["64.09"]),
    ],
)
def test_hard_cases(text: str, codes: list[str]) -> None:
    assert [t["code"] for t in Gazetteer.load("64").tag(text)] == codes


def test_other_province_needs_no_code_change() -> None:
    gaz = Gazetteer.load("32")
    assert [t["code"] for t in gaz.tag("Banjir di Kota Bandung dan Cimahi")] == ["32.73", "32.77"]
    assert Gazetteer.load("32").tag("Tenggarong banjir") == []


def test_admin_aliases_file_extends_the_gazetteer(tmp_path: Path) -> None:
    extra = tmp_path / "aliases.csv"
    extra.write_text("alias,code,note\nKota Raja,64.02,contoh\nZzz,99.99,tidak ada\n", "utf-8")
    gaz = Gazetteer.load("64", extra)
    assert [t["code"] for t in gaz.tag("Festival di Kota Raja")] == ["64.02"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Banjir di Ciawi, Kabupaten Bogor", ["32.01.24", "32.01"]),
        ("Banjir di Ciawi, Tasikmalaya", ["32.06.36", "32.06"]),
        ("Banjir di Ciawi", []),  # two kecamatan Ciawi in the province and no context
    ],
)
def test_kecamatan_repeated_across_regencies_needs_context(text: str, codes: list[str]) -> None:
    assert [t["code"] for t in Gazetteer.load("32").tag(text)] == codes
