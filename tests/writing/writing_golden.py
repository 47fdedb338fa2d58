"""Score the linter on the golden set: documented findings in ``golden/errors`` and clean passages.

A documented finding is ``{rule, text, occurrence?, note}``: the rule id and a piece of the
passage the finding must overlap (its ``occurrence``-th appearance, the first by default). Each
reported finding matches at most one documented finding. Precision counts every reported
finding, including those on clean passages; recall counts every documented one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pantau.writing import Finding, Severity, lint

GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass
class Score:
    """Matched, missed and spurious findings over the golden set."""

    true_positive: int = 0
    expected: int = 0
    reported: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    clean_errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.expected if self.expected else 1.0


def kind_of(text: str) -> str | None:
    """The advisory kind for media advisories (the only non-news document in the set)."""
    return "undangan_peliputan" if text.startswith("UNDANGAN PELIPUTAN") else None


def expected_findings() -> dict[str, list[dict[str, object]]]:
    """Documented findings per error passage (file stem)."""
    return json.loads((GOLDEN / "expected.json").read_text(encoding="utf-8"))


def _locate(text: str, snippet: str, occurrence: int) -> tuple[int, int]:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(snippet, pos + 1)
        if pos < 0:
            raise ValueError(f"{snippet!r} (occurrence {occurrence}) not in passage")
    return pos, pos + len(snippet)


def _overlaps(f: Finding, lo: int, hi: int) -> bool:
    if f.start == f.end:
        return lo <= f.start <= hi
    return max(f.start, lo) < min(f.end, hi)


def match(text: str, found: Iterable[Finding], documented: list[dict[str, object]]) -> Score:
    """Score one passage."""
    score = Score(expected=len(documented))
    remaining = list(found)
    score.reported = len(remaining)
    for item in documented:
        lo, hi = _locate(text, str(item["text"]), int(str(item.get("occurrence", 1))))
        hit = next((f for f in remaining if f.rule == item["rule"] and _overlaps(f, lo, hi)), None)
        if hit is None:
            score.missed.append(f"{item['rule']} @ {item['text']!r}")
        else:
            remaining.remove(hit)
            score.true_positive += 1
    score.spurious = [f"{f.rule} @ {text[f.start : f.end]!r}" for f in remaining]
    return score


def evaluate() -> Score:
    """Score the whole golden set (error passages and clean passages)."""
    total = Score()
    for name, documented in expected_findings().items():
        text = (GOLDEN / "errors" / f"{name}.txt").read_text(encoding="utf-8")
        one = match(text, lint(text, kind=kind_of(text)), documented)
        total.true_positive += one.true_positive
        total.expected += one.expected
        total.reported += one.reported
        total.missed += [f"{name}: {m}" for m in one.missed]
        total.spurious += [f"{name}: {s}" for s in one.spurious]
    for path in sorted((GOLDEN / "clean").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = lint(text, kind=kind_of(text))
        total.reported += len(found)
        total.spurious += [f"{path.stem}: {f.rule} @ {text[f.start : f.end]!r}" for f in found]
        total.clean_errors += [
            f"{path.stem}: {f.rule}" for f in found if f.severity == Severity.ERROR
        ]
    return total
