"""Crisis categories of a government PR office: what kind of matter an issue is about.

A category ("banjir", "karhutla", ...) is what an officer files a case under and what picks the
crisis playbook; for similar cases it is the first thing two issues share or not ("sama-sama
banjir"). :func:`categorize` reads it from an issue's words: each category is a list of terms
(single words, or two-word phrases matched on adjacent words), and the category with the most
term occurrences wins, except that a hoax outranks its subject: a false rumour of a flood is
handled as a rumour (deny it with the proof), not as a flood. No term at all gives ``None``: a
wrong category misleads more than none. Measured on ``tests/workflow/data/categories_labelled.tsv``
(132 issue descriptions written for pantau), pinned in ``tests/workflow/test_categories.py``,
figures in ``benchmarks/results/categories.md``.

>>> categorize(["banjir", "merendam", "rumah", "warga", "samarinda"])
'banjir'
>>> categorize(["kebakaran", "hutan", "dan", "lahan", "asap"])
'karhutla'
>>> categorize(["festival", "budaya"]) is None
True
>>> categorize(["video", "banjir", "lama", "hoaks"])
'hoaks'
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["CATEGORIES", "Category", "categorize", "category_label"]


@dataclass(frozen=True)
class Category:
    """One kind of matter: its key, how people name it, and the words that reveal it."""

    key: str
    label: str
    terms: tuple[str, ...]
    #: Wins over every other category it co-occurs with (a hoax about anything is a hoax).
    decisive: bool = False


#: The categories of the issue brief, in the order a tie is broken (the more specific first:
#: "kebakaran hutan" is karhutla before it is an accident). Terms are normalized, lower-case
#: words as :func:`pantau.text.tokens` gives them; two-word terms match adjacent words.
CATEGORIES: tuple[Category, ...] = (
    Category(
        "karhutla",
        "kebakaran hutan dan lahan",
        (
            "karhutla",
            "kebakaran hutan",
            "kebakaran lahan",
            "titik panas",
            "hotspot",
            "asap",
            "kabut asap",
            "ispa",
            "gambut",
            "hutan terbakar",
            "lahan terbakar",
            "pembakar hutan",
            "pembakaran hutan",
            "pembakaran lahan",
        ),
    ),
    Category(
        "banjir",
        "banjir",
        (
            "banjir",
            "genangan",
            "tergenang",
            "terendam",
            "merendam",
            "rob",
            "luapan",
            "meluap",
            "banjir bandang",
            "pengungsi banjir",
            "air naik",
            "drainase",
        ),
    ),
    Category(
        "bencana_geologi",
        "bencana geologi",
        (
            "gempa",
            "longsor",
            "tanah longsor",
            "tsunami",
            "amblas",
            "ambles",
            "pergerakan tanah",
            "likuifaksi",
            "erupsi",
        ),
    ),
    Category(
        "jalan_rusak",
        "jalan rusak",
        (
            "jalan rusak",
            "berlubang",
            "lubang",
            "jalan berlubang",
            "aspal",
            "jembatan",
            "jalan amblas",
            "perbaikan jalan",
            "becek",
        ),
    ),
    Category(
        "listrik_padam",
        "listrik padam",
        ("listrik", "padam", "pemadaman", "pln", "byarpet", "mati lampu", "gardu"),
    ),
    Category(
        "air_bersih",
        "air bersih",
        ("pdam", "air bersih", "air keruh", "krisis air", "distribusi air", "air mati", "perumdam"),
    ),
    Category(
        "tambang",
        "tambang",
        (
            "tambang",
            "pertambangan",
            "lubang tambang",
            "batu bara",
            "batubara",
            "ilegal mining",
            "reklamasi",
            "hauling",
        ),
    ),
    Category(
        "kesehatan",
        "kesehatan dan wabah",
        (
            "wabah",
            "dbd",
            "demam berdarah",
            "diare",
            "covid",
            "puskesmas",
            "rumah sakit",
            "rsud",
            "bpjs",
            "stunting",
            "keracunan",
            "vaksin",
            "vaksinasi",
            "imunisasi",
            "campak",
            "kesehatan",
        ),
    ),
    Category(
        "pendidikan",
        "pendidikan",
        (
            "sekolah",
            "guru",
            "siswa",
            "murid",
            "ppdb",
            "zonasi",
            "pendidikan",
            "honorer guru",
            "kampus",
            "beasiswa",
        ),
    ),
    Category(
        "pangan_harga",
        "pangan dan harga",
        (
            "harga",
            "beras",
            "cabai",
            "minyak goreng",
            "elpiji",
            "lpg",
            "sembako",
            "inflasi",
            "kelangkaan",
            "antrean bbm",
            "bbm",
            "solar",
            "pertalite",
            "pangan",
        ),
    ),
    Category(
        "sara",
        "SARA",
        ("sara", "agama", "etnis", "suku", "rasis", "intoleransi", "penistaan", "rumah ibadah"),
    ),
    Category(
        "hoaks",
        "hoaks",
        (
            "hoaks",
            "hoax",
            "disinformasi",
            "misinformasi",
            "kabar bohong",
            "berita bohong",
            "fitnah",
            "provokasi",
            "palsu",
            "tidak benar",
            "keliru",
            "dibantah",
            "membantah",
        ),
        decisive=True,
    ),
    Category(
        "kecelakaan",
        "kecelakaan",
        (
            "kecelakaan",
            "tabrakan",
            "terbalik",
            "tenggelam",
            "kapal",
            "korban jiwa",
            "lakalantas",
            "kebakaran",
            "ledakan",
            "tertabrak",
            "ditabrak",
            "menabrak",
            "tewas",
            "hanyut",
        ),
    ),
)

_BY_KEY = {c.key: c for c in CATEGORIES}


def category_label(key: str | None) -> str | None:
    """How people name category ``key`` ("kebakaran hutan dan lahan" for "karhutla")."""
    found = _BY_KEY.get(key or "")
    return found.label if found else None


def categorize(words: Sequence[str]) -> str | None:
    """The category whose terms occur most often in ``words`` (normalized tokens), or ``None``."""
    grams: Counter[str] = Counter(words)
    grams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    best, best_rank = None, (False, 0)
    for cat in CATEGORIES:
        hits = sum(grams[t] for t in cat.terms)
        rank = (cat.decisive and hits > 0, hits)
        if hits and rank > best_rank:
            best, best_rank = cat.key, rank
    return best
