"""The online clusterer: stories stay together, state survives a snapshot, memory is bounded."""

from __future__ import annotations

import json

from pantau.issues.clustering import OnlineClusterer
from pantau.issues.features import bag, tokens

STORIES = {
    "banjir": "banjir rendam rumah warga sempaja air setinggi lutut pengungsi",
    "jalan": "jalan poros rusak berlubang kecelakaan motor malam tenggarong",
    "listrik": "listrik padam bergilir pln gardu gangguan pelanggan mengeluh bontang",
}


def _docs(n: int = 60) -> list[tuple[str, dict[str, int]]]:
    out = []
    for i in range(n):
        name = list(STORIES)[i % 3]
        words = STORIES[name].split()
        keep = [w for j, w in enumerate(words) if (i + j) % 4]  # each post drops some words
        out.append((name, bag(tokens(" ".join(keep)))))
    return out


def test_separate_stories_get_separate_clusters() -> None:
    c = OnlineClusterer()
    got: dict[str, set[int]] = {}
    for t, (name, words) in enumerate(_docs()):
        got.setdefault(name, set()).add(c.update(words, t * 60.0).cluster)
    assert all(len(ids) == 1 for ids in got.values()), got
    assert len(set().union(*got.values())) == 3


def test_same_input_same_output_and_snapshot_resumes_exactly() -> None:
    docs = _docs(90)
    whole = OnlineClusterer()
    expected = [whole.update(w, t * 60.0).cluster for t, (_, w) in enumerate(docs)]
    first = OnlineClusterer()
    part = [first.update(w, t * 60.0).cluster for t, (_, w) in enumerate(docs[:45])]
    state = json.loads(json.dumps(first.snapshot()))
    resumed = OnlineClusterer.restore(state)
    part += [resumed.update(w, (t + 45) * 60.0).cluster for t, (_, w) in enumerate(docs[45:])]
    assert part == expected


def test_retire_drops_idle_clusters_and_their_words() -> None:
    c = OnlineClusterer()
    old = c.update({"kebakaran": 1, "pasar": 1, "segiri": 1}, 0.0).cluster
    new = c.update({"demo": 1, "buruh": 1, "upah": 1}, 10 * 86400.0).cluster
    assert c.retire(86400.0) == [old]
    assert list(c.clusters) == [new]
    assert "kebakaran" not in c.postings and c.live_docs == 1


def test_merge_folds_counts_and_index_into_the_survivor() -> None:
    c = OnlineClusterer()
    a = c.update({"tambang": 1, "ilegal": 1, "kukar": 1}, 0.0).cluster
    b = c.update({"harga": 1, "cabai": 1, "pasar": 1}, 1.0).cluster
    assert a != b and c.cosine(a, b) == 0.0
    c.update({"tambang": 1, "ilegal": 1, "sungai": 1}, 2.0)
    assert c.merge(b, a) == (b, a)
    assert b not in c.clusters and c.clusters[a].docs == 3 and c.live_docs == 3
    assert c.postings["cabai"] == {a} and c.clusters[a].counts["tambang"] == 2
    assert c.clusters[a].top == 2 and 0 < c.clusters[a].cohesion <= 1


def test_growing_twin_clusters_merge_online() -> None:
    c = OnlineClusterer(merge_similarity=0.25)
    seen: list[tuple[int, int]] = []
    first = c.update({"tambang": 1, "ilegal": 1, "kukar": 1, "sungai": 1}, 0.0).cluster
    second = c.update({"batu": 1, "bara": 1, "lubang": 1, "bekas": 1, "korban": 1}, 1.0).cluster
    assert first != second
    for i in range(12):  # posts that talk about both: the two stories converge
        words = {"tambang": 1, "ilegal": 1, "batu": 1, "bara": 1, "lubang": 1, "kukar": 1}
        seen.extend(c.update(words, 2.0 + i).merges)
    assert seen and all(gone != into for gone, into in seen)
    assert len(c.clusters) == 1
