"""The risk score: components, weights and reasons."""

from __future__ import annotations

import pytest

from pantau.issues.risk import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    components,
    risk_score,
    sensitive_categories,
)

FACTS = {
    "size": 40, "recent": 30, "z": 12.0, "expected": 1.0, "growth": 6.0,
    "negative": 30, "sentiment_known": 40, "negative_share": 0.75, "reach": 2_000_000,
    "engagement": 50_000, "influencers": 4, "coordinated": 20, "crossover": True,
    "lead_hours": 3.5, "complaints": 15, "sensitive_mentions": 40, "categories": "bencana",
    "region_count": 3,
}  # fmt: skip


def test_every_component_saturates_and_the_score_is_bounded() -> None:
    values = components(FACTS)
    assert set(values) == set(COMPONENTS)
    saturated = {k: v for k, v in values.items() if k not in {"volume", "negativity"}}
    assert all(v == pytest.approx(1.0) for v in saturated.values()), saturated
    assert 0.7 < values["volume"] <= 1.0 and values["negativity"] == 0.75
    score, reasons = risk_score(values, FACTS, DEFAULT_WEIGHTS)
    assert 90 < score <= 100, score
    assert {r["component"] for r in reasons} == set(COMPONENTS)
    assert reasons == sorted(reasons, key=lambda r: (-r["points"], r["component"]))
    text = {r["component"]: r["text"] for r in reasons}
    assert text["negativity"] == "75% sebutan bernada negatif"
    assert text["crossover"].endswith("3.5 jam setelah muncul di medsos")
    assert "bencana" in text["sensitive"]


def test_weights_pick_what_counts() -> None:
    values = components({**FACTS, "crossover": False, "sensitive_mentions": 0})
    only_negative = {k: 0.0 for k in COMPONENTS} | {"negativity": 1.0}
    score, reasons = risk_score(values, FACTS, only_negative)
    assert score == pytest.approx(75.0)  # all the weight on a 75% negative issue
    assert [r["component"] for r in reasons] == ["negativity"]
    assert risk_score({}, {}, DEFAULT_WEIGHTS) == (0.0, [])


def test_sensitive_topics_in_indonesian_and_english() -> None:
    assert sensitive_categories("Dugaan korupsi dana desa di Kukar") == {"korupsi"}
    assert sensitive_categories("tawuran pelajar, dua orang tewas") == {"keamanan"}
    assert sensitive_categories("#banjirsamarinda lagi") == {"bencana"}
    assert sensitive_categories("penistaan agama") == {"sara"}
    assert sensitive_categories("harga cabai naik") == set()
