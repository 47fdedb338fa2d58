"""The speed-ups give the numbers of the plain formulas they replace.

Each cache or shortcut of the hot path (score gains, the token and sensitive-word caches, the
score without reasons, lazy pruning of burst times) is checked against a direct computation.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pantau.issues.cluster_store import VOCAB_FLOOR
from pantau.issues.clustering import OnlineClusterer
from pantau.issues.detection import PRUNE_WINDOWS, BurstDetector
from pantau.issues.features import _ELONGATION, _HANDLE, _URL, _WORD, _fold, bag, stopwords, tokens
from pantau.issues.risk import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    SENSITIVE_TERMS,
    risk_score,
    risk_value,
    sensitive_categories,
    sensitive_words,
)

WORDS = ["banjir", "jalan", "rusak", "samarinda", "warga", "listrik", "padam", "pln", "gardu"]
# words that meet the sensitive stems in every way: whole, as prefix, inside, two-word terms
SENSITIVE_PIECES = [
    "bom", "bombastis", "kebakaran", "banjirsamarinda", "unjuk", "rasa", "angin", "kencang",
    "mark", "up", "bookmark", "upgrade", "tewas", "kpk", "ott", "motto", "warga", "jalan",
]  # fmt: skip


def _reference_tokens(text: str) -> list[str]:
    """The featurizer as first written: whole-text passes, no cache."""
    stop = stopwords()
    text = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    text = _ELONGATION.sub(r"\1\1", text)
    out: list[str] = []
    for word in _WORD.findall(text.replace("'", "")):
        if len(word) < 2 or word in stop or word.isdigit():
            continue
        out.append(_fold(word))
        if len(out) >= 60:
            break
    return out


def _reference_score(c: OnlineClusterer, doc: dict[str, int], cid: int | None) -> float:
    """Dirichlet-multinomial log posterior of ``doc`` joining cluster ``cid`` (None: new)."""
    vb = max(len(c.postings), VOCAB_FLOOR) * c.beta
    cf = c.clusters[cid] if cid is not None else None
    words = cf.words if cf else 0
    score = math.log(cf.docs) if cf else math.log(c.alpha * max(c.live_docs, 1))
    for word, count in doc.items():
        n = cf.counts.get(word, 0) if cf else 0
        score += sum(math.log(n + c.beta + j) for j in range(count))
    score -= sum(math.log(words + vb + i) for i in range(sum(doc.values())))
    return score


@given(st.text(alphabet="abcdeo '-@#:/.!0123456789BANJIR", max_size=80))
def test_tokens_match_the_uncached_featurizer(text: str) -> None:
    assert tokens(text) == _reference_tokens(text)
    assert tokens(text) == _reference_tokens(text)  # second call from the cache


def test_tokens_of_links_handles_and_elongation_match_the_uncached_featurizer() -> None:
    for text in (
        "RT @warga: Banjiiiir lagi di Samarinda!! https://t.co/x #banjir",
        "lihat www.contoh.id/berita dan @pemkot_smd, jalannnn rusakkk",
        "it's the floods flooding 2025 aaa'a don''t",
    ):
        assert tokens(text) == _reference_tokens(text)


@given(st.lists(st.sampled_from(SENSITIVE_PIECES), max_size=8))
def test_sensitive_words_match_the_joined_text(words: list[str]) -> None:
    assert sensitive_words(words) == sensitive_categories(" ".join(words))


def test_every_sensitive_term_is_found_word_by_word() -> None:
    for category, terms in SENSITIVE_TERMS.items():
        for term in terms:
            words = re.split(r"\s+", term)
            assert category in sensitive_words(["warga", *words]), term


@given(
    st.dictionaries(st.sampled_from(COMPONENTS), st.floats(0.0, 1.0), max_size=len(COMPONENTS)),
    st.dictionaries(st.sampled_from(COMPONENTS), st.floats(0.0, 5.0)),
)
def test_risk_value_is_the_score_of_risk_score(
    values: dict[str, float], weights: dict[str, float]
) -> None:
    weights = {**DEFAULT_WEIGHTS, **weights}
    assert risk_value(values, weights) == risk_score(values, {}, weights)[0]


def test_cached_scores_equal_the_dirichlet_multinomial_formula() -> None:
    c = OnlineClusterer()
    stories = [WORDS[:4], WORDS[3:7], WORDS[5:]]
    for i in range(90):
        words = stories[i % 3] + ([stories[i % 3][0]] if i % 5 == 0 else [])
        c.update(bag(words[: 2 + i % 4] + words[-1:]), i * 60.0)
    c.merge(*sorted(c.clusters)[-2:])
    restored = OnlineClusterer.restore(json.loads(json.dumps(c.snapshot())))
    for clusterer in (c, restored):
        for cf in clusterer.clusters.values():
            assert cf.log_docs == math.log(cf.docs)
            for word, n in cf.counts.items():
                assert math.isclose(cf.gains[word], math.log((n + c.beta) / c.beta))
    doc = bag(["banjir", "banjir", "samarinda", "warga", "baru"])
    vb = max(len(c.postings), VOCAB_FLOOR) * c.beta
    ids = sorted(c.clusters)
    new, scored = c._scores(doc, sum(doc.values()), ids, vb)
    reference_new = _reference_score(c, doc, None)
    for score, cid in scored:
        want = _reference_score(c, doc, cid) - reference_new
        assert math.isclose(score - new, want, rel_tol=1e-9, abs_tol=1e-9), cid


def test_candidates_rank_shared_words_rarest_first_ties_by_id() -> None:
    c = OnlineClusterer()
    c.postings = {"a": {1, 2, 3}, "b": {3, 4}, "c": {5}}
    c.postings.update({f"x{i}": set(range(6, 20)) for i in range(2)})
    doc = {"a": 1, "b": 1, "c": 1, "x0": 1, "x1": 1}
    hits: Counter[int] = Counter()
    for word in doc:
        post = c.postings[word]
        for cid in post:
            hits[cid] += 1.0 + 1.0 / len(post)
    want = sorted(sorted(hits, key=lambda k: (-hits[k], k))[:10])
    assert c._candidates(doc) == want
    # two shared words (one rare) beat two common ones; equal common ones go by id
    assert want == [3, *range(6, 15)]


@pytest.mark.slow
def test_lazy_pruning_keeps_the_same_counts_and_bounds_memory() -> None:
    lazy, window = BurstDetector(window=600.0), 600.0
    times = [t * 97.0 for t in range(4 * 900)]  # four days
    for now in times:
        got = lazy.observe("a", now)
        recent = [t for t in times if now - window <= t <= now]
        previous = [t for t in times if now - 2 * window <= t < now - window]
        older = [t for t in times if now - 3 * window <= t < now - 2 * window]
        assert (got.recent, got.previous) == (len(recent), len(previous))
        assert got.acceleration == (len(recent) - len(previous)) - (len(previous) - len(older))
        hour = int(now // 3600)  # the day-long window counts whole hours
        assert got.day == len([t for t in times if t <= now and hour - 24 < t // 3600])
    # three windows of times are kept, cut in one go a window later; the day is in hour bins
    assert len(lazy.times["a"]) <= PRUNE_WINDOWS * window / 97.0 + 1
    assert len(lazy.hours["a"].hours) <= 48
