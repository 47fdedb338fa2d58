"""The keyword crisis categories measured on a hand-labelled set written for pantau
(``data/categories_labelled.tsv``: 132 short issue descriptions, 117 in 13 categories, 15 in none).

Scored the way similar cases, the library and the playbooks read an issue:
``categorize(tokens(text))``.
Accuracy counts "none" as an answer; precision is over the descriptions given a category, since a
wrong category (a wrong playbook, a wrong "sama-sama banjir") misleads more than none.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pantau.text import tokens
from pantau.workflow.categories import CATEGORIES, categorize

DATA = Path(__file__).resolve().parent / "data" / "categories_labelled.tsv"
#: Measured when pinned: 114 of 132 right (0.864), 99 of 104 given a category right (0.952).
#: Before the terms were revised on the even lines only: 102 (0.773) and 0.906; on the odd lines,
#: held out, 51 -> 52 of 66 (the hoax rule generalizes; new words rarely reach unseen phrasing).
ACCURACY_FLOOR = 0.85
PRECISION_FLOOR = 0.93


def _labelled() -> list[tuple[str | None, str]]:
    rows = []
    for n, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            gold, text = line.split("\t")
            assert gold == "-" or gold in {c.key for c in CATEGORIES}, f"line {n}: {gold!r}"
            rows.append((None if gold == "-" else gold, text))
    return rows


def test_the_labelled_set_covers_every_category() -> None:
    rows = _labelled()
    per = Counter(gold for gold, _ in rows)
    assert len(rows) >= 100 and per[None] >= 10
    assert all(per[c.key] >= 8 for c in CATEGORIES), per


def test_keyword_categories_meet_their_floors() -> None:
    rows = _labelled()
    guessed = [(gold, categorize(tokens(text)), text) for gold, text in rows]
    wrong = [(g, p, t) for g, p, t in guessed if g != p]
    answered = [(g, p) for g, p, _ in guessed if p is not None]
    accuracy = 1 - len(wrong) / len(rows)
    precision = sum(g == p for g, p in answered) / len(answered)
    assert accuracy >= ACCURACY_FLOOR, (round(accuracy, 3), wrong)
    assert precision >= PRECISION_FLOOR, (round(precision, 3), wrong)
