"""Noise and spam: the hand-written labelled set and posts about gambling (the real streams are
gated in tests/gates/test_noise_streams.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.text import NoiseDetector
from pantau.text.noise import NOISE_KINDS

HERE = Path(__file__).resolve().parent / "data"
# Floors on the parts of tests/text/data/noise_labelled.tsv written after the rules (held-aside
# and blind, 172 posts): precision 1.00 and recall 0.98 there when pinned.
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9


def _labelled() -> dict[str, list[tuple[str, str]]]:
    parts: dict[str, list[tuple[str, str]]] = {}
    part = ""
    for line in (HERE / "noise_labelled.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            part = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            kind, text = line.split("\t", 1)
            parts.setdefault(part, []).append((kind, text))
    return parts


def _scores(rows: list[tuple[str, str]]) -> tuple[float, float, float, list[tuple[str, str, str]]]:
    detector = NoiseDetector()
    tp = fp = fn = same_kind = 0
    misses = []
    for gold, text in rows:
        pred = detector.kind(text)
        tp += gold != "-" and pred is not None
        same_kind += gold == pred
        fp += gold == "-" and pred is not None
        fn += gold != "-" and pred is None
        if (pred or "-") != gold:
            misses.append((gold, str(pred), text))
    return tp / (tp + fp), tp / (tp + fn), same_kind / max(tp, 1), misses


def test_labelled_set_is_big_and_varied() -> None:
    parts = _labelled()
    rows = [r for part in parts.values() for r in part]
    assert len(rows) >= 300
    assert {"dev", "held-aside", "blind"} <= set(parts)
    kinds = {kind for kind, _ in rows}
    assert kinds == {"-", *NOISE_KINDS}
    assert sum(1 for kind, _ in rows if kind == "-") >= 150  # 168 genuine, 209 noise


def test_precision_and_recall_on_the_parts_written_after_the_rules() -> None:
    parts = _labelled()
    precision, recall, kind_ok, misses = _scores(parts["held-aside"] + parts["blind"])
    assert precision >= PRECISION_FLOOR, misses
    assert recall >= RECALL_FLOOR, misses
    assert kind_ok >= 0.95, misses  # a flagged post gets the right kind


def test_precision_and_recall_on_the_whole_set() -> None:
    precision, recall, _, misses = _scores([r for p in _labelled().values() for r in p])
    assert precision >= PRECISION_FLOOR, misses
    assert recall >= RECALL_FLOOR, misses


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Slot gacor hari ini maxwin, daftar sekarang", "judi"),
        ("S L O T bukan, tapi s1tus g4c0r m4xw1n, kl1k b10", "judi"),  # spellings that hide
        ("𝗦𝗟𝗢𝗧 𝗚𝗔𝗖𝗢𝗥 hari ini, 𝗠𝗔𝗫𝗪𝗜𝗡 dijamin", "judi"),  # styled letters
        ("SLOT88 gacor parah, daftar sekarang", "judi"),  # a site's number
        ("Polisi tangkap bandar judi online di Samarinda", None),
        ("Link alternatif anti blokir, bonus new member, klik sekarang", "judi"),
        ("Situs judi online diblokir Komdigi, link alternatif tetap beredar", None),
        ("Waspada loker palsu mengatasnamakan Pupuk Kaltim, jangan transfer uang", None),
        ("Dicari karyawan toko, gaji UMR, kirim CV ke WA 0812 9999 0000", "loker"),
        ("Selamat pagi semua, semangat beraktivitas!", "sapaan"),
        ("Selamat pagi, jalan di depan sekolah berlubang, kapan diperbaiki?", None),
        ("wkwkwk gabut bgt nih", "obrolan"),
        ("😂😂😂", "obrolan"),
        ("Buset jahat ini sih", None),  # a short opinion, no chatter cue
        ("", None),
        # check-ins: the app's template and a link, nothing the person wrote
        (
            "I'm at Big Mall Samarinda (Samarinda, Kalimantan Timur) w/ 3 others http://4sq.com/x",
            "checkin",
        ),
        ("I'm at Bandara SAMS Sepinggan [pic]: http://t.co/AbC", "checkin"),
        ("(@ Stadion Palaran) http://t.co/x", "checkin"),
        ("Saya di Pelabuhan Semayang http://swarmapp.com/c/x", "checkin"),
        # ... but a check-in with the person's own words is a post like any other
        ("Banjir setinggi lutut, motor mogok (@ Simpang Lembuswana) http://t.co/x", None),
        ("I'm at the hospital, the flood took everything http://t.co/x", None),
        (
            "I'm at home and the power has been out since noon and nobody answers http://t.co/x",
            None,
        ),
        ("Saya di Jalan Juanda, macet total karena banjir", None),
    ],
)
def test_cases(text: str, kind: str | None) -> None:
    assert NoiseDetector().kind(text) == kind
